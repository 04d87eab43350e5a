// Which tray icon shows for a state. Files live in resources/icons/tray/<theme>/<name>.png (32 px) with
// <name>@2x.png (64 px) beside it, which nativeImage.createFromPath picks up for HiDPI panels. The theme is
// the panel's: Linux gives no reliable dark-panel signal, so it comes from a setting; 'dark' means a dark
// panel and therefore light glyphs. Never a monochrome template icon: on Linux it renders black on black.
import { NETWORK_KINDS, type NetworkKind, type TunnelState } from '../../app/domain/index.js';

export type TrayTheme = 'light' | 'dark';
export const TRAY_THEMES: readonly TrayTheme[] = ['light', 'dark'];

/** Frames of the connecting animation, cycled while connecting or disconnecting. */
export const CONNECTING_FRAMES = 4;
export const CONNECTING_FRAME_MS = 250;

export type TrayIconName = 'disconnected' | 'blocked' | 'error' | `connecting-${number}` | `connected-${NetworkKind}`;

/** Every icon file a theme must contain (the generator writes exactly these; a test checks they exist). */
export const TRAY_ICON_NAMES: readonly TrayIconName[] = [
  'disconnected',
  'blocked',
  'error',
  ...Array.from({ length: CONNECTING_FRAMES }, (_, i) => `connecting-${i}` as const),
  ...NETWORK_KINDS.map((kind) => `connected-${kind}` as const),
];

export interface TrayIconChoice {
  readonly name: TrayIconName;
  /** Relative to resources/icons: the 32 px file; its @2x sibling is the 64 px one. */
  readonly file: string;
  /** True while the icon should cycle frames (index.ts runs a timer only then). */
  readonly animated: boolean;
}

export function trayIconName(state: TunnelState, frame = 0): TrayIconName {
  switch (state.state) {
    case 'disconnected':
      return state.lockedDown ? 'blocked' : 'disconnected';
    case 'connecting':
    case 'disconnecting': {
      const f = ((Math.trunc(frame) % CONNECTING_FRAMES) + CONNECTING_FRAMES) % CONNECTING_FRAMES;
      return `connecting-${f}`;
    }
    case 'connected':
      return `connected-${state.target.network}`;
    case 'error':
      return state.blocking ? 'blocked' : 'error';
  }
}

export function trayIconFor(state: TunnelState, theme: TrayTheme, frame = 0): TrayIconChoice {
  const name = trayIconName(state, frame);
  return {
    name,
    file: trayIconFile(name, theme),
    animated: state.state === 'connecting' || state.state === 'disconnecting',
  };
}

export function trayIconFile(name: TrayIconName, theme: TrayTheme, size: 32 | 64 = 32): string {
  return `tray/${theme}/${name}${size === 64 ? '@2x' : ''}.png`;
}

/** The theme from a setting or BURROW_TRAY_THEME; dark panels are the common Linux default. */
export function parseTrayTheme(value: string | undefined): TrayTheme {
  return value === 'light' ? 'light' : 'dark';
}
