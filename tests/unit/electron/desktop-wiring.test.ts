// The composition root wired end to end against a stand-in for the Electron API (vi.mock replaces the
// module: the real 'electron' package is never loaded). Checks the order that matters (scheme and
// sandbox before ready), the window's options and URL, IPC for every command, sender refusal, events held
// until ready, the one Tray, notifications, and quitting through host.close().
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { COMMAND_NAMES, IPC_EVENT_CHANNEL, IPC_READY_CHANNEL, ipcChannelFor, type EventName } from '../../../app/contract/index.js';
import { runDesktop } from '../../../electron/main/desktop.js';
import type { HostLike } from '../../../electron/main/host-link.js';
import { fakeHandlers, snapshot, statesFor } from './fixtures.js';

type Listener = (...args: unknown[]) => unknown;

const fake = vi.hoisted(() => {
  const calls: string[] = [];
  const appListeners = new Map<string, Listener[]>();
  const ipcHandles = new Map<string, Listener>();
  const ipcListeners = new Map<string, Listener[]>();
  const windows: FakeWindow[] = [];
  const trays: FakeTray[] = [];
  const notifications: { options: Record<string, unknown>; shown: boolean }[] = [];
  let resolveReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    resolveReady = resolve;
  });

  class Emitter {
    readonly listeners = new Map<string, Listener[]>();
    on(event: string, listener: Listener) {
      this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
      return this;
    }
    once(event: string, listener: Listener) {
      return this.on(event, listener);
    }
    emit(event: string, ...args: unknown[]) {
      for (const listener of this.listeners.get(event) ?? []) listener(...args);
    }
  }

  class FakeContents extends Emitter {
    readonly id = 7;
    readonly sent: unknown[][] = [];
    windowOpenHandler: Listener | undefined;
    send(...args: unknown[]) {
      this.sent.push(args);
    }
    isDestroyed() {
      return false;
    }
    setWindowOpenHandler(handler: Listener) {
      this.windowOpenHandler = handler;
    }
  }

  class FakeWindow extends Emitter {
    readonly webContents = new FakeContents();
    loadedUrl = '';
    constructor(readonly options: Record<string, unknown>) {
      super();
      windows.push(this);
      for (const listener of appListeners.get('web-contents-created') ?? []) listener({}, this.webContents);
    }
    loadURL(url: string) {
      this.loadedUrl = url;
      return Promise.resolve();
    }
    isDestroyed() {
      return false;
    }
    isMinimized() {
      return false;
    }
    restore() {}
    show() {
      calls.push('window.show');
    }
    focus() {}
  }

  class FakeTray extends Emitter {
    menus: unknown[] = [];
    images: unknown[] = [];
    tooltip = '';
    constructor(readonly image: unknown) {
      super();
      trays.push(this);
    }
    setContextMenu(menu: unknown) {
      this.menus.push(menu);
    }
    setImage(image: unknown) {
      this.images.push(image);
    }
    setToolTip(text: string) {
      this.tooltip = text;
    }
    destroy() {}
  }

  class FakeNotification extends Emitter {
    static isSupported() {
      return true;
    }
    readonly record: { options: Record<string, unknown>; shown: boolean };
    constructor(options: Record<string, unknown>) {
      super();
      this.record = { options, shown: false };
      notifications.push(this.record);
    }
    show() {
      this.record.shown = true;
    }
  }

  const sessionRecord = { handlers: [] as string[], protocols: new Map<string, Listener>() };
  const session = {
    defaultSession: {
      setPermissionRequestHandler: () => sessionRecord.handlers.push('permission-request'),
      setPermissionCheckHandler: () => sessionRecord.handlers.push('permission-check'),
      setDevicePermissionHandler: () => sessionRecord.handlers.push('device-permission'),
      webRequest: {
        onHeadersReceived: () => sessionRecord.handlers.push('headers'),
        onBeforeRequest: () => sessionRecord.handlers.push('before-request'),
      },
      on: (event: string) => sessionRecord.handlers.push(`on:${event}`),
      protocol: { handle: (scheme: string, handler: Listener) => sessionRecord.protocols.set(scheme, handler) },
    },
  };

  const electron = {
    app: {
      isPackaged: false,
      enableSandbox: () => calls.push('enableSandbox'),
      requestSingleInstanceLock: () => (calls.push('requestSingleInstanceLock'), true),
      on: (event: string, listener: Listener) => appListeners.set(event, [...(appListeners.get(event) ?? []), listener]),
      whenReady: () => ready,
      getAppPath: () => join(process.cwd()),
      quit: () => calls.push('app.quit'),
      exit: (code: number) => calls.push(`app.exit(${code})`),
    },
    protocol: { registerSchemesAsPrivileged: (schemes: unknown) => calls.push(`registerSchemes:${JSON.stringify(schemes)}`) },
    session,
    BrowserWindow: FakeWindow,
    ipcMain: {
      handle: (channel: string, listener: Listener) => ipcHandles.set(channel, listener),
      removeHandler: (channel: string) => ipcHandles.delete(channel),
      on: (channel: string, listener: Listener) => ipcListeners.set(channel, [...(ipcListeners.get(channel) ?? []), listener]),
      removeListener: () => undefined,
    },
    Notification: FakeNotification,
    shell: { openExternal: () => Promise.resolve() },
    dialog: { showErrorBox: (title: string) => calls.push(`errorBox:${title}`) },
    Menu: { buildFromTemplate: (template: unknown) => ({ template }) },
    nativeImage: { createFromPath: (path: string) => ({ path }) },
    Tray: FakeTray,
  };
  return { electron, calls, appListeners, ipcHandles, ipcListeners, windows, trays, notifications, sessionRecord, resolveReady };
});

vi.mock('electron', () => fake.electron);

function fakeHost() {
  const listeners = new Set<(event: EventName, payload: unknown) => void>();
  const host = {
    handlers: fakeHandlers(),
    onEvent: (listener: (event: EventName, payload: unknown) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    snapshot: () => Promise.resolve(snapshot()),
    log: vi.fn(),
    close: vi.fn(() => Promise.resolve()),
  } satisfies HostLike;
  const emit = (event: EventName, payload: unknown) => {
    for (const listener of listeners) listener(event, payload);
  };
  return { host, emit };
}

const { host, emit } = fakeHost();
const createHost = vi.fn(() => Promise.resolve(host));

async function settle(): Promise<void> {
  for (let i = 0; i < 20; i += 1) await new Promise((resolve) => setImmediate(resolve));
}

let beforeReady: { secondInstance: boolean; binding: string | undefined };
const bindingBefore = process.env.BURROW_SQLITE_BINDING;
const configHomeBefore = process.env.XDG_CONFIG_HOME;
const configHome = mkdtempSync(join(tmpdir(), 'burrow-wiring-config-'));
const autostartFile = join(configHome, 'autostart', 'burrow.desktop');
afterAll(() => {
  rmSync(configHome, { recursive: true, force: true });
  if (configHomeBefore === undefined) delete process.env.XDG_CONFIG_HOME;
  else process.env.XDG_CONFIG_HOME = configHomeBefore;
  if (bindingBefore === undefined) delete process.env.BURROW_SQLITE_BINDING;
  else process.env.BURROW_SQLITE_BINDING = bindingBefore;
});

beforeAll(async () => {
  delete process.env.BURROW_SQLITE_BINDING;
  process.env.XDG_CONFIG_HOME = configHome;
  runDesktop({ createHost, resolveDataDir: (flag) => flag ?? '/tmp/burrow-test-data', probeTray: () => Promise.resolve('present') });
  beforeReady = { secondInstance: fake.appListeners.has('second-instance'), binding: process.env.BURROW_SQLITE_BINDING };
  fake.resolveReady();
  // Start-up does real file work (the autostart entry, the renderer's index): wait for its last visible
  // step, the window, not for a number of ticks (20 were not enough on a loaded 2-core CI run).
  await vi.waitFor(() => expect(fake.windows).toHaveLength(1), { timeout: 10_000 });
  await settle();
});

describe('desktop composition root', () => {
  it('registers the app scheme, sandboxing and the single-instance lock before ready', () => {
    expect(fake.calls.slice(0, 3)).toEqual([
      'registerSchemes:[{"scheme":"app","privileges":{"standard":true,"secure":true,"supportFetchAPI":true,"codeCache":true}}]',
      'enableSandbox',
      'requestSingleInstanceLock',
    ]);
  });

  it('listens for a relaunch before any start-up work, and points the store at the Electron build of better-sqlite3 (issue 18)', () => {
    expect(beforeReady.secondInstance).toBe(true);
    expect(beforeReady.binding).toBe(join(process.cwd(), 'build', 'electron-native', 'better_sqlite3.node'));
  });

  it('a relaunch shows the window (and one with --hidden does not)', () => {
    const shown = fake.calls.filter((call) => call === 'window.show').length;
    for (const listener of fake.appListeners.get('second-instance') ?? []) listener({}, ['/opt/Burrow/burrow-desktop', '--hidden']);
    expect(fake.calls.filter((call) => call === 'window.show').length).toBe(shown);
    for (const listener of fake.appListeners.get('second-instance') ?? []) listener({}, ['/opt/Burrow/burrow-desktop']);
    expect(fake.calls.filter((call) => call === 'window.show').length).toBe(shown + 1);
  });

  it('hardens the session and serves the renderer through app://', () => {
    expect(fake.sessionRecord.handlers).toEqual(
      expect.arrayContaining(['permission-request', 'permission-check', 'device-permission', 'headers', 'before-request', 'on:will-download']),
    );
    expect([...fake.sessionRecord.protocols.keys()]).toEqual(['app']);
  });

  it('creates the host with the data dir', () => {
    expect(createHost).toHaveBeenCalledWith(expect.objectContaining({ dataDir: '/tmp/burrow-test-data' }));
  });

  it('opens one sandboxed window on the app URL, with navigation and window-open handlers attached', () => {
    expect(fake.windows).toHaveLength(1);
    const window = fake.windows[0]!;
    expect(window.loadedUrl).toBe('app://burrow/index.html');
    expect(window.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false });
    const contents = window.webContents;
    expect([...contents.listeners.keys()]).toEqual(expect.arrayContaining(['will-navigate', 'will-redirect', 'will-frame-navigate', 'will-attach-webview']));
    expect(contents.windowOpenHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
  });

  it('answers every contract command over IPC, and refuses a foreign sender', async () => {
    expect(new Set(fake.ipcHandles.keys())).toEqual(new Set(COMMAND_NAMES.map(ipcChannelFor)));
    const contents = fake.windows[0]!.webContents;
    const trusted = { sender: contents, senderFrame: { url: 'app://burrow/index.html', parent: null } };
    const handle = fake.ipcHandles.get(ipcChannelFor('getSnapshot'))!;
    await expect(handle(trusted, {})).resolves.toMatchObject({ ok: true, result: { state: { state: 'disconnected' } } });
    const foreign = { sender: contents, senderFrame: { url: 'https://evil.example/', parent: null } };
    await expect(handle(foreign, {})).resolves.toMatchObject({ ok: false, error: { code: 'unauthorized' } });
  });

  it('holds host events until the renderer is ready, then pushes them', () => {
    const contents = fake.windows[0]!.webContents;
    emit('log', { at: '2026-11-25T10:00:00.000Z', level: 'info', source: 'x', message: 'before ready' });
    expect(contents.sent).toEqual([]);
    for (const listener of fake.ipcListeners.get(IPC_READY_CHANNEL) ?? []) {
      listener({ sender: contents, senderFrame: { url: 'app://burrow/index.html', parent: null } });
    }
    expect(contents.sent).toHaveLength(1);
    expect(contents.sent[0]?.[0]).toBe(IPC_EVENT_CHANNEL);
    expect(contents.sent[0]?.[1]).toMatchObject({ event: 'log', data: { message: 'before ready' } });
  });

  it('keeps one Tray with a real icon file and a menu, and notifies on connect', () => {
    expect(fake.trays).toHaveLength(1);
    const tray = fake.trays[0]!;
    expect(existsSync((tray.image as { path: string }).path)).toBe(true);
    expect(tray.menus).toHaveLength(1);
    emit('state', statesFor('tor').connected);
    expect(fake.trays).toHaveLength(1);
    expect(tray.tooltip).toContain('Connected');
    expect((tray.images.at(-1) as { path: string }).path).toMatch(/connected-tor\.png$/);
    expect(fake.notifications.at(-1)).toMatchObject({ shown: true, options: { title: 'Connected to Tor' } });
  });

  it('autostart end to end: the setting writes the entry, turning it off removes it, the tray flips it (issue 18)', async () => {
    expect(existsSync(autostartFile)).toBe(false);
    emit('settings', { ...snapshot().settings, autostart: true });
    await vi.waitFor(() => expect(existsSync(autostartFile)).toBe(true));
    const entry = readFileSync(autostartFile, 'utf8');
    // In a checkout: Electron with the app directory, started hidden; the icon the packages install.
    expect(entry).toContain(`Exec=${process.execPath} ${process.cwd()} --hidden\n`);
    expect(entry).toContain('Icon=burrow-desktop\n');
    emit('settings', { ...snapshot().settings, autostart: false });
    await vi.waitFor(() => expect(existsSync(autostartFile)).toBe(false));

    const menu = fake.trays[0]!.menus.at(-1) as { template: Array<{ id?: string; checked?: boolean; click?: () => void }> };
    const item = menu.template.find((entry) => entry.id === 'autostart');
    expect(item?.checked).toBe(false);
    item?.click?.();
    await vi.waitFor(() => expect(host.handlers.updateSettings).toHaveBeenCalledWith({ autostart: true }));
  });

  it('quits through host.close()', async () => {
    const preventDefault = vi.fn();
    for (const listener of fake.appListeners.get('before-quit') ?? []) listener({ preventDefault });
    await settle();
    expect(preventDefault).toHaveBeenCalled();
    expect(host.close).toHaveBeenCalledTimes(1);
    expect(fake.calls).toContain('app.exit(0)');
  });
});
