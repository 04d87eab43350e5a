// Burrow's WireGuard end to end in the lab, as a person uses it: import the provider's .conf, `burrow
// connect`, and check what the internet and the resolvers see. netd and the host run inside `client`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_TRACES, startBurrowInLab, tunnelTraces, type BurrowInLab } from './burrow-in-lab.js';
import { echo, freshLeakName, resolversOf } from './http.js';
import { startLab, type Lab } from './lab.js';
import { findLeftovers } from './leftovers.js';
import { waitFor } from './process.js';

const isRoot = process.getuid?.() === 0;
const PRIVATE_KEY = /^PrivateKey = (\S+)$/m;

describe.skipIf(!isRoot)('WireGuard through Burrow (needs root: network namespaces)', () => {
  let lab: Lab;
  let burrow: BurrowInLab;
  let privateKey: string;

  beforeAll(async () => {
    lab = await startLab({ tor: false });
    burrow = await startBurrowInLab(lab);
    privateKey = PRIVATE_KEY.exec(lab.wireguard?.clientConf ?? '')?.[1] ?? '';
    expect(privateKey).toHaveLength(44);
  });
  afterAll(async () => {
    await burrow?.stop();
    await lab?.stop();
  });

  it('imports the lab provider’s .conf and never shows the private key again', async () => {
    const { code, data } = await burrow.cliJson<{ id: string; network: string; details: Record<string, unknown> }>(['profile', 'import', burrow.confFile, '--name', 'Lab VPN']);
    expect(code).toBe(0);
    expect(data).toMatchObject({ id: 'lab-vpn', network: 'wireguard' });
    expect(data.details.endpoint).toBe(lab.wireguard?.endpoint);
    const listed = await burrow.cli(['profile', 'list', '--json']);
    expect(listed.stdout).not.toContain(privateKey);
  });

  it('`burrow connect --json` answers connected after a real handshake, and the echo sees the VPN server', async () => {
    const { code, data } = await burrow.cliJson<Record<string, unknown>>(['connect', 'lab-vpn']);
    expect(code).toBe(0);
    expect(data.state).toBe('connected');
    const details = data.details as { endpoint: string; interface: string; extra: Record<string, string> };
    expect(details.endpoint).toBe(lab.wireguard?.endpoint);
    expect(details.interface).toBe('burrow0');
    expect(details.extra.handshakeAge).toMatch(/^\d+ s$/);
    // No waiting: `connected` means the rules for it are in place and traffic flows right away.
    expect((await echo(lab)).ip).toBe(lab.addresses.vpn);
    expect((await echo(lab, 'client', { v6: true })).ip).toBe(lab.addresses.vpnV6);
    const handshakes = await lab.exec('client', ['wg', 'show', 'burrow0', 'latest-handshakes']);
    expect(Number(handshakes.stdout.trim().split(/\s+/)[1])).toBeGreaterThan(0);
  });

  it('DNS goes only to the tunnel’s resolver: the ISP resolver never hears a query', async () => {
    expect(burrow.resolvConf()).toContain(`nameserver ${lab.addresses.publicResolver}`);
    const name = await freshLeakName(lab);
    // Plain system resolution, as any program does it.
    const answer = await lab.exec('client', ['dig', '+short', '+time=2', '+tries=1', name]);
    expect(answer.stdout.trim()).toBe(lab.addresses.echo);
    expect(await resolversOf(lab, name)).toEqual([lab.addresses.publicResolver]);
    // A program that asks the ISP's resolver by itself (its subnet is directly attached, so routing alone
    // would let it bypass the tunnel) is refused by the kill switch.
    const sneaky = await freshLeakName(lab);
    const direct = await lab.exec('client', ['dig', '+short', '+time=1', '+tries=1', `@${lab.addresses.ispResolver}`, sneaky], { check: false });
    expect(direct.stdout.trim()).not.toBe(lab.addresses.echo);
    expect(lab.resolverQueries('isp').filter((q) => q.name === name || q.name === sneaky)).toEqual([]);
    expect(await resolversOf(lab, sneaky)).toEqual([]);
  });

  it('the exit address arrives in the details once a leak server is set', async () => {
    await burrow.cliJson(['settings', 'set', `leakServer=${lab.leakd.url}`]);
    // The address is fetched after connecting: reconnect so the driver asks the leak server.
    await burrow.cliJson(['disconnect']);
    expect((await burrow.cliJson<Record<string, unknown>>(['connect', 'lab-vpn'])).data.state).toBe('connected');
    const status = await waitFor('the exit address', 10_000, async () => {
      const { data } = await burrow.cliJson<{ exitIp: string | null }>(['status']);
      return data.exitIp ?? undefined;
    });
    expect(status).toBe(lab.addresses.vpn);
  });

  it('the private key is in no process’s argv and nowhere in netd’s or the host’s log', async () => {
    const ps = await lab.exec('client', ['ps', '-eo', 'pid,args', '--no-headers']);
    expect(ps.stdout).toContain('wireguard-go');
    expect(ps.stdout).not.toContain(privateKey);
    const hexKey = Buffer.from(privateKey, 'base64').toString('hex');
    for (const text of [burrow.netd.log(), burrow.host?.log() ?? '', (await burrow.cli(['logs', '--json', '--limit', '5000'])).stdout]) {
      expect(text.length).toBeGreaterThan(0);
      expect(text).not.toContain(privateKey);
      expect(text).not.toContain(hexKey);
    }
  });

  it('disconnect restores the client’s own address, its resolver, and leaves no interface, rule or table', async () => {
    const { data } = await burrow.cliJson<Record<string, unknown>>(['disconnect']);
    expect(data).toEqual({ state: 'disconnected', lockedDown: false });
    expect((await echo(lab)).ip).toBe(lab.addresses.client);
    expect(burrow.resolvConf()).toBe(`nameserver ${lab.addresses.ispResolver}\n`);
    expect(await tunnelTraces(lab)).toEqual(NO_TRACES);
  });

  it('stopping Burrow and the lab leaves nothing behind', async () => {
    await burrow.stop();
    const report = await lab.stop();
    expect(report.survivors).toEqual([]);
    expect(findLeftovers(lab)).toEqual({ namespaces: [], processes: [], files: [] });
  });
});
