// System-wide dVPN uses the firewall's `tor-system` policy kind, which answers DNS only when it is sent to
// 127.0.0.1 (and refuses every other resolver). So while the redirect runs, the system resolver must be
// 127.0.0.1: netd rewrites resolv.conf in place, as for Tor, and restores it when the redirect goes down.
import { TOR_SYSTEM_RESOLVER } from '../../firewall/index.js';
import type { NetdClient } from '../../netd/client.js';
import type { SystemRedirect } from '../helper/system-redirect.js';

export function withLocalResolver(redirect: SystemRedirect | undefined, netd: NetdClient | undefined): SystemRedirect | undefined {
  if (!redirect || !netd) return redirect;
  return {
    async up(request) {
      await redirect.up(request);
      try {
        await netd.call('setDns', { servers: [TOR_SYSTEM_RESOLVER], search: [] });
      } catch (error) {
        await redirect.down().catch(() => undefined);
        throw error;
      }
    },
    async down() {
      try {
        await redirect.down();
      } finally {
        await netd.call('restoreDns', {}).catch(() => undefined);
      }
    },
    alive: () => redirect.alive(),
  };
}
