// Starting `myst --proxymode --consumer --proxy.bind.address=127.0.0.1 --tequilapi.port=PORT --ui.enable=false
// daemon` as the helper user (proxy mode: no tun, no root, no firewall of its own) and waiting until TequilAPI
// answers and accepts Burrow's login. The node's web UI is on by default (config/flags_ui.go in
// mysteriumnetwork/node 1.38.3) and binds port 4449 on the LAN address too: Burrow turns it off.
import { dirname } from 'node:path';
import { BurrowError } from '../../domain/errors.js';
import { describeExit, helperEnv } from '../helper/process.js';
import type { HelperLauncher, SupervisedHelper } from '../helper/launcher.js';
import type { HelperUser } from '../helper/user.js';
import { DEFAULT_TEQUILAPI_USER, type DvpnProfileConfig, type DvpnSecrets } from './config.js';
import { Tequilapi, TequilapiError } from './tequilapi.js';

export interface MystDaemon {
  proc: SupervisedHelper;
  api: Tequilapi;
  port: number;
}

export function mystArgv(tequilapiPort: number): string[] {
  return ['--proxymode', '--consumer', '--proxy.bind.address=127.0.0.1', `--tequilapi.port=${tequilapiPort}`, '--ui.enable=false', 'daemon'];
}

export async function startDaemon(o: {
  binary: string;
  user: HelperUser;
  /** Who starts it: the host itself, or netd (as burrow-dvpn, for a host that is not root). */
  launcher: HelperLauncher;
  config: DvpnProfileConfig;
  secrets: DvpnSecrets;
  signal: AbortSignal;
  timeoutMs: number;
  log: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;
}): Promise<MystDaemon> {
  const proc = await o.launcher.start(o.binary, mystArgv(o.config.tequilapiPort), { env: helperEnv(o.user, dirname(o.binary)) });
  proc.onLine((line) => o.log('debug', `myst: ${line.slice(0, 300)}`));
  const api = new Tequilapi(`http://127.0.0.1:${o.config.tequilapiPort}`);
  try {
    const deadline = Date.now() + o.timeoutMs;
    for (;;) {
      if (o.signal.aborted) throw o.signal.reason instanceof Error ? o.signal.reason : new BurrowError('cancelled', 'Cancelled.');
      if (!proc.running) {
        const log = proc.recent(6);
        if (log.some((line) => /address already in use|failed to start tequilapi/i.test(line))) {
          throw new BurrowError('conflict', `myst could not open TequilAPI on 127.0.0.1:${o.config.tequilapiPort}: another program holds that port. Set TequilapiPort in the profile to a free port.`, { log });
        }
        throw new BurrowError('helper_failed', `myst ${describeExit(proc.exitInfo)} while starting: ${log.slice(-3).join(' / ').slice(0, 400)}`, { log });
      }
      try {
        await api.healthcheck();
        break;
      } catch {
        if (Date.now() > deadline) throw new BurrowError('timeout', `myst's TequilAPI did not answer on 127.0.0.1:${o.config.tequilapiPort} within ${Math.round(o.timeoutMs / 1000)} s.`, { log: proc.recent(6) });
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
    try {
      await api.authenticate(DEFAULT_TEQUILAPI_USER, o.secrets.tequilapiPassword);
    } catch (error) {
      if (error instanceof TequilapiError && error.status === 401) {
        throw new BurrowError('unauthorized', 'myst refused Burrow\'s TequilAPI login. If you changed its password, put it in the profile (TequilapiPassword) and import it again.');
      }
      throw error;
    }
    return { proc, api, port: o.config.tequilapiPort };
  } catch (error) {
    await proc.stop();
    throw error;
  }
}
