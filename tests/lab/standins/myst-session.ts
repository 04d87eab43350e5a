// STAND-IN support for the myst stand-in: the consumer connection (state machine with the real node's
// state names), the link to the stand-in provider in the lab's `vpn` namespace, and the proxy-mode HTTP
// proxy (CONNECT and absolute-form requests) on proxy.bind.address:proxy_port.
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { newKeyShare, sealedStream, sharedKey } from './seal.js';

export type ConnState = 'NotConnected' | 'Connecting' | 'Connected' | 'Disconnecting' | 'Reconnecting' | 'ConnectionFailed' | 'Canceled' | 'OnHold' | 'IPNotChanged';

export interface StandinProposal {
  provider_id: string;
  country: string;
  city: string;
  ip_type: string;
  /** MYST per GiB and per hour. */
  price_per_gib: number;
  price_per_hour: number;
  quality: number;
  latency: number;
  bandwidth: number;
  /** Where the stand-in provider listens (host:port in the lab's vpn namespace). */
  endpoint: string;
}

export interface SessionInfo {
  consumerId: string;
  proposal: StandinProposal;
  sessionId: string;
  startedAt: number;
  killSwitchOff: boolean;
}

export class ConsumerConnection {
  state: ConnState = 'NotConnected';
  session: SessionInfo | undefined;
  bytesSent = 0;
  bytesReceived = 0;
  private control: Socket | undefined;
  private token = '';
  /** The session's key, from the X25519 exchange on the control connection. */
  private key: Buffer = Buffer.alloc(0);
  private proxy: Server | undefined;
  private cancel: ((why: string) => void) | undefined;
  private readonly streams = new Set<Socket>();

  constructor(
    private readonly opts: { bindAddress: string; connectDelayMs: number; onState: (state: ConnState) => void; log: (message: string) => void },
  ) {}

  private set(state: ConnState): void {
    this.state = state;
    this.opts.onState(state);
  }

  /** Resolves once connected; rejects with the reason otherwise (the state says which failure). */
  async connect(session: SessionInfo, proxyPort: number): Promise<void> {
    this.session = session;
    this.set('Connecting');
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, this.opts.connectDelayMs);
        this.cancel = (why) => {
          clearTimeout(timer);
          reject(new Error(why));
        };
      });
      await this.openControl(session);
      await this.startProxy(proxyPort);
      this.cancel = undefined;
      this.set('Connected');
    } catch (error) {
      const cancelled = error instanceof Error && error.message === 'cancelled';
      this.teardown();
      this.set(cancelled ? 'Canceled' : 'ConnectionFailed');
      this.set('NotConnected');
      this.session = undefined;
      throw error;
    }
  }

  disconnect(): boolean {
    if (this.state === 'Connecting' && this.cancel !== undefined) {
      this.cancel('cancelled');
      return true;
    }
    if (this.state !== 'Connected' && this.state !== 'Reconnecting') return false;
    this.set('Disconnecting');
    this.teardown();
    this.session = undefined;
    this.set('NotConnected');
    return true;
  }

  private openControl(session: SessionInfo): Promise<void> {
    const [host = '', port = ''] = session.proposal.endpoint.split(/:(?=\d+$)/);
    return new Promise((resolve, reject) => {
      const control = connect({ host, port: Number(port) });
      let buf = '';
      const timer = setTimeout(() => control.destroy(new Error(`the provider ${session.proposal.endpoint} did not answer`)), 10_000);
      this.cancel = (why) => control.destroy(new Error(why));
      const share = newKeyShare();
      control.once('connect', () => control.write(`HELLO ${session.consumerId} ${share.publicKey}\n`));
      control.on('data', (data: Buffer) => {
        if (this.control === control) return;
        buf += data.toString();
        const match = /^SESSION (\S+) (\S+)\n/.exec(buf);
        if (match === null) return;
        clearTimeout(timer);
        this.token = match[1] ?? '';
        this.key = sharedKey(share, match[2] ?? '', 'myst');
        this.control = control;
        control.on('close', () => this.onControlLost(control));
        resolve();
      });
      control.once('error', (error) => {
        clearTimeout(timer);
        if (this.control !== control) reject(error);
      });
    });
  }

  private onControlLost(control: Socket): void {
    if (this.control !== control || this.state !== 'Connected' || this.session === undefined) return;
    this.opts.log('provider link lost, reconnecting');
    const session = this.session;
    this.set('Reconnecting');
    void (async () => {
      for (let attempt = 1; attempt <= 3; attempt++) {
        await new Promise((r) => setTimeout(r, 1000));
        if (this.state !== 'Reconnecting') return;
        try {
          await this.openControl(session);
          this.set('Connected');
          return;
        } catch {
          this.opts.log(`reconnect attempt ${attempt} failed`);
        }
      }
      this.teardown();
      this.session = undefined;
      this.set('ConnectionFailed');
      this.set('NotConnected');
    })();
  }

  private teardown(): void {
    const control = this.control;
    this.control = undefined;
    control?.destroy();
    for (const stream of this.streams) stream.destroy();
    this.streams.clear();
    this.proxy?.close();
    this.proxy?.closeAllConnections();
    this.proxy = undefined;
  }

  /** One stream through the provider: resolves with its plain side once the provider reached host:port. */
  private openStream(host: string, port: number): Promise<Duplex> {
    const [phost = '', pport = ''] = (this.session?.proposal.endpoint ?? '').split(/:(?=\d+$)/);
    return new Promise((resolve, reject) => {
      if (this.control === undefined) return reject(new Error('not connected'));
      const stream = connect({ host: phost, port: Number(pport), allowHalfOpen: true });
      let buf = Buffer.alloc(0);
      const onData = (data: Buffer): void => {
        buf = Buffer.concat([buf, data]);
        const end = buf.indexOf(10);
        if (end < 0) return;
        stream.off('data', onData);
        const line = buf.subarray(0, end).toString();
        if (line !== 'OK') {
          stream.destroy();
          return reject(new Error(line.replace(/^ERR /, '')));
        }
        // Past the OK line every byte is a sealed record under the session's key (seal.ts).
        const sealed = sealedStream(stream, this.key, buf.subarray(end + 1), (bytes) => (this.bytesReceived += bytes));
        sealed.on('error', () => undefined);
        this.streams.add(stream);
        stream.once('close', () => this.streams.delete(stream));
        resolve(sealed);
      };
      stream.once('connect', () => stream.write(`STREAM ${this.token} ${host}:${port}\n`));
      stream.on('data', onData);
      stream.once('error', reject);
    });
  }

  private startProxy(port: number): Promise<void> {
    const server = createHttpServer((req, res) => {
      const url = safeUrl(req.url);
      if (url === undefined || url.protocol !== 'http:') {
        res.writeHead(400).end('myst proxy: absolute http:// URLs or CONNECT only\n');
        return;
      }
      this.openStream(url.hostname.replace(/^\[|\]$/g, ''), Number(url.port || 80)).then(
        (upstream) => {
          upstream.write(requestHead(req, url));
          this.count(req.socket);
          req.pipe(upstream, { end: false });
          upstream.pipe(req.socket);
          upstream.once('close', () => req.socket.destroy());
        },
        (error: Error) => res.writeHead(502).end(`myst proxy: ${error.message}\n`),
      );
    });
    server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
      const target = /^\[?([^\]]+?)\]?:(\d+)$/.exec(req.url ?? '');
      client.on('error', () => undefined);
      if (target === null) {
        client.end('HTTP/1.1 400 Bad Request\r\n\r\n');
        return;
      }
      this.openStream(target[1] ?? '', Number(target[2])).then(
        (upstream) => {
          client.write('HTTP/1.1 200 Connection established\r\n\r\n');
          if (head.length > 0) upstream.write(head);
          this.count(client);
          client.pipe(upstream);
          upstream.pipe(client);
          upstream.once('close', () => client.destroy());
          client.once('close', () => upstream.destroy());
        },
        (error: Error) => client.end(`HTTP/1.1 502 Bad Gateway\r\n\r\n${error.message}\n`),
      );
    });
    this.proxy = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.opts.bindAddress, () => {
        this.opts.log(`proxy listening on ${this.opts.bindAddress}:${port}`);
        resolve();
      });
    });
  }

  private count(socket: Socket): void {
    socket.on('data', (d: Buffer) => (this.bytesSent += d.length));
  }
}

function safeUrl(text: string | undefined): URL | undefined {
  try {
    return new URL(text ?? '');
  } catch {
    return undefined;
  }
}

function requestHead(req: IncomingMessage, url: URL): string {
  const lines = [`${req.method ?? 'GET'} ${url.pathname}${url.search} HTTP/1.1`];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i] ?? '';
    if (/^(proxy-|connection$|keep-alive$)/i.test(name)) continue;
    lines.push(`${name}: ${req.rawHeaders[i + 1] ?? ''}`);
  }
  lines.push('Connection: close', '', '');
  return lines.join('\r\n');
}
