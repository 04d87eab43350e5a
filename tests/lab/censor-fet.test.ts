// The fully-encrypted-traffic profile on its own: its false-positive rate on plain HTTP, TLS and DNS over
// TCP (measured and printed), its hit rate on random payloads, and the 3-tuple block that follows a hit.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeLabCertificates } from './censor-transports.js';
import { freshLeakName } from './http.js';
import { startLab, type Lab } from './lab.js';
import { waitFor } from './process.js';

const isRoot = process.getuid?.() === 0;
const FLOWS = 30;
const RANDOM_FLOWS = 20;

// One TCP flow from `client` whose first payload is N random bytes; exits 0 if the connection opened.
const SEND_RANDOM = `
import os, socket, sys
s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=3)
s.sendall(os.urandom(int(sys.argv[3])))
s.close()`;

describe.skipIf(!isRoot)('the GFW fully-encrypted-traffic heuristic in the lab (needs root: network namespaces)', () => {
  let lab: Lab;
  const rates: string[] = [];

  beforeAll(async () => {
    lab = await startLab({ tor: false, vpn: false });
    const certs = await makeLabCertificates(join(lab.dir, 'fet-pki'), 'echo.lab');
    const tls = lab.spawn('inet', ['openssl', 's_server', '-accept', `${lab.addresses.echo}:443`, '-cert', certs.certFile, '-key', certs.keyFile, '-www', '-quiet'], { name: 'tls-server' });
    await waitFor('the TLS server', 10_000, async () => {
      if (!tls.running()) throw new Error(tls.log());
      return (await lab.exec('inet', ['ss', '-tlnH', 'sport', '=', ':443'], { check: false })).stdout.trim() !== '' ? true : undefined;
    });
    await lab.censor.use('fet');
  });
  afterAll(async () => {
    if (rates.length > 0) console.log(`\nFully-encrypted-traffic heuristic, measured in lab ${lab?.prefix}:\n${rates.join('\n')}\n`);
    await lab?.stop();
  });

  const blockedAmong = (before: number, port: number): { judged: number; blocked: number } => {
    const flows = lab.censor.proxyEvents().slice(before).filter((e) => e.event === 'flow' && e.port === port);
    return { judged: flows.length, blocked: flows.filter((e) => e.verdict === 'block').length };
  };

  it('plain HTTP and TLS are never taken for fully encrypted traffic (false positives 0 of each)', async () => {
    const before = lab.censor.proxyEvents().length;
    for (let i = 0; i < FLOWS; i += 1) {
      const http = await lab.exec('client', ['curl', '-sS', '--max-time', '5', `http://${lab.addresses.echo}/`]);
      expect(http.stdout).toContain(lab.addresses.ispLan); // the judge's upstream: the echo sees the ISP (see README)
      const tls = await lab.exec('client', ['curl', '-sSk', '--max-time', '5', `https://${lab.addresses.echo}/`]);
      expect(tls.stdout).toMatch(/s_server|Ciphers/i);
    }
    const http = blockedAmong(before, 80);
    const tls = blockedAmong(before, 443);
    rates.push(`  plain HTTP: ${http.blocked}/${http.judged} blocked`, `  TLS (curl, TLS 1.3): ${tls.blocked}/${tls.judged} blocked`);
    expect(http).toEqual({ judged: FLOWS, blocked: 0 });
    expect(tls).toEqual({ judged: FLOWS, blocked: 0 });
  });

  it('DNS over TCP: judged on every flow, its rate measured and printed (no exemption names DNS; its zero-heavy header keeps popcount low)', async () => {
    const before = lab.censor.proxyEvents().length;
    for (let i = 0; i < 10; i += 1) {
      await lab.exec('client', ['dig', '+tcp', '+short', '+time=3', '+tries=1', `@${lab.addresses.publicResolver}`, await freshLeakName(lab)], { check: false });
    }
    const dns = blockedAmong(before, 53);
    rates.push(`  DNS over TCP (dig): ${dns.blocked}/${dns.judged} blocked`);
    expect(dns.judged).toBe(10);
  });

  it('random first payloads are blocked (each to its own port, so each is a new 3-tuple)', async () => {
    const before = lab.censor.proxyEvents().length;
    for (let i = 0; i < RANDOM_FLOWS; i += 1) {
      await lab.exec('client', ['/usr/bin/python3', '-c', SEND_RANDOM, lab.addresses.echo, String(20_000 + i), '200'], { check: false });
    }
    const flows = lab.censor.proxyEvents().slice(before).filter((e) => e.event === 'flow' && (e.port ?? 0) >= 20_000);
    const blocked = flows.filter((e) => e.verdict === 'block').length;
    rates.push(`  200 random bytes: ${blocked}/${flows.length} blocked (the exemptions let through random data that happens to look printable: ~0.3 %)`);
    expect(flows).toHaveLength(RANDOM_FLOWS);
    expect(blocked).toBeGreaterThanOrEqual(RANDOM_FLOWS - 2);
  });

  it('after a hit the 3-tuple stays blocked: a new connection to that port cannot even open, another port still works', async () => {
    const hit = lab.censor.proxyEvents().find((e) => e.verdict === 'block' && (e.port ?? 0) >= 20_000);
    expect(hit).toBeDefined();
    const again = await lab.exec('client', ['/usr/bin/python3', '-c', SEND_RANDOM, lab.addresses.echo, String(hit?.port), '200'], { check: false });
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/timed out/);
    expect(await lab.censor.ruleset()).toMatch(/tcp dport @fet_blocked counter packets [1-9]/);
    expect((await lab.exec('client', ['curl', '-sS', '--max-time', '5', `http://${lab.addresses.echo}/`])).code).toBe(0);
  });
});
