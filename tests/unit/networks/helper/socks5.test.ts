// Burrow's one SOCKS5 client (app/networks/helper/socks5.ts, used by the drivers, the leak tests and the
// measurements): the bytes it sends and how it reads replies, then a handshake and a CONNECT against a
// small SOCKS5 server on loopback.
import { createServer, type AddressInfo, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { GREETING, parseGreetingReply, socks5Connect, socks5Handshake, socks5ReplyLength, socks5Request } from '../../../../app/networks/helper/socks5.js';

describe('SOCKS5 bytes', () => {
  it('CONNECT for an IPv4 address, a name (resolved by the proxy\'s far end) and an IPv6 address', () => {
    expect([...socks5Request('10.1.80.80', 80)]).toEqual([5, 1, 0, 1, 10, 1, 80, 80, 0, 80]);
    expect([...socks5Request('leak.lab', 443)]).toEqual([5, 1, 0, 3, 8, ...Buffer.from('leak.lab'), 1, 187]);
    const v6 = socks5Request('fd6c:1::80', 80);
    expect([...v6.subarray(0, 4)]).toEqual([5, 1, 0, 4]);
    expect(v6.subarray(4, 20).toString('hex')).toBe('fd6c0001000000000000000000000080');
    expect(() => socks5Request('x'.repeat(256), 80)).toThrow(/1 to 255 bytes/);
  });

  it('greeting and CONNECT replies, complete or not yet', () => {
    expect([...GREETING]).toEqual([5, 1, 0]);
    expect(parseGreetingReply(Buffer.from([5]))).toBeUndefined();
    expect(parseGreetingReply(Buffer.from([5, 0]))).toEqual({ ok: true, consumed: 2 });
    expect(parseGreetingReply(Buffer.from([5, 0xff]))).toEqual({ ok: false, consumed: 2 });
    expect(() => parseGreetingReply(Buffer.from([4, 0]))).toThrow(/not a SOCKS5 server/);
    expect(socks5ReplyLength(Buffer.from([5, 0, 0, 1, 0, 0, 0]))).toBe(0);
    expect(socks5ReplyLength(Buffer.from([5, 0, 0, 1, 0, 0, 0, 0, 0, 0, 42]))).toBe(10);
    expect(socks5ReplyLength(Buffer.from([5, 5, 0, 3, 1, 0x61, 0, 80]))).toBe(8);
    expect(() => socks5ReplyLength(Buffer.from([5, 0, 0, 9, 0]))).toThrow(/unknown address type 9/);
    expect(() => socks5ReplyLength(Buffer.from([4, 0, 0, 1, 0]))).toThrow(/not a SOCKS5 reply/);
  });
});

describe('against a SOCKS5 server on loopback', () => {
  let server: Server | undefined;
  afterEach(() => server?.close());

  const start = (reply: number, greeting = 0): Promise<number> =>
    new Promise((resolve) => {
      server = createServer((socket) => {
        let stage = 0;
        socket.on('data', (data) => {
          if (stage === 0) {
            stage = 1;
            socket.write(Buffer.from([5, greeting]));
            return;
          }
          expect([...data.subarray(0, 4)]).toEqual([5, 1, 0, 3]);
          // The reply and the first answer bytes in one segment: they must not be lost.
          socket.write(Buffer.concat([Buffer.from([5, reply, 0, 1, 0, 0, 0, 0, 0, 0]), Buffer.from('hello')]));
          if (reply !== 0) socket.end();
        });
      }).listen(0, '127.0.0.1', () => resolve((server?.address() as AddressInfo).port));
    });

  it('handshake: a SOCKS5 server answers the greeting; anything else does not count', async () => {
    const port = await start(0);
    await expect(socks5Handshake('127.0.0.1', port)).resolves.toBeUndefined();
    server?.close();
    const other = await start(0, 0xff);
    await expect(socks5Handshake('127.0.0.1', other)).rejects.toThrow(/wants authentication/);
  });

  it('a refused port is an error, not a hang', async () => {
    const port = await start(0);
    server?.close();
    await expect(socks5Handshake('127.0.0.1', port, 1000)).rejects.toThrow(/ECONNREFUSED|closed/);
  });

  it('CONNECT: bytes after the reply reach the caller; a refusal names the SOCKS5 reason', async () => {
    const port = await start(0);
    const socket = await socks5Connect({ host: '127.0.0.1', port }, 'echo.lab', 80, AbortSignal.timeout(2000));
    const first = await new Promise<string>((resolve) => {
      socket.once('data', (data: Buffer) => resolve(data.toString()));
      socket.resume();
    });
    expect(first).toBe('hello');
    socket.destroy();
    server?.close();
    const refusing = await start(2);
    await expect(socks5Connect({ host: '127.0.0.1', port: refusing }, 'echo.lab', 80, AbortSignal.timeout(2000))).rejects.toThrow(/could not reach echo\.lab:80: connection not allowed by ruleset/);
  });
});
