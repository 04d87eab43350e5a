// Tray icon choice for every state × network × theme, and the committed PNG files themselves: present
// in both sizes, real PNGs of the right size, and never a black (template) glyph.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { NETWORK_KINDS } from '../../../app/domain/index.js';
import {
  CONNECTING_FRAMES,
  parseTrayTheme,
  TRAY_ICON_NAMES,
  TRAY_THEMES,
  trayIconFile,
  trayIconFor,
  trayIconName,
} from '../../../electron/main/tray-icons.js';
import { statesFor } from './fixtures.js';

const ICONS = join(import.meta.dirname, '..', '..', '..', 'resources', 'icons');

function decodePng(file: string): { width: number; height: number; pixels: Uint8Array } {
  const buf = readFileSync(file);
  expect(buf.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const width = buf.readUInt32BE(16);
  const height = buf.readUInt32BE(20);
  expect([buf[24], buf[25]]).toEqual([8, 6]); // 8-bit RGBA
  const idat: Buffer[] = [];
  for (let off = 8; off < buf.length; ) {
    const len = buf.readUInt32BE(off);
    if (buf.toString('latin1', off + 4, off + 8) === 'IDAT') idat.push(buf.subarray(off + 8, off + 8 + len));
    off += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const pixels = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y += 1) {
    expect(raw[y * (width * 4 + 1)]).toBe(0); // the generator writes filter 0 only
    pixels.set(raw.subarray(y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1)), y * width * 4);
  }
  return { width, height, pixels };
}

describe('trayIconFor', () => {
  it.each(NETWORK_KINDS)('%s: picks the icon per state', (network) => {
    const s = statesFor(network);
    expect(trayIconName(s.disconnected!)).toBe('disconnected');
    expect(trayIconName(s['disconnected-locked']!)).toBe('blocked');
    expect(trayIconName(s.connected!)).toBe(`connected-${network}`);
    expect(trayIconName(s['error-blocking']!)).toBe('blocked');
    expect(trayIconName(s['error-open']!)).toBe('error');
    expect(trayIconName(s.connecting!, 2)).toBe('connecting-2');
    expect(trayIconName(s['disconnecting-reconnect']!, 5)).toBe('connecting-1');
  });

  it.each(NETWORK_KINDS.flatMap((network) => Object.entries(statesFor(network)).flatMap(([name, state]) => TRAY_THEMES.map((theme) => [network, name, theme, state] as const))))(
    '%s / %s / %s: an existing file, animated only while connecting or disconnecting',
    (_network, _name, theme, state) => {
      for (let frame = 0; frame < CONNECTING_FRAMES + 1; frame += 1) {
        const choice = trayIconFor(state, theme, frame);
        expect(TRAY_ICON_NAMES).toContain(choice.name);
        expect(choice.file).toBe(`tray/${theme}/${choice.name}.png`);
        expect(existsSync(join(ICONS, choice.file))).toBe(true);
        expect(choice.animated).toBe(state.state === 'connecting' || state.state === 'disconnecting');
      }
    },
  );

  it('cycles every connecting frame', () => {
    const connecting = statesFor('tor').connecting!;
    const frames = new Set(Array.from({ length: 8 }, (_, i) => trayIconName(connecting, i)));
    expect(frames.size).toBe(CONNECTING_FRAMES);
  });

  it('theme comes from a setting, dark by default', () => {
    expect(parseTrayTheme('light')).toBe('light');
    expect(parseTrayTheme(undefined)).toBe('dark');
    expect(parseTrayTheme('solarized')).toBe('dark');
  });
});

// Typical panel colours: the icons of a theme must stand out against its panel.
const PANEL = { dark: [43, 43, 43], light: [240, 240, 240] } as const;

describe('committed tray icons', () => {
  it.each(TRAY_THEMES.flatMap((theme) => TRAY_ICON_NAMES.flatMap((name) => ([32, 64] as const).map((size) => [theme, name, size] as const))))(
    '%s/%s at %i px is a partly transparent PNG that stands out on its panel',
    (theme, name, size) => {
      const { width, height, pixels } = decodePng(join(ICONS, trayIconFile(name, theme, size)));
      expect([width, height]).toEqual([size, size]);
      let opaque = 0;
      let transparent = 0;
      let contrasting = 0;
      let pureBlack = 0;
      for (let i = 0; i < pixels.length; i += 4) {
        const [r, g, b, alpha] = [pixels[i]!, pixels[i + 1]!, pixels[i + 2]!, pixels[i + 3]!];
        if (alpha === 0) transparent += 1;
        if (alpha < 200) continue;
        opaque += 1;
        if (r + g + b === 0) pureBlack += 1;
        const [pr, pg, pb] = PANEL[theme];
        if (Math.hypot(r - pr, g - pg, b - pb) > 100) contrasting += 1;
      }
      expect(opaque).toBeGreaterThan(size * size * 0.05);
      expect(transparent).toBeGreaterThan(size * size * 0.1);
      // Never a black template glyph (black on a dark Linux panel is invisible) ...
      expect(pureBlack).toBe(0);
      // ... and most of what is drawn differs clearly from the panel behind it.
      expect(contrasting).toBeGreaterThan(opaque * 0.5);
    },
  );

  it('has no stray files beyond the named set', async () => {
    const { readdirSync } = await import('node:fs');
    for (const theme of TRAY_THEMES) {
      const expected = TRAY_ICON_NAMES.flatMap((name) => [`${name}.png`, `${name}@2x.png`]).sort();
      expect(readdirSync(join(ICONS, 'tray', theme)).sort()).toEqual(expected);
    }
  });

  it.each([16, 32, 48, 64, 128, 256, 512])('app icon %ipx exists for the Linux packages', (size) => {
    const { width } = decodePng(join(ICONS, 'app', `${size}x${size}.png`));
    expect(width).toBe(size);
  });
});
