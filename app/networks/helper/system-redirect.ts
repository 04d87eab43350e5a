// System-wide mode for the proxy networks (Nym, dVPN): netd runs redsocks on REDIRECT_PORT (every other
// uid's TCP, redirected by the firewall, goes into the helper's SOCKS5 or HTTP CONNECT port) and a DNS stub
// on DNS_STUB_PORT (queries go over TCP through the same proxy to a resolver, so names are resolved at the
// far end). The firewall policies use the same two ports (app/contract/netd-redirect.ts). Nym and dVPN both
// use it from here.
import { REDIRECT_PORTS, type RedirectStartRequest } from '../../contract/index.js';
import type { NetdClient } from '../../netd/client.js';

export const REDIRECT_PORT = REDIRECT_PORTS.redirectPort;
export const DNS_STUB_PORT = REDIRECT_PORTS.dnsStubPort;

export type RedirectRequest = RedirectStartRequest;

export interface SystemRedirect {
  up(request: RedirectRequest): Promise<void>;
  down(): Promise<void>;
  /** Whether redsocks still runs (a dead redirect means a dead tunnel for every program). */
  alive(): Promise<boolean>;
}

export function netdRedirect(netd: NetdClient): SystemRedirect {
  return {
    async up(request) {
      await netd.call('redirectStart', request, 20_000);
    },
    async down() {
      await netd.call('redirectStop', {});
    },
    async alive() {
      return (await netd.call('redirectStatus', {})).running;
    },
  };
}

/** Polls the redirect while connected; calls onDead once when redsocks is gone. Returns the stop function. */
export function watchRedirect(redirect: SystemRedirect, onDead: () => void, intervalMs = 2000): () => void {
  let stopped = false;
  let failures = 0;
  const timer = setInterval(() => {
    void redirect.alive().then(
      (alive) => {
        failures = 0;
        if (alive || stopped) return;
        stopped = true;
        clearInterval(timer);
        onDead();
      },
      () => {
        // netd unreachable three times running counts as a dead redirect too.
        if (++failures < 3 || stopped) return;
        stopped = true;
        clearInterval(timer);
        onDead();
      },
    );
  }, intervalMs);
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
