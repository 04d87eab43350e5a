// netd's side of system-wide Nym and dVPN: the redsocks config it writes, the DNS stub's handling of
// messages, and the stub end to end through a fake SOCKS5 and a fake HTTP CONNECT proxy to a fake
// TCP resolver, all on loopback.
import { createSocket } from 'node:dgram';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { REDIRECT_PORTS, RedirectStartRequestSchema } from '../../../../app/contract/index.js';
import { redsocksConf } from '../../../../native/netd/redirect.js';
import { DnsStub, isQuery, servfail, truncated } from '../../../../native/netd/redirect-dns.js';

/** A query for example.lab A with an EDNS OPT record, as dig sends it. */
function query(id = 0x1234): Buffer {
  const header = Buffer.from([id >> 8, id & 0xff, 0x01, 0x20, 0, 1, 0, 0, 0, 0, 0, 1]);
  const name = Buffer.from([7, ...Buffer.from('example'), 3, ...Buffer.from('lab'), 0, 0, 1, 0, 1]);
  const opt = Buffer.from([0, 0, 41, 0x04, 0xd0, 0, 0, 0, 0, 0, 0]);
  return Buffer.concat([header, name, opt]);
}

function answerFor(q: Buffer, size = 0): Buffer {
  const out = Buffer.concat([q.subarray(0, 30), Buffer.from([0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 1, 80, 80]), Buffer.alloc(size)]);
  out.writeUInt16BE(0x8180, 2);
  out.writeUInt16BE(1, 6);
  out.writeUInt16BE(0, 10);
  return out;
}

describe('redsocks config', () => {
  it('netd\'s own listening address and port, the checked proxy port and type, its own user', () => {
    const request = RedirectStartRequestSchema.parse({ proxyType: 'http-connect', proxyPort: 10000, dnsUpstream: { ip: '1.1.1.1', port: 53 } });
    const conf = redsocksConf(request, { name: 'redsocks', group: 'redsocks' });
    expect(conf).toContain(`local_ip = 127.0.0.1;\n  local_port = ${REDIRECT_PORTS.redirectPort};\n  ip = 127.0.0.1;\n  port = 10000;\n  type = http-connect;`);
    expect(conf).toContain('user = redsocks;\n  group = redsocks;');
    expect(conf).toContain('daemon = off;');
  });

  it('the request cannot smuggle anything into it', () => {
    expect(RedirectStartRequestSchema.safeParse({ proxyType: 'socks5; } base { user = root', proxyPort: 1080, dnsUpstream: { ip: '1.1.1.1', port: 53 } }).success).toBe(false);
    expect(RedirectStartRequestSchema.safeParse({ proxyType: 'socks5', proxyPort: 80, dnsUpstream: { ip: '1.1.1.1', port: 53 } }).success).toBe(false);
    expect(RedirectStartRequestSchema.safeParse({ proxyType: 'socks5', proxyPort: 1080, dnsUpstream: { ip: 'dns.google', port: 53 } }).success).toBe(false);
    expect(RedirectStartRequestSchema.safeParse({ proxyType: 'socks5', proxyPort: 1080, dnsUpstream: { ip: '1.1.1.1', port: 53 }, config: 'x' }).success).toBe(false);
  });
});

describe('DNS stub messages', () => {
  it('forwards queries only', () => {
    expect(isQuery(query())).toBe(true);
    expect(isQuery(answerFor(query()))).toBe(false);
    expect(isQuery(Buffer.alloc(11))).toBe(false);
    const update = query();
    update.writeUInt16BE(0x2800, 2);
    expect(isQuery(update)).toBe(false);
  });

  it('SERVFAIL keeps the id and the question and nothing else (no dangling OPT bytes)', () => {
    const q = query(0xbeef);
    const fail = servfail(q);
    expect(fail.readUInt16BE(0)).toBe(0xbeef);
    expect(fail.readUInt16BE(2) & 0x800f).toBe(0x8002);
    expect(fail.readUInt16BE(4)).toBe(1);
    expect(fail.readUInt16BE(10)).toBe(0);
    expect(fail.length).toBe(12 + 17);
    expect(servfail(Buffer.concat([q.subarray(0, 12), Buffer.from([0xc0, 1])])).length).toBe(12);
  });

  it('a large answer over UDP becomes a truncated reply (TC set) so the resolver retries over TCP', () => {
    const reply = truncated(answerFor(query(), 3000), query());
    expect(reply.readUInt16BE(2) & 0x8200).toBe(0x8200);
    expect(reply.length).toBe(29);
  });
});

describe('DNS stub through a proxy', () => {
  const servers: Server[] = [];
  let stub: DnsStub | undefined;
  afterEach(() => {
    stub?.stop();
    for (const server of servers.splice(0)) server.close();
  });
  const listen = (server: Server): Promise<number> =>
    new Promise((resolve) => {
      servers.push(server);
      server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
    });
  const freePort = async (): Promise<number> => {
    const server = createServer();
    const port = await listen(server);
    server.close();
    return port;
  };
  /** A TCP resolver that answers every query for example.lab, and remembers who asked for what. */
  const resolver = async (): Promise<{ port: number; seen: string[] }> => {
    const seen: string[] = [];
    const port = await listen(
      createServer((socket) => {
        socket.on('data', (data: Buffer) => {
          const q = data.subarray(2, 2 + data.readUInt16BE(0));
          seen.push(q.toString('latin1', 13, 20));
          const answer = answerFor(q);
          socket.end(Buffer.concat([Buffer.from([answer.length >> 8, answer.length & 0xff]), answer]));
        });
      }),
    );
    return { port, seen };
  };
  /** The fake proxy's far end: everything goes to the test resolver on loopback. */
  const pipeTo = (socket: Socket, port: number, rest: Buffer): void => {
    const upstream = connect({ host: '127.0.0.1', port });
    if (rest.length > 0) upstream.write(rest);
    socket.pipe(upstream);
    upstream.pipe(socket);
  };

  it.each(['socks5', 'http-connect'] as const)('over %s: UDP and TCP queries are answered by the far resolver', async (proxyType) => {
    const upstream = await resolver();
    const asked: string[] = [];
    const proxyPort = await listen(
      createServer((socket) => {
        socket.once('data', (first: Buffer) => {
          if (proxyType === 'http-connect') {
            asked.push(first.toString().split('\r\n')[0] ?? '');
            socket.write('HTTP/1.1 200 Connection established\r\n\r\n');
            pipeTo(socket, upstream.port, first.subarray(first.indexOf('\r\n\r\n') + 4));
            return;
          }
          socket.write(Buffer.from([5, 0]));
          socket.once('data', (request: Buffer) => {
            asked.push(`${[...request.subarray(4, 8)].join('.')}:${request.readUInt16BE(8)}`);
            socket.write(Buffer.from([5, 0, 0, 1, 0, 0, 0, 0, 0, 0]));
            pipeTo(socket, upstream.port, request.subarray(10));
          });
        });
      }),
    );
    const port = await freePort();
    stub = new DnsStub({ port, proxyType, proxyPort, upstream: { ip: '127.0.0.1', port: upstream.port } });
    await stub.start();
    const udpAnswer = await new Promise<Buffer>((resolve) => {
      const udp = createSocket('udp4');
      udp.on('message', (message: Buffer) => {
        udp.close();
        resolve(message);
      });
      udp.send(query(0x4242), port, '127.0.0.1');
    });
    expect(udpAnswer.readUInt16BE(0)).toBe(0x4242);
    expect(udpAnswer.readUInt16BE(6)).toBe(1);
    const tcpAnswer = await new Promise<Buffer>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port });
      const q = query(0x4343);
      socket.on('data', (data: Buffer) => {
        socket.destroy();
        resolve(data.subarray(2));
      });
      socket.write(Buffer.concat([Buffer.from([0, q.length]), q]));
    });
    expect(tcpAnswer.readUInt16BE(0)).toBe(0x4343);
    expect(upstream.seen).toEqual(['example', 'example']);
    expect(asked[0]).toBe(proxyType === 'socks5' ? `127.0.0.1:${upstream.port}` : `CONNECT 127.0.0.1:${upstream.port} HTTP/1.1`);
    expect(stub.queries).toBe(2);
    expect(stub.failures).toBe(0);
  });

  it('an answer that arrives after the stub stopped is dropped, and nothing throws (netd died of it while switching networks)', async () => {
    let held: Socket | undefined;
    const proxyPort = await listen(createServer((socket) => socket.once('data', () => (held = socket))));
    const port = await freePort();
    stub = new DnsStub({ port, proxyType: 'http-connect', proxyPort, upstream: { ip: '127.0.0.1', port: 1 } });
    await stub.start();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const udp = createSocket('udp4');
      udp.send(query(), port, '127.0.0.1');
      while (held === undefined) await new Promise((resolve) => setTimeout(resolve, 10));
      stub.stop();
      held.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
      while (stub.failures === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      await new Promise((resolve) => setTimeout(resolve, 50));
      udp.close();
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(unhandled.map(String)).toEqual([]);
  });

  it('a proxy that refuses: SERVFAIL, counted', async () => {
    const proxyPort = await listen(createServer((socket) => socket.once('data', () => socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n'))));
    const port = await freePort();
    stub = new DnsStub({ port, proxyType: 'http-connect', proxyPort, upstream: { ip: '127.0.0.1', port: 1 } });
    await stub.start();
    const answer = await new Promise<Buffer>((resolve) => {
      const udp = createSocket('udp4');
      udp.on('message', (message: Buffer) => {
        udp.close();
        resolve(message);
      });
      udp.send(query(), port, '127.0.0.1');
    });
    expect(answer.readUInt16BE(2) & 0xf).toBe(2);
    expect(stub.failures).toBe(1);
  });
});
