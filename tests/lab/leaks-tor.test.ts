// The leak suite through a Tor client's SocksPort in the lab (SOCKS-only, no system-wide Tor: that is the
// Tor driver's to test): a SOCKS-aware program is seen as the exit relay and its names are resolved by the
// exit; the same program without the proxy (the anti-test) shows the own address and the ISP's resolver.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baselineFromVerdicts, type LeakBaseline, type LeakContext } from '../../app/leaks/index.js';
import { startLab, type Lab } from './lab.js';
import { runLeakSuiteIn, verdictOf } from './leak-runner.js';
import { startTorClient, type TorClient } from './tor-client.js';

const isRoot = process.getuid?.() === 0;

describe.skipIf(!isRoot)('leak suite in the lab: through Tor’s SocksPort (needs root)', () => {
  let lab: Lab;
  let tor: TorClient;
  let baseline: LeakBaseline | undefined;

  beforeAll(async () => {
    lab = await startLab({ tor: true, vpn: false });
    tor = startTorClient(lab);
    await tor.waitForBootstrap(90_000);
    const out = await runLeakSuiteIn(lab, { suite: { leakServerUrl: lab.leakd.url, context: { network: null }, tests: ['exitIp', 'dns'] } });
    baseline = baselineFromVerdicts(out.verdicts);
  });
  afterAll(async () => {
    await tor?.stop();
    await lab?.stop();
  });

  const context = (): LeakContext => ({
    network: 'tor',
    expectedExit: { addresses: [lab.addresses.tor.exit], label: 'the Tor exit' },
    ...(baseline !== undefined ? { baseline } : {}),
  });
  // First circuits in a fresh private network can take a few seconds.
  const deadlines = { exitIp: 20_000, dns: 25_000 };

  it('a SOCKS-aware program is seen as the exit relay, and the exit resolves its names', async () => {
    expect(baseline).toMatchObject({ v4: lab.addresses.client, resolvers: [lab.addresses.ispResolver] });
    const out = await runLeakSuiteIn(lab, {
      suite: { leakServerUrl: lab.leakd.url, context: context(), tests: ['exitIp', 'dns'], socks5: { host: '127.0.0.1', port: tor.socksPort }, deadlines },
    });
    const exit = verdictOf(out, 'exitIp');
    expect(exit.verdict, exit.summary).toBe('passed');
    expect(exit.evidence).toMatchObject({ v4: lab.addresses.tor.exit });
    const dns = verdictOf(out, 'dns');
    expect(dns.verdict, dns.summary).toBe('passed');
    // The exit's resolver (the lab's public one) asked; the ISP's never did.
    expect(dns.evidence.resolvers).toEqual([expect.objectContaining({ ip: lab.addresses.publicResolver, role: 'unattributed' })]);
    const names = dns.evidence.names as string[];
    expect(names).toHaveLength(3);
    expect(lab.resolverQueries('isp').filter((q) => names.includes(q.name))).toEqual([]);
  });

  it('anti-test: the same program without the proxy shows the own address and asks the ISP’s resolver', async () => {
    const out = await runLeakSuiteIn(lab, { suite: { leakServerUrl: lab.leakd.url, context: context(), tests: ['exitIp', 'dns'] } });
    const exit = verdictOf(out, 'exitIp');
    expect(exit.verdict).toBe('leaked');
    expect(exit.summary).toContain(lab.addresses.client);
    const dns = verdictOf(out, 'dns');
    expect(dns.verdict).toBe('leaked');
    expect(dns.summary).toContain(lab.addresses.ispResolver);
  });
});
