// Which interface the tunnel's own packets leave by: the route the kernel picks for the endpoint when the
// packet carries the tunnel socket's fwmark (policy routing, as wg-quick's, sends everything else into the
// tunnel). The out-of-tunnel probe forces its packets out of exactly that interface.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { BURROW_WG_FWMARK } from '../contract/netd.js';

/** The mark netd gives the tunnel's socket (Burrow's own, not wg-quick's 51820). */
export const WG_FWMARK = BURROW_WG_FWMARK;

/** Pure: `ip -j route get` output → the device name, or undefined. */
export function parseRouteGet(json: string): string | undefined {
  try {
    const routes = JSON.parse(json) as unknown;
    const first = Array.isArray(routes) ? (routes[0] as { dev?: unknown } | undefined) : undefined;
    return typeof first?.dev === 'string' && first.dev !== '' ? first.dev : undefined;
  } catch {
    return undefined;
  }
}

/** wg-quick's mark: a tunnel Burrow did not make (a work VPN, a test's baseline) steers by it. */
const WG_QUICK_FWMARK = 51820;

/** A layer-3 tunnel (WireGuard, tun: ARPHRD_NONE) is never the physical way out. */
function isTunnelDevice(dev: string): boolean {
  try {
    return readFileSync(`/sys/class/net/${dev}/type`, 'utf8').trim() === '65534';
  } catch {
    return false;
  }
}

function routeGet(endpoint: string, fwmark: number, signal: AbortSignal): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(
      'ip',
      ['-j', 'route', 'get', endpoint, 'mark', String(fwmark)],
      { signal, timeout: 2000, env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' } },
      (err, stdout) => resolve(err === null ? parseRouteGet(stdout) : undefined),
    );
  });
}

/**
 * The interface the endpoint is reached by outside the tunnel: with Burrow's mark, and where that still
 * lands in a tunnel (the tunnel is wg-quick's, steering by its own mark), with wg-quick's.
 */
export async function physicalInterfaceFor(endpoint: string, signal: AbortSignal, fwmark = WG_FWMARK): Promise<string | undefined> {
  if (isIP(endpoint) === 0) return undefined;
  let first: string | undefined;
  for (const mark of new Set([fwmark, WG_QUICK_FWMARK])) {
    const dev = await routeGet(endpoint, mark, signal);
    first ??= dev;
    if (dev !== undefined && !isTunnelDevice(dev)) return dev;
  }
  return first;
}
