// System-wide mode: netd starts tor under tor's own uid; the host gets a control socket in a directory only
// its uid (and tor) can enter, and a password only it knows (netd sees the hash alone). When tor dies, the
// control connection closes and the host asks netd how it died. While tor runs, netd also points the system
// resolver (resolv.conf) at 127.0.0.1, the one DNS address the tor-system policy sends to tor's DNSPort: DNS
// to any other resolver is refused. Stopping puts the original resolv.conf back.
import { createHash } from 'node:crypto';
import { BurrowError } from '../../domain/errors.js';
import { TOR_SYSTEM_RESOLVER } from '../../firewall/index.js';
import type { NetdClient } from '../../netd/client.js';
import { createControlPassword } from './control/index.js';
import type { LaunchedTor, TorLauncher } from './launcher.js';
import { DEFAULT_SOCKS_PORT } from './torrc.js';

export interface SystemLauncherOptions {
  netd: NetdClient;
  /** The host's uid, which will own the control socket's directory. */
  uid?: number;
}

/** The data directory's name: the profile, and a digest of the network it points at (a changed network starts cold). */
export function stateKey(profileId: string, dirAuthorities: readonly string[]): string {
  const network = dirAuthorities.length === 0 ? 'public' : createHash('sha256').update(dirAuthorities.join('\n')).digest('hex').slice(0, 12);
  return `${profileId}-${network}`.slice(0, 80);
}

export function systemLauncher(options: SystemLauncherOptions): TorLauncher {
  const { netd } = options;
  return {
    async launch(request): Promise<LaunchedTor> {
      const { config } = request;
      const { password, hashedControlPassword } = createControlPassword();
      const socksPort = config.socksPort ?? DEFAULT_SOCKS_PORT;
      const started = await netd.call(
        'torSystemStart',
        {
          controllerUid: options.uid ?? process.getuid?.() ?? 0,
          hashedControlPassword,
          stateKey: stateKey(request.profileId, config.dirAuthorities),
          socksPort,
          useBridges: config.useBridges,
          bridges: config.useBridges ? config.parsedBridges.map((bridge) => bridge.text) : [],
          dirAuthorities: config.dirAuthorities,
          options: config.options,
        },
        40_000,
      );
      try {
        await netd.call('setDns', { servers: [TOR_SYSTEM_RESOLVER], search: [] });
      } catch (error) {
        // Without the resolver there is no DNS at all (the firewall refuses the old one): do not run half set up.
        await netd.call('torSystemStop', {}).catch(() => undefined);
        await netd.call('restoreDns', {}).catch(() => undefined);
        throw error instanceof Error ? error : new Error(String(error));
      }
      let running = true;
      let stopped: Promise<void> | undefined;
      const diagnose = async (): Promise<BurrowError> => {
        // The socket closes a moment before netd has seen its child exit: ask again for up to 2 s.
        let status = await netd.call('torSystemStatus', {}).catch(() => undefined);
        for (let tries = 0; status?.running === true && tries < 10; tries++) {
          await new Promise((resolve) => setTimeout(resolve, 200));
          status = await netd.call('torSystemStatus', {}).catch(() => undefined);
        }
        if (status?.running === true) return new BurrowError('helper_failed', 'Tor closed its control connection but is still running; restarting it.');
        running = false;
        const how = status === undefined ? 'netd could not say how' : status.signal !== null ? `killed by ${status.signal}` : `exit code ${status.exitCode ?? 'unknown'}`;
        const said = status?.signal === null && status.lastProblem !== null ? `: ${status.lastProblem}` : '.';
        return new BurrowError('helper_failed', `Tor stopped unexpectedly (${how})${said}`, { pid: started.pid });
      };
      return {
        controlSocket: started.controlSocket,
        auth: { password },
        socketOwner: started.torUid,
        socksAddress: `127.0.0.1:${started.socksPort}`,
        transPort: started.transPort,
        dnsPort: started.dnsPort,
        // netd's tor is not our child: its death shows as the control connection closing (see diagnose).
        exited: new Promise<BurrowError>(() => undefined),
        diagnose,
        running: () => running,
        // netd answered once the control socket existed.
        ready: () => Promise.resolve(),
        onLog: () => () => undefined,
        stop: () => {
          stopped ??= (async () => {
            // Both, whatever the first says: tor stopped, then the resolver put back.
            const errors: Error[] = [];
            const keep = (error: unknown): void => {
              errors.push(error instanceof Error ? error : new Error(String(error)));
            };
            await netd.call('torSystemStop', {}).catch(keep);
            running = false;
            await netd.call('restoreDns', {}).catch(keep);
            if (errors[0] !== undefined) throw errors[0];
          })();
          return stopped;
        },
      };
    },
  };
}
