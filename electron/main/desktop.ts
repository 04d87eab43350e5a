// The composition root of the desktop app: lifecycle, single instance, the host (in-process), the window,
// the tray, notifications, IPC. Every decision lives in a pure module beside this one; this file only
// wires them to Electron.
import { app, BrowserWindow, dialog, ipcMain, Notification, protocol, session, shell } from 'electron';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { dispatchCall, IPC_EVENT_CHANNEL, type EventEnvelope } from '../../app/contract/index.js';
import { APP_SCHEME_PRIVILEGES, registerAppProtocol } from './app-protocol.js';
import { autostartPath } from './autostart.js';
import { AutostartSync, autostartEntryFor } from './autostart-sync.js';
import { resolveRendererLocation, type RendererLocation } from './app-url.js';
import { EventQueue } from './event-queue.js';
import { closeWithin, type HostFactory, type HostLike } from './host-link.js';
import { isTrustedEvent, registerIpc } from './ipc.js';
import { parseLaunchArgs, type LaunchArgs } from './launch-args.js';
import { ExternalOpenGate } from './navigation.js';
import { notificationFor, notificationForLeak, type NotificationSpec } from './notifications.js';
import { hardenSession, hardenWebContents, type SecurityLog } from './security.js';
import { TrayController } from './tray-controller.js';
import { parseTrayTheme } from './tray-icons.js';
import { closeDecision, NO_TRAY_NOTICE, probeTrayPresence, startHidden, type TrayPresence } from './tray-presence.js';
import { applyEvent, viewFromSnapshot, type DesktopView } from './view-model.js';
import { electronSqliteBinding, missingBindingMessage } from './native-binding.js';
import { SecondInstanceRelay } from './second-instance.js';
import { mainWindowOptions } from './window-options.js';

export interface DesktopDeps {
  readonly createHost: HostFactory;
  readonly resolveDataDir: (flag?: string) => string;
  /** Whether this desktop shows a tray (tray-presence.ts); replaceable for tests. */
  readonly probeTray?: () => Promise<TrayPresence>;
}

// The shell's own log: to stderr until the host runs, then into the host's log (the Logs page), which
// mirrors to stderr itself.
let hostLog: HostLike['log'] | undefined;
function write(level: 'info' | 'warn' | 'error', message: string): void {
  if (hostLog !== undefined) hostLog(level, 'desktop', message);
  else console.error(`[burrow] ${level}: ${message}`);
}
const log: SecurityLog & { info(message: string): void; error(message: string): void } = {
  info: (message) => write('info', message),
  warn: (message) => write('warn', message),
  error: (message) => write('error', message),
};

/** Paths inside the app (the asar when packaged): app.getAppPath() works for both, unlike __dirname in ESM. */
function appPaths() {
  const root = app.getAppPath();
  return {
    renderer: join(root, 'dist', 'renderer'),
    preload: join(root, 'dist', 'electron', 'preload.cjs'),
    icons: join(root, 'resources', 'icons'),
  };
}

export function runDesktop(deps: DesktopDeps): void {
  const args = parseLaunchArgs(process.argv, process.env, existsSync);
  const { location, warning } = resolveRendererLocation(process.env, app.isPackaged);
  if (warning !== undefined) log.warn(warning);

  // Both must happen before 'ready'.
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
  app.enableSandbox();

  if (!app.requestSingleInstanceLock()) {
    // A second launch only wakes the first one (below); two hosts would fight over the store and netd.
    app.quit();
    return;
  }
  // Before any start-up work: a relaunch while the host is still opening must not be lost.
  const relaunch = new SecondInstanceRelay();
  app.on('second-instance', (_event, argv) => relaunch.request(argv));

  // The store inside this process loads better-sqlite3 built for Electron, never node_modules' Node build.
  const binding = electronSqliteBinding({ packaged: app.isPackaged, appPath: app.getAppPath(), resourcesPath: process.resourcesPath, env: process.env });
  process.env.BURROW_SQLITE_BINDING = binding;

  const gate = new ExternalOpenGate();
  app.on('web-contents-created', (_event, contents) => {
    hardenWebContents(contents, { location, gate, openExternal: (url) => shell.openExternal(url), log });
  });

  app
    .whenReady()
    .then(() => start(deps, args, location, relaunch))
    .catch((error: unknown) => {
      // The usual first-run failure in a checkout: say which command builds the missing module.
      if (!existsSync(binding)) throw new Error(missingBindingMessage(binding, app.isPackaged));
      throw error;
    })
    .catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      log.error(`Burrow could not start: ${message}`);
      // Started from a menu there is no terminal: say it in a window before leaving.
      dialog.showErrorBox('Burrow could not start', message);
      app.exit(1);
    });
}

async function start(deps: DesktopDeps, args: LaunchArgs, location: RendererLocation, relaunch: SecondInstanceRelay): Promise<void> {
  const paths = appPaths();
  const ses = session.defaultSession;
  hardenSession(ses, location, log);
  registerAppProtocol(ses, paths.renderer);
  if (!location.dev && !existsSync(join(paths.renderer, 'index.html'))) {
    log.warn(`No renderer at ${paths.renderer}: run \`npm run build\` first.`);
  }

  const host: HostLike = await deps.createHost({
    dataDir: deps.resolveDataDir(args.dataDir),
    ...(args.netdSocket === undefined ? {} : { netdSocket: args.netdSocket }),
    logMirror: (line) => console.error(line),
  });
  hostLog = (level, source, message) => host.log(level, source, message);
  let view: DesktopView = viewFromSnapshot(await host.snapshot());
  let window: BrowserWindow | undefined;

  const queue = new EventQueue((envelope: EventEnvelope) => {
    const contents = window?.webContents;
    if (contents !== undefined && !contents.isDestroyed()) contents.send(IPC_EVENT_CHANNEL, envelope);
  });

  const showWindow = (): void => {
    if (window !== undefined && !window.isDestroyed()) {
      if (window.isMinimized()) window.restore();
      window.show();
      window.focus();
      return;
    }
    window = createWindow(paths, location, queue);
    window.on('closed', () => {
      window = undefined;
      queue.reset();
    });
  };

  let quitting = false;
  const quit = (): void => {
    if (quitting) return;
    quitting = true;
    void closeWithin(host, 5000).then((outcome) => {
      if (outcome !== 'closed') log.warn(`The host did not close cleanly (${outcome}); quitting anyway.`);
      app.exit(0);
    });
  };
  // Quit from anywhere (a desktop session logging out, Ctrl+Q) closes the host first.
  app.on('before-quit', (event) => {
    event.preventDefault();
    quit();
  });
  // Closing the window leaves Burrow in the tray (the tunnel and the kill switch stay as they are), unless
  // this desktop shows no tray: then nothing would be left to bring it back, so it quits.
  const probeTray = deps.probeTray ?? (() => probeTrayPresence());
  const trayPresence = await probeTray();
  if (trayPresence === 'absent') log.warn(NO_TRAY_NOTICE);
  app.on('window-all-closed', () => {
    void probeTray().then((presence) => {
      if (closeDecision(presence) === 'quit') quit();
    });
  });

  const disposeIpc = registerIpc(ipcMain, {
    handlers: host.handlers,
    isTrusted: (event) => isTrustedEvent(event, window?.webContents, location),
    onReady: () => queue.markReady(),
    onRejected: (channel, url) => log.warn(`Refused IPC on ${channel} from ${url === null ? 'a vanished frame' : 'a foreign page'}.`),
    dispatch: { onInternalError: (method, error) => log.error(`${method}: ${error.message}`) },
  });

  const tray = new TrayController(view, {
    iconsDir: paths.icons,
    theme: parseTrayTheme(process.env.BURROW_TRAY_THEME),
    handlers: host.handlers,
    app: { showWindow, quit },
    onError: (message) => notify({ title: 'Burrow', body: message, urgency: 'normal', timeoutType: 'default' }, showWindow),
  });

  // The autostart entry follows the setting; at start-up the file's presence is adopted once.
  const autostart = new AutostartSync(
    {
      path: autostartPath(process.env),
      entry: autostartEntryFor({ packaged: app.isPackaged, execPath: process.execPath, appPath: app.getAppPath(), appImage: process.env.APPIMAGE }),
    },
    (message) => log.error(message),
  );

  const unsubscribe = host.onEvent((event, payload) => {
    queue.push({ event, data: payload });
    const change = applyEvent(view, event, payload);
    view = change.view;
    if (change.kind === 'settings') void autostart.apply(view.settings);
    if (change.kind === 'none') return;
    if (change.kind === 'leak') {
      const spec = notificationForLeak(change.verdict);
      if (spec !== null) notify(spec, showWindow);
      return;
    }
    tray.update(view);
    if (change.kind === 'state') {
      const spec = notificationFor(change.previous, view.state);
      if (spec !== null) notify(spec, showWindow);
    }
  });

  app.on('will-quit', () => {
    unsubscribe();
    disposeIpc();
    tray.dispose();
    hostLog = undefined;
  });

  await autostart
    .reconcile(view.settings, (patch) => dispatchCall(host.handlers, null, 'updateSettings', patch))
    .catch((error: unknown) => log.error(`Autostart: ${error instanceof Error ? error.message : String(error)}`));

  if (!startHidden(args.hidden, trayPresence)) showWindow();
  if (trayPresence === 'absent') notify({ title: 'Burrow has no tray icon here', body: NO_TRAY_NOTICE, urgency: 'normal', timeoutType: 'default' }, showWindow);
  relaunch.attach(showWindow);
  log.info(`Desktop started${args.hidden ? ' in the tray' : ''}; renderer ${location.url}.`);
}

function createWindow(paths: ReturnType<typeof appPaths>, location: RendererLocation, queue: EventQueue): BrowserWindow {
  const window = new BrowserWindow(
    mainWindowOptions({
      preload: paths.preload,
      devTools: !app.isPackaged,
      icon: join(paths.icons, 'app', '256x256.png'),
    }),
  );
  queue.reset();
  // A reload or a crash starts a new page: hold events until it says it is ready again.
  window.webContents.on('did-start-navigation', (event) => {
    if (event.isMainFrame && !event.isSameDocument) queue.reset();
  });
  window.webContents.on('render-process-gone', (_event, details) => {
    queue.reset();
    log.error(`The window's renderer stopped (${details.reason}).`);
  });
  window.once('ready-to-show', () => window.show());
  window.loadURL(location.url).catch((error: unknown) => {
    log.error(`The window could not load ${location.url}: ${error instanceof Error ? error.message : String(error)}`);
  });
  return window;
}

// Held until closed: a Notification that is garbage-collected stops delivering its click.
const shown = new Set<Notification>();

function notify(spec: NotificationSpec, onClick: () => void): void {
  if (!Notification.isSupported()) return;
  const notification = new Notification({ title: spec.title, body: spec.body, urgency: spec.urgency, timeoutType: spec.timeoutType });
  shown.add(notification);
  // Linux notification servers drop actions: a click opens the window, where the person can act.
  notification.on('click', () => {
    shown.delete(notification);
    onClick();
  });
  notification.on('close', () => shown.delete(notification));
  notification.show();
}
