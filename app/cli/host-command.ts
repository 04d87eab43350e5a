// `burrow host`: run the host headless with its control socket and, on request, the web UI.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { NetworkKindSchema } from '../domain/index.js';
import { createHost } from '../host/create-host.js';
import { defaultControlPath, startControlServer } from '../host/control-server.js';
import { startWebServer, type WebServer } from '../host/web-server.js';
import { findDefaultNetdSocket } from '../netd/default-socket.js';
import { resolveDataDir } from '../store/index.js';

function findRendererDir(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  // Bundled: dist/node/burrow.mjs → dist/renderer. From source: app/cli → dist/renderer.
  const candidates = [join(here, '..', 'renderer'), join(here, '..', '..', 'dist', 'renderer')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html')));
}

export async function runHost(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string' },
      control: { type: 'string' },
      web: { type: 'string' },
      netd: { type: 'string' },
      quiet: { type: 'boolean' },
      // The demo's lab stand-ins (nym, dvpn): shown as such in the UI, never passed off as the real network.
      'stand-in': { type: 'string', multiple: true },
    },
    strict: true,
  });
  // Everything the host writes (database, secrets, sockets) is private to the user.
  process.umask(0o077);
  const dataDir = resolveDataDir(values.data);
  const netdSocket = values.netd ?? findDefaultNetdSocket();
  const standIns = (values['stand-in'] ?? []).flatMap((list) => list.split(',')).map((name) => NetworkKindSchema.parse(name.trim()));
  const host = await createHost({
    dataDir,
    ...(netdSocket ? { netdSocket } : {}),
    ...(standIns.length > 0 ? { standIns } : {}),
    ...(values.quiet ? {} : { logMirror: (line: string) => process.stderr.write(`${line}\n`) }),
  });
  const control = await startControlServer(values.control ?? defaultControlPath(), host.handlers, (level, message) =>
    host.log(level, 'control', message),
  );
  let web: WebServer | undefined;
  if (values.web) {
    web = await startWebServer({
      address: values.web,
      rendererDir: findRendererDir(),
      handlers: host.handlers,
      log: (level, message) => host.log(level, 'web', message),
    });
    process.stdout.write(`Burrow web UI: ${web.url}\n`);
  }
  host.onEvent((event, payload) => {
    control.broadcast(event, payload);
    web?.broadcast(event, payload);
  });
  process.stdout.write(`Burrow host ready: control socket ${control.path}, data ${dataDir}\n`);

  return new Promise((resolve) => {
    let stopping = false;
    const stop = (signal: string): void => {
      if (stopping) return;
      stopping = true;
      host.log('info', 'host', `Stopping on ${signal}; the firewall stays as it is (fail closed).`);
      void (async () => {
        await web?.close();
        await control.close();
        await host.close();
        resolve(0);
      })();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}
