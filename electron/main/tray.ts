// The glue between the pure tray model and Electron: convert the model to MenuItemConstructorOptions,
// run an item's action through the contract (dispatchCall: the same validation and handlers as the UI and
// the CLI), and rebuild the menu at most every ~500 ms and only when it changed. The Tray object itself is
// created once by index.ts and never destroyed and recreated: KDE Plasma 6 on Wayland stops delivering
// menu clicks to a re-created StatusNotifierItem.
import type { MenuItemConstructorOptions } from 'electron';
import { dispatchCall, type CommandHandlers, type ResponseEnvelope } from '../../app/contract/index.js';
import type { TrayAction, TrayMenuItem } from './tray-model.js';

export function toElectronTemplate(items: readonly TrayMenuItem[], onAction: (action: TrayAction) => void): MenuItemConstructorOptions[] {
  return items.map((item): MenuItemConstructorOptions => {
    if (item.type === 'separator') return { type: 'separator' };
    const { action } = item;
    return {
      id: item.id,
      type: item.type,
      label: item.label,
      enabled: item.enabled,
      ...(item.checked === undefined ? {} : { checked: item.checked }),
      ...(action === undefined ? {} : { click: () => onAction(action) }),
    };
  });
}

/** What the tray can do besides calling commands. */
export interface TrayAppControl {
  showWindow(): void;
  quit(): void;
}

/** Each tray action as the contract call(s) it makes; 'open' and 'quit' touch only the app. */
export async function runTrayAction(
  action: TrayAction,
  handlers: CommandHandlers,
  app: TrayAppControl,
): Promise<ResponseEnvelope | undefined> {
  switch (action.type) {
    case 'connect':
      // wait:false — the tray follows the state events; it must not hold a call open for a whole connect.
      return dispatchCall(handlers, null, 'connect', action.profile === undefined ? { wait: false } : { profile: action.profile, wait: false });
    case 'reconnect':
      // connect to the profile we are on: the host goes through disconnecting{then: reconnect}, so the
      // kill switch holds in between (a disconnect followed by connect would open a gap).
      return dispatchCall(handlers, null, 'connect', { profile: action.profile, wait: false });
    case 'disconnect':
      return dispatchCall(handlers, null, 'disconnect', {});
    case 'updateSettings':
      return dispatchCall(handlers, null, 'updateSettings', action.patch);
    case 'runLeakTest':
      return dispatchCall(handlers, null, 'runLeakTest', {});
    case 'open':
      app.showWindow();
      return undefined;
    case 'quit':
      app.quit();
      return undefined;
    case 'disconnectAndQuit': {
      const response = await dispatchCall(handlers, null, 'disconnect', {});
      app.quit();
      return response;
    }
  }
}

/**
 * Applies a menu model to the tray: immediately when the last update is older than `intervalMs`, else
 * once at the end of the interval with the newest model; never when the model equals the one shown.
 * Timers are injected so tests drive it with a fake clock.
 */
export class MenuThrottle<T> {
  private shownKey: string | undefined;
  private pending: { key: string; value: T } | undefined;
  private timer: unknown;
  private lastApplied = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly apply: (value: T) => void,
    private readonly intervalMs = 500,
    private readonly clock: {
      now(): number;
      setTimeout(fn: () => void, ms: number): unknown;
      clearTimeout(handle: unknown): void;
    } = {
      now: () => Date.now(),
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    },
  ) {}

  update(value: T): void {
    const key = JSON.stringify(value);
    if (this.timer === undefined && key === this.shownKey) return;
    this.pending = { key, value };
    if (this.timer !== undefined) return;
    const wait = this.lastApplied + this.intervalMs - this.clock.now();
    if (wait <= 0) {
      this.flush();
      return;
    }
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, wait);
  }

  dispose(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = undefined;
  }

  private flush(): void {
    const next = this.pending;
    this.pending = undefined;
    if (next === undefined || next.key === this.shownKey) return;
    this.shownKey = next.key;
    this.lastApplied = this.clock.now();
    this.apply(next.value);
  }
}
