// leakd over loopback: the real sockets, fed real queries and garbage.
import { createSocket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RR, encodeName } from '../../../app/leakd/dns-packet.js';
import { parseLeakdArgs } from '../../../app/leakd/cli.js';
import { DEFAULT_CONFIG, startLeakd, type Leakd } from '../../../app/leakd/server.js';
import { readXorMappedAddress } from '../../../app/leakd/stun.js';

function dnsQuery(name: string): Buffer {
  const header = Buffer.from([0xab, 0xcd, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]);
  return Buffer.concat([header, encodeName(name), Buffer.from([0, RR.A, 0, 1])]);
}

async function udpAsk(target: string, packet: Buffer, timeoutMs = 1000): Promise<Buffer | undefined> {
  const match = /^(.*):(\d+)$/.exec(target);
  const socket = createSocket('udp4');
  try {
    return await new Promise<Buffer | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), timeoutMs);
      socket.once('message', (msg) => {
        clearTimeout(timer);
        resolve(msg);
      });
      socket.send(packet, Number(match?.[2]), match?.[1]);
    });
  } finally {
    socket.close();
  }
}

async function getJson(url: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url);
  return { status: res.status, body: await res.json() };
}

describe('leakd on loopback', () => {
  let leakd: Leakd;
  const local = { host: '127.0.0.1', port: 0 };

  beforeAll(async () => {
    leakd = await startLeakd({
      ...DEFAULT_CONFIG,
      http: [local],
      dns: [local],
      stun: [local],
      zone: 'leak.test',
      answerA: ['127.0.0.1'],
      ratePerSecond: 1000,
      rateBurst: 2000,
    });
  });
  afterAll(async () => {
    await leakd.close();
  });

  it('echoes the caller address as JSON', async () => {
    const { status, body } = await getJson(`http://${leakd.http[0]}/json`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ ip: '127.0.0.1', family: 'IPv4' });
  });

  it('reports which resolver asked for a fresh name', async () => {
    const { body } = (await getJson(`http://${leakd.http[0]}/name`)) as { body: { name: string } };
    expect(body.name.endsWith('.leak.test')).toBe(true);
    const before = await getJson(`http://${leakd.http[0]}/dns/${body.name}`);
    expect(before.body).toMatchObject({ resolvers: [] });
    const reply = await udpAsk(leakd.dns[0] ?? '', dnsQuery(body.name));
    expect(reply?.readUInt16BE(6)).toBe(1);
    const after = (await getJson(`http://${leakd.http[0]}/dns/${body.name}`)) as { body: { resolvers: { ip: string }[] } };
    expect(after.body.resolvers.map((r) => r.ip)).toEqual(['127.0.0.1']);
    expect((await getJson(`http://${leakd.http[0]}/dns/example.com`)).status).toBe(400);
  });

  it('answers STUN with the caller address and ignores garbage, still serving afterwards', async () => {
    const request = Buffer.alloc(20);
    request.writeUInt16BE(1, 0);
    request.writeUInt32BE(0x2112a442, 4);
    randomBytes(12).copy(request, 8);
    const reply = await udpAsk(leakd.stun[0] ?? '', request);
    expect(readXorMappedAddress(reply ?? Buffer.alloc(0))?.ip).toBe('127.0.0.1');
    const sender = createSocket('udp4');
    for (let i = 0; i < 300; i += 1) {
      const target = (i % 2 === 0 ? leakd.stun[0] : leakd.dns[0]) ?? '';
      const [host, port] = [target.split(':')[0], Number(target.split(':')[1])];
      sender.send(randomBytes(1 + (i % 90)), port, host);
    }
    await new Promise((r) => setTimeout(r, 200));
    sender.close();
    expect(await udpAsk(leakd.stun[0] ?? '', request)).toBeDefined();
    expect(leakd.counters().dns.failed + leakd.counters().stun.failed).toBe(0);
  });
});

describe('leakd rate limits', () => {
  it('refuses HTTP callers over budget with 429 and drops their DNS', async () => {
    const leakd = await startLeakd({
      ...DEFAULT_CONFIG,
      http: [{ host: '127.0.0.1', port: 0 }],
      dns: [{ host: '127.0.0.1', port: 0 }],
      stun: [],
      zone: 'leak.test',
      ratePerSecond: 1,
      rateBurst: 3,
    });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i += 1) statuses.push((await fetch(`http://${leakd.http[0]}/json`)).status);
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(2);
      const answers: (Buffer | undefined)[] = [];
      for (let i = 0; i < 6; i += 1) answers.push(await udpAsk(leakd.dns[0] ?? '', dnsQuery(`n${i}.leak.test`), 300));
      expect(answers.filter((a) => a === undefined).length).toBeGreaterThanOrEqual(2);
      expect(leakd.counters().dns.limited).toBeGreaterThanOrEqual(2);
    } finally {
      await leakd.close();
    }
  });
});

describe('leakd command line', () => {
  it('parses listen addresses, zone and answers', () => {
    const config = parseLeakdArgs(['--http', '10.0.80.80:80', '--dns', '[fd00::53]:53', '--zone', 'leak.lab', '--answer-a', '10.0.80.80']);
    expect(config).toMatchObject({ http: [{ host: '10.0.80.80', port: 80 }], dns: [{ host: 'fd00::53', port: 53 }], zone: 'leak.lab' });
  });

  it('rejects a DNS listener without a zone only when started, and nonsense at once', async () => {
    expect(() => parseLeakdArgs([])).toThrow(/nothing to serve/);
    expect(() => parseLeakdArgs(['--http', 'localhost:80'])).toThrow();
    expect(() => parseLeakdArgs(['--http', '127.0.0.1:1', '--answer-a', 'fd00::1'])).toThrow(/IPv4/);
    const config = parseLeakdArgs(['--dns', '127.0.0.1:0']);
    if (config === 'help') throw new Error('unexpected help');
    await expect(startLeakd(config)).rejects.toThrow(/zone/);
  });
});
