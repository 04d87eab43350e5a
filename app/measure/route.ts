// Which way a measurement's traffic must go for a connected state. A system-wide tunnel carries the host's
// own sockets; Tor in proxy mode carries only what is sent to its SOCKS port, which its details name.
// The Tor driver states its mode and SOCKS address in the connection details (circuit-details.ts); that
// is read here, so measuring a proxy-mode Tor never silently measures the bare line instead.
import { BurrowError, type TunnelState } from '../domain/index.js';
import { SYSTEM_ROUTE, type Route } from './types.js';

const HOST_PORT = /^(?:\[([0-9a-fA-F:.]+)\]|(\d{1,3}(?:\.\d{1,3}){3}|localhost)):(\d{1,5})$/;

export function routeForState(state: TunnelState): Route {
  if (state.state !== 'connected') {
    throw new BurrowError('conflict', `Measurements need a connected tunnel; the tunnel is ${state.state}.`);
  }
  if (state.target.network !== 'tor') return SYSTEM_ROUTE;
  const extra = state.details.extra ?? {};
  const systemWide = /^system/i.test(extra.Mode ?? '');
  if (systemWide) return SYSTEM_ROUTE;
  const socks = extra['SOCKS proxy'];
  const match = socks === undefined ? null : HOST_PORT.exec(socks.trim());
  if (!match) {
    throw new BurrowError('internal', 'Tor is connected in proxy mode but its SOCKS address is unknown, so nothing can be measured through it.', {
      socks: socks ?? null,
    });
  }
  return { kind: 'socks5', proxy: { host: match[1] ?? match[2] ?? '127.0.0.1', port: Number(match[3]) } };
}
