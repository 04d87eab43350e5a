// Mysterium through Burrow in the lab, proxy mode, against the STAND-IN myst and provider
// (tests/lab/standins): the node picker's data, connect, what the echo sees through myst's HTTP proxy (the
// lab WireGuard server's address), disconnect, an unregistered identity, a killed myst.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientProcesses, startBurrowInLab, waitForState, type BurrowInLab } from './burrow-in-lab.js';
import { echo } from './http.js';
import { startLab, type Lab } from './lab.js';
import { findLeftovers } from './leftovers.js';
import { repoRoot, waitFor } from './process.js';
import { startMystStandin, type MystStandin } from './standins/install.js';

const isRoot = process.getuid?.() === 0;
const PROXY = 10000;
const PASSPHRASE = 'correct horse battery staple';

describe.skipIf(!isRoot)('Mysterium through Burrow, proxy mode, stand-in myst (needs root: network namespaces)', () => {
  let lab: Lab;
  let myst: MystStandin;
  let burrow: BurrowInLab;
  let profileText = '';
  const daemons = (): { pid: number; cmdline: string }[] => clientProcesses(lab).filter((p) => p.cmdline.includes('/myst.mjs'));
  const logs = async (): Promise<string> => (await burrow.cli(['logs', '--limit', '400'])).stdout;
  const viaProxy = async (connect: boolean): Promise<string> => {
    const r = await lab.exec('client', ['curl', '-sS', '--max-time', '10', ...(connect ? ['-p'] : []), '--proxy', `http://127.0.0.1:${PROXY}`, `${lab.leakd.url}/json`]);
    return (JSON.parse(r.stdout) as { ip: string }).ip;
  };

  beforeAll(async () => {
    lab = await startLab({ tor: false });
    myst = await startMystStandin(lab);
    burrow = await startBurrowInLab(lab, { env: { BURROW_MYST: myst.myst } });
    profileText = ['[dvpn]', 'Name = Lab dVPN', 'Provider = mysterium', 'Country = NL', `ProxyPort = ${PROXY}`, 'TequilapiPort = 44050', `IdentityPassphrase = ${PASSPHRASE}`, ''].join('\n');
    writeFileSync(join(burrow.dir, 'lab.dvpn'), profileText);
  });
  afterAll(async () => {
    await burrow?.stop();
    await myst?.stop();
    await lab?.stop();
  });

  it('imports a dVPN profile and never shows the identity passphrase again', async () => {
    const { code, data } = await burrow.cliJson<{ id: string; network: string; details: Record<string, unknown> }>(['profile', 'import', join(burrow.dir, 'lab.dvpn')]);
    expect(code).toBe(0);
    expect(data).toMatchObject({ id: 'lab-dvpn', network: 'dvpn', details: { provider: 'Mysterium', mode: 'proxy', node: 'best quality in NL', proxyPort: PROXY } });
    expect((await burrow.cli(['profile', 'list', '--json'])).stdout).not.toContain(PASSPHRASE);
  });

  it('the node picker\'s data through the contract (listDvpnNodes): registration, balance, nodes with country, price and quality', async () => {
    const script = `
      const { connectControl } = await import('./app/cli/control-client.ts');
      const control = await connectControl(process.argv[1]);
      try { console.log(JSON.stringify(await control.client.listDvpnNodes({ profile: 'lab-dvpn' }))); } finally { control.close(); }`;
    const r = await lab.exec('client', [process.execPath, '--import', 'tsx', '--input-type=module', '-e', script, burrow.controlSocket], { cwd: repoRoot() });
    const answer = JSON.parse(r.stdout) as { identity: { id: string; registrationStatus: string; balanceMyst: number }; nodes: Record<string, unknown>[] };
    expect(answer.identity).toMatchObject({ registrationStatus: 'Registered', balanceMyst: 12.5 });
    expect(answer.identity.id).toMatch(/^0x[0-9a-f]{40}$/);
    // The profile's Country (NL) filters the offer.
    expect(answer.nodes.map((node) => node.country)).toEqual(['NL', 'NL']);
    expect(answer.nodes[0]).toMatchObject({ providerId: myst.proposals[0]?.provider_id, city: 'Amsterdam', pricePerGib: 0.08, pricePerHour: 0.0005, quality: 2.4, latencyMs: 35 });
    // myst ran for the question only.
    expect(daemons()).toEqual([]);
  });

  it('`burrow connect` picks the best node in NL, and the echo sees the lab WireGuard server through myst\'s proxy', async () => {
    await burrow.cliJson(['settings', 'set', `leakServer=${lab.leakd.url}`]);
    const { code, data } = await burrow.cliJson<{ state: string; details: { endpoint: string; extra: Record<string, string> } }>(['connect', 'lab-dvpn'], 120_000);
    expect(code).toBe(0);
    expect(data.state).toBe('connected');
    expect(data.details.endpoint).toBe('0x1111…1111 (NL, Amsterdam)');
    expect(data.details.extra).toMatchObject({ price: '0.08 MYST/GiB, 0.0005 MYST/h', quality: '2.4 of 3, 35 ms', balance: '12.5 MYST', helper: 'runs as user burrow-dvpn' });
    expect(await viaProxy(false)).toBe(lab.addresses.vpn);
    expect(await viaProxy(true)).toBe(lab.addresses.vpn);
    expect((await echo(lab)).ip).toBe(lab.addresses.client);
    const exitIp = await waitFor('the exit address', 15_000, async () => (await burrow.cliJson<{ exitIp: string | null }>(['status'])).data.exitIp ?? undefined);
    expect(exitIp).toBe(lab.addresses.vpn);
    const ps = await lab.exec('client', ['ps', '-o', 'user:20=,args=', '-C', 'node']);
    expect(ps.stdout.split('\n').find((line) => line.includes('/myst.mjs'))).toMatch(/^burrow-dvpn +.*myst\.mjs --proxymode --consumer --proxy\.bind\.address=127\.0\.0\.1 --tequilapi\.port=44050 --ui\.enable=false daemon$/);
    // myst's own kill switch is turned off (kill_switch: true), so Burrow's is the only one.
    expect(await logs()).toMatch(/connect_options\.kill_switch=true \(node kill switch off\)/);
    expect(ps.stdout).not.toContain(PASSPHRASE);
  });

  it('kill -9 of myst: the state leaves connected and Burrow brings myst back by itself', async () => {
    const [daemon] = daemons();
    // Never signal a pid we did not get (as root, -1 is every process on the machine).
    if (daemon === undefined) throw new Error('no myst in the client namespace');
    process.kill(daemon.pid, 'SIGKILL');
    await waitFor('the host to notice', 10_000, async () => (/The tunnel was lost: myst was killed by SIGKILL/.test(await logs()) ? true : undefined));
    await waitForState(burrow, ['connected'], 60_000);
    const after = await logs();
    expect(after.slice(after.lastIndexOf('The tunnel was lost'))).toMatch(/State: (connecting to Lab dVPN \(attempt \d\)|error)[\s\S]*State: connected to Lab dVPN/);
    expect(daemons()).toHaveLength(1);
    expect(await viaProxy(true)).toBe(lab.addresses.vpn);
  });

  it('disconnect closes the connection (DELETE /connection) and stops myst', async () => {
    const { data } = await burrow.cliJson<Record<string, unknown>>(['disconnect']);
    expect(data).toEqual({ state: 'disconnected', lockedDown: false });
    expect(daemons()).toEqual([]);
    expect(await logs()).toMatch(/myst: .*Connection state: Disconnecting[\s\S]*myst: .*Connection state: NotConnected/);
    const refused = await lab.exec('client', ['curl', '-sS', '--max-time', '3', '--proxy', `http://127.0.0.1:${PROXY}`, `${lab.leakd.url}/json`], { check: false });
    expect(refused.code).not.toBe(0);
  });

  it('an unregistered identity gets a clear error, no retries, and no connection', async () => {
    myst.overrideIdentities({ registration: 'Unregistered' });
    try {
      const { code, data } = await burrow.cliJson<{ error: { code: string; message: string }; state: { state: string } }>(['connect', 'lab-dvpn'], 120_000);
      expect(code).not.toBe(0);
      expect(data.state.state).toBe('error');
      expect(data.error.code).toBe('unauthorized');
      expect(data.error.message).toMatch(/^Your Mysterium identity 0x[0-9a-f]{40} is not registered \(status: Unregistered\)\. .*register and top it up/);
      expect((await logs()).match(/Attempt \d to connect to Lab dVPN failed/g)).toHaveLength(1);
      expect(daemons()).toEqual([]);
    } finally {
      myst.overrideIdentities(undefined);
      await burrow.cliJson(['disconnect']);
    }
  });

  it('stopping Burrow and the lab leaves nothing behind', async () => {
    await burrow.stop();
    await myst.stop();
    const report = await lab.stop();
    expect(report.survivors).toEqual([]);
    expect(findLeftovers(lab)).toEqual({ namespaces: [], processes: [], files: [] });
  });
});
