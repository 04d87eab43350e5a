// netd's DNS stub for system-wide proxy networks: listens on 127.0.0.1 (UDP and TCP), where the firewall
// redirects every other uid's port-53 traffic, and answers each query by asking one resolver over TCP
// through the helper's proxy — so the query leaves at the far end (the Nym exit, the Mysterium node), never
// from this machine. It parses only the 12-byte header: a bad message is dropped, a failed one answered
// SERVFAIL. Runs inside netd; its only outgoing connections are to 127.0.0.1.
import { createSocket, type RemoteInfo, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import { dialThrough, type ProxyType } from './redirect-dial.js';

export interface StubOptions {
  port: number;
  proxyType: ProxyType;
  proxyPort: number;
  upstream: { ip: string; port: number };
  /** Per query, through a mixnet: generous. */
  timeoutMs?: number;
  maxInFlight?: number;
}

const MAX_MESSAGE = 4096;

/** A query worth forwarding: a full header, QR=0, opcode QUERY, at least one question. */
export function isQuery(message: Buffer): boolean {
  if (message.length < 12 || message.length > MAX_MESSAGE) return false;
  const flags = message.readUInt16BE(2);
  return (flags & 0x8000) === 0 && ((flags >> 11) & 0xf) === 0 && message.readUInt16BE(4) >= 1;
}

/** Length of the header and the first question, or 12 when the question cannot be read. */
function questionEnd(message: Buffer): number {
  let offset = 12;
  for (let labels = 0; offset < message.length && labels < 128; labels++) {
    const length = message[offset] ?? 0;
    if (length === 0) return offset + 5 <= message.length ? offset + 5 : 12;
    if ((length & 0xc0) !== 0) return 12;
    offset += 1 + length;
  }
  return 12;
}

/** SERVFAIL for a query: its id and question, QR and RA set, RCODE 2, nothing else. */
export function servfail(query: Buffer): Buffer {
  const end = questionEnd(query);
  const out = Buffer.from(query.subarray(0, end));
  out.writeUInt16BE(0x8000 | (out.readUInt16BE(2) & 0x7900) | 0x0080 | 2, 2);
  out.writeUInt16BE(end > 12 ? 1 : 0, 4);
  out.writeUInt16BE(0, 6);
  out.writeUInt16BE(0, 8);
  out.writeUInt16BE(0, 10);
  return out;
}

/** An answer too large for UDP: the header and question with TC set, so the resolver retries over TCP. */
export function truncated(answer: Buffer, query: Buffer): Buffer {
  const end = questionEnd(query);
  const out = Buffer.from(query.subarray(0, end));
  out.writeUInt16BE(answer.readUInt16BE(2) | 0x8000 | 0x0200, 2);
  out.writeUInt16BE(end > 12 ? 1 : 0, 4);
  out.writeUInt16BE(0, 6);
  out.writeUInt16BE(0, 8);
  out.writeUInt16BE(0, 10);
  return out;
}

export class DnsStub {
  queries = 0;
  failures = 0;
  private inFlight = 0;
  private udp: UdpSocket | undefined;
  private tcp: Server | undefined;
  private readonly tcpClients = new Set<Socket>();

  constructor(private readonly options: StubOptions) {}

  async start(): Promise<void> {
    const udp = createSocket('udp4');
    udp.on('message', (message: Buffer, from: RemoteInfo) => void this.answerUdp(udp, message, from).catch(() => undefined));
    udp.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(this.options.port, '127.0.0.1', () => resolve());
    });
    this.udp = udp;
    const tcp = createServer((socket) => this.serveTcp(socket));
    await new Promise<void>((resolve, reject) => {
      tcp.once('error', reject);
      tcp.listen(this.options.port, '127.0.0.1', () => resolve());
    });
    this.tcp = tcp;
  }

  stop(): void {
    this.udp?.close();
    this.udp = undefined;
    this.tcp?.close();
    this.tcp = undefined;
    for (const socket of this.tcpClients) socket.destroy();
    this.tcpClients.clear();
  }

  /** One query over TCP through the proxy; the answer, or SERVFAIL. */
  async resolve(query: Buffer): Promise<Buffer> {
    this.queries++;
    if (this.inFlight >= (this.options.maxInFlight ?? 64)) {
      this.failures++;
      return servfail(query);
    }
    this.inFlight++;
    const timeoutMs = this.options.timeoutMs ?? 15_000;
    try {
      const socket = await dialThrough(this.options.proxyType, this.options.proxyPort, this.options.upstream.ip, this.options.upstream.port, timeoutMs);
      return await new Promise<Buffer>((resolve, reject) => {
        let buf = Buffer.alloc(0);
        const timer = setTimeout(() => socket.destroy(new Error('no answer in time')), timeoutMs);
        socket.on('data', (data: Buffer) => {
          buf = Buffer.concat([buf, data]);
          if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
            clearTimeout(timer);
            socket.destroy();
            resolve(buf.subarray(2, 2 + buf.readUInt16BE(0)));
          }
        });
        socket.once('error', (error) => {
          clearTimeout(timer);
          reject(error);
        });
        socket.once('close', () => {
          clearTimeout(timer);
          reject(new Error('closed before an answer'));
        });
        const length = Buffer.alloc(2);
        length.writeUInt16BE(query.length, 0);
        socket.write(Buffer.concat([length, query]));
        socket.resume();
      });
    } catch {
      this.failures++;
      return servfail(query);
    } finally {
      this.inFlight--;
    }
  }

  private async answerUdp(udp: UdpSocket, message: Buffer, from: RemoteInfo): Promise<void> {
    if (!isQuery(message)) return;
    const answer = await this.resolve(message);
    // 1232 bytes: the EDNS buffer size DNS Flag Day 2020 settled on; larger answers go over TCP.
    const reply = answer.length > 1232 ? truncated(answer, message) : answer;
    // Stopped while the answer was on its way (the network was switched): sending on the closed socket
    // would throw outside any handler and take netd down with it.
    if (this.udp !== udp) return;
    try {
      udp.send(reply, from.port, from.address, () => undefined);
    } catch {
      /* closed in between: the asker retries */
    }
  }

  private serveTcp(socket: Socket): void {
    this.tcpClients.add(socket);
    socket.on('error', () => undefined);
    socket.once('close', () => this.tcpClients.delete(socket));
    socket.setTimeout(30_000, () => socket.destroy());
    let buf = Buffer.alloc(0);
    socket.on('data', (data: Buffer) => {
      buf = Buffer.concat([buf, data]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const query = buf.subarray(2, 2 + buf.readUInt16BE(0));
        buf = buf.subarray(2 + query.length);
        if (!isQuery(query)) return void socket.destroy();
        void this.resolve(query).then((answer) => {
          const length = Buffer.alloc(2);
          length.writeUInt16BE(answer.length, 0);
          if (!socket.destroyed) socket.write(Buffer.concat([length, answer]));
        });
      }
      if (buf.length > MAX_MESSAGE + 2) socket.destroy();
    });
  }
}
