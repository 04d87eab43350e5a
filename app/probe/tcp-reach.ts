// Can a TCP connection (and, for TLS-looking transports, a TLS handshake) be made to a bridge or a
// transport server? Plain sockets as the user: no privilege, no tunnel. A certificate is verified
// against the given CA when there is one; the probe asks whether the path is open, not whether to trust.
import { Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { TcpOutcome } from './verdict.js';

export interface TcpProbe {
  host: string;
  port: number;
  /** Do a TLS handshake with this server name. */
  tls?: { serverName: string; ca?: string };
  timeoutMs?: number;
}

export function probeTcp(probe: TcpProbe): Promise<{ outcome: TcpOutcome; detail: string; ms: number }> {
  const started = Date.now();
  const timeoutMs = probe.timeoutMs ?? 4000;
  return new Promise((resolve) => {
    const socket = new Socket();
    let settled = false;
    const done = (outcome: TcpOutcome, detail: string): void => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve({ outcome, detail, ms: Date.now() - started });
    };
    socket.setTimeout(timeoutMs, () => done('timeout', `no answer within ${timeoutMs} ms`));
    socket.once('error', (err: NodeJS.ErrnoException) => done(err.code === 'ECONNREFUSED' ? 'refused' : 'timeout', err.code ?? err.message));
    socket.connect(probe.port, probe.host, () => {
      const tls = probe.tls;
      if (tls === undefined) {
        done('open', 'TCP connection opened');
        return;
      }
      const secure = tlsConnect({ socket, servername: tls.serverName, ...(tls.ca === undefined ? {} : { ca: tls.ca }) });
      const timer = setTimeout(() => done('tls-stalled', `TCP opened, no TLS answer within ${timeoutMs} ms`), timeoutMs);
      secure.once('secureConnect', () => {
        clearTimeout(timer);
        done('tls-ok', `TLS ${secure.getProtocol() ?? ''} with ${tls.serverName}`);
      });
      secure.once('error', (err: Error) => {
        clearTimeout(timer);
        done('tls-failed', err.message.slice(0, 200));
      });
    });
  });
}
