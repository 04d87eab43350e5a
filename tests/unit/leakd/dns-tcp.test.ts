// leakd answers DNS over TCP (RFC 7766) on the same address and port as UDP: checked with `dig +tcp`,
// the tool a person would use, and with raw frames for pipelining, split frames and garbage.
import { execFile } from 'node:child_process';
import { connect } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RR, encodeName } from '../../../app/leakd/dns-packet.js';
import { DEFAULT_CONFIG, startLeakd, type Leakd } from '../../../app/leakd/server.js';

const run = promisify(execFile);

function query(id: number, name: string, type: number = RR.A): Buffer {
  const header = Buffer.from([id >> 8, id & 0xff, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]);
  return Buffer.concat([header, encodeName(name), Buffer.from([0, type, 0, 1])]);
}

function framed(message: Buffer): Buffer {
  const length = Buffer.alloc(2);
  length.writeUInt16BE(message.length, 0);
  return Buffer.concat([length, message]);
}

/** Writes the chunks one by one, then collects framed replies until `want` arrived or the server closed. */
async function talk(target: string, chunks: Buffer[], want: number): Promise<{ replies: Buffer[]; closed: boolean }> {
  const [host, port] = [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))];
  const socket = connect(port, host);
  socket.setNoDelay(true);
  const replies: Buffer[] = [];
  let buf = Buffer.alloc(0);
  return await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`only ${replies.length} of ${want} replies`));
    }, 3000);
    const done = (closed: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ replies, closed });
    };
    socket.on('data', (data: Buffer) => {
      buf = Buffer.concat([buf, data]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        replies.push(buf.subarray(2, 2 + buf.readUInt16BE(0)));
        buf = buf.subarray(2 + buf.readUInt16BE(0));
      }
      if (replies.length >= want) done(false);
    });
    socket.on('close', () => done(true));
    socket.on('error', () => undefined);
    socket.on('connect', () => {
      void (async () => {
        for (const chunk of chunks) {
          socket.write(chunk);
          await new Promise((r) => setTimeout(r, 20));
        }
      })();
    });
  });
}

async function dig(target: string, ...args: string[]): Promise<string> {
  const [host, port] = [target.slice(0, target.lastIndexOf(':')), target.slice(target.lastIndexOf(':') + 1)];
  const { stdout } = await run('dig', ['+tcp', '+tries=1', '+time=2', `@${host}`, '-p', port, ...args]);
  return stdout;
}

describe('leakd DNS over TCP', () => {
  let leakd: Leakd;

  beforeAll(async () => {
    leakd = await startLeakd({
      ...DEFAULT_CONFIG,
      http: [{ host: '127.0.0.1', port: 0 }],
      dns: [{ host: '127.0.0.1', port: 0 }],
      stun: [],
      zone: 'leak.test',
      answerA: ['127.0.0.9'],
      ratePerSecond: 1000,
      rateBurst: 2000,
    });
  });
  afterAll(async () => {
    await leakd.close();
  });

  it('answers `dig +tcp` with the A record, NODATA for AAAA and REFUSED out of zone', async () => {
    const target = leakd.dns[0] ?? '';
    const a = await dig(target, 'anything.leak.test', 'A');
    expect(a).toMatch(/status: NOERROR/);
    expect(a).toMatch(/anything\.leak\.test\.\s+5\s+IN\s+A\s+127\.0\.0\.9/);
    expect(a).toMatch(/\(TCP\)/);
    const aaaa = await dig(target, 'anything.leak.test', 'AAAA');
    expect(aaaa).toMatch(/status: NOERROR/);
    expect(aaaa).toMatch(/ANSWER: 0/);
    expect(aaaa).toMatch(/IN\s+SOA\s+ns\.leak\.test\./);
    expect(await dig(target, 'example.com', 'A')).toMatch(/status: REFUSED/);
  });

  it('records the resolver that asked over TCP, so the DNS-leak test sees it', async () => {
    const { name } = (await (await fetch(`http://${leakd.http[0]}/name`)).json()) as { name: string };
    await dig(leakd.dns[0] ?? '', name, 'A');
    const seen = (await (await fetch(`http://${leakd.http[0]}/dns/${name}`)).json()) as { resolvers: { ip: string }[] };
    expect(seen.resolvers.map((r) => r.ip)).toEqual(['127.0.0.1']);
  });

  it('answers pipelined queries on one connection in order, also when frames arrive split', async () => {
    const both = Buffer.concat([framed(query(0x1111, 'one.leak.test')), framed(query(0x2222, 'two.leak.test'))]);
    // Split inside the first length prefix and inside the second message.
    const { replies } = await talk(leakd.dns[0] ?? '', [both.subarray(0, 1), both.subarray(1, 30), both.subarray(30)], 2);
    expect(replies.map((r) => r.readUInt16BE(0))).toEqual([0x1111, 0x2222]);
    expect(replies.map((r) => r.readUInt16BE(6))).toEqual([1, 1]);
  });

  it('closes on a frame not worth an answer, and keeps serving others', async () => {
    const before = leakd.counters().dnsTcp.failed;
    const { replies, closed } = await talk(leakd.dns[0] ?? '', [framed(Buffer.from([1, 2, 3]))], 1);
    expect(replies).toEqual([]);
    expect(closed).toBe(true);
    expect(await dig(leakd.dns[0] ?? '', 'after.leak.test', 'A')).toMatch(/status: NOERROR/);
    expect(leakd.counters().dnsTcp.failed).toBe(before);
  });
});

describe('leakd DNS over TCP rate limit', () => {
  it('closes the connection of a caller over its DNS budget', async () => {
    const leakd = await startLeakd({
      ...DEFAULT_CONFIG,
      http: [],
      dns: [{ host: '127.0.0.1', port: 0 }],
      stun: [],
      zone: 'leak.test',
      ratePerSecond: 1,
      rateBurst: 2,
    });
    try {
      const many = Buffer.concat([1, 2, 3, 4, 5].map((i) => framed(query(i, `n${i}.leak.test`))));
      const { replies, closed } = await talk(leakd.dns[0] ?? '', [many], 5);
      expect(replies.length).toBe(2);
      expect(closed).toBe(true);
      expect(leakd.counters().dnsTcp.limited).toBe(1);
    } finally {
      await leakd.close();
    }
  });
});
