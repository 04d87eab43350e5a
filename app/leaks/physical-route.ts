// Which interface the tunnel's own packets leave by: the route the kernel picks for the endpoint when the
// packet carries the tunnel socket's fwmark (wg-quick's policy routing sends everything else into the
// tunnel). The out-of-tunnel probe forces its packets out of exactly that interface.
import { execFile } from 'node:child_process';
import { isIP } from 'node:net';

/** wg-quick's fwmark, which netd uses too (its contract's DEFAULT_WG_FWMARK). */
export const WG_FWMARK = 51820;

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

export function physicalInterfaceFor(endpoint: string, signal: AbortSignal, fwmark = WG_FWMARK): Promise<string | undefined> {
  if (isIP(endpoint) === 0) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    execFile(
      'ip',
      ['-j', 'route', 'get', endpoint, 'mark', String(fwmark)],
      { signal, timeout: 2000, env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' } },
      (err, stdout) => resolve(err === null ? parseRouteGet(stdout) : undefined),
    );
  });
}
