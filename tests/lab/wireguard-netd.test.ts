// netd as a hostile local program would meet it, and the CLI as a person with a broken .conf would: garbage,
// oversized and out-of-protocol requests are refused with clear errors, netd stays up and keeps its rules,
// keys never reach its log, and a broken profile is refused at import with the line to fix.
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_TRACES, burrowBin, startBurrowInLab, tunnelTraces, waitForState, type BurrowInLab } from './burrow-in-lab.js';
import { echo } from './http.js';
import { startLab, type Lab } from './lab.js';
import { waitFor } from './process.js';
import { netdPidIn } from './strays.js';

const isRoot = process.getuid?.() === 0;

interface Reply {
  id: number | null;
  ok: boolean;
  result?: Record<string, unknown>;
  error?: { code: string; message: string };
}

const replies = (text: string): Reply[] =>
  text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Reply);

describe.skipIf(!isRoot)('netd refuses what is not its protocol; the CLI refuses broken profiles (needs root)', () => {
  let lab: Lab;
  let burrow: BurrowInLab;
  let key = '';

  beforeAll(async () => {
    lab = await startLab({ tor: false });
    burrow = await startBurrowInLab(lab);
    key = /^PrivateKey = (\S+)$/m.exec(lab.wireguard?.clientConf ?? '')?.[1] ?? '';
  });
  afterAll(async () => {
    await burrow?.stop();
    await lab?.stop();
  });

  const ping = async (): Promise<Reply> => replies(await burrow.netdRaw('{"id":7,"method":"ping","params":{}}\n', 1000))[0] ?? { id: null, ok: false };

  it('listens on a socket owned by root with mode 0600', () => {
    const stats = statSync(burrow.netdSocket);
    expect(stats.isSocket()).toBe(true);
    expect(stats.uid).toBe(0);
    expect(stats.mode & 0o777).toBe(0o600);
  });

  it('with --group, the socket is 0660 and belongs to that group', async () => {
    const path = join(burrow.dir, 'grouped.sock');
    const grouped = lab.spawn('client', [process.execPath, burrowBin(), 'netd', '--socket', path, '--group', 'root', '--state-dir', join(burrow.dir, 'grouped-state')], { name: 'netd-grouped' });
    try {
      await grouped.waitForLog(/"msg":"netd ready"/, 15_000);
      const stats = statSync(path);
      expect([stats.uid, stats.gid, stats.mode & 0o777]).toEqual([0, 0, 0o660]);
    } finally {
      await grouped.stop();
    }
  });

  it('answers garbage, unknown commands and bad parameters with clear errors, one per line, and stays up', async () => {
    const pid = (await ping()).result?.pid;
    const lines = [
      'hello netd',
      '[1,2,3]',
      '{"id":1,"method":"rm -rf /","params":{}}',
      '{"id":2,"method":"wgDown","params":{"ifname":"eth0"}}',
      '{"id":3,"method":"applyFirewall","params":{"policy":{"kind":"tunnel","tunnelInterface":"x\\"; flush ruleset; #","endpoints":[],"fwmark":1,"dnsServers":[],"allowLan":false,"ipv6InTunnel":false}}}',
      '{"id":4,"method":"applyFirewall","params":{"policy":{"kind":"everything-goes"}}}',
      '{"id":5,"method":"ping","params":{"extra":true}}',
    ];
    const got = replies(await burrow.netdRaw(`${lines.join('\n')}\n`, 2000));
    expect(got.map((reply) => [reply.ok, reply.error?.code])).toEqual([
      [false, 'invalid_request'],
      [false, 'invalid_request'],
      [false, 'unknown_command'],
      [false, 'invalid_request'],
      [false, 'invalid_request'],
      [false, 'invalid_request'],
      [false, 'invalid_request'],
    ]);
    expect(got[0]?.error?.message).toMatch(/not valid JSON/);
    expect(got[3]?.error?.message).toMatch(/ifname/);
    expect(got[4]?.error?.message).toMatch(/tunnelInterface/);
    expect((await lab.exec('client', ['nft', 'list', 'tables'])).stdout).not.toMatch(/burrow/);
    expect((await ping()).result?.pid).toBe(pid);
  });

  it('refuses an oversized request and closes that connection; netd stays up', async () => {
    const pid = (await ping()).result?.pid;
    const huge = `{"id":1,"method":"ping","params":{"pad":"${'x'.repeat(100_000)}"}}\n`;
    const got = replies(await burrow.netdRaw(huge, 2000));
    expect(got).toHaveLength(1);
    expect(got[0]?.error?.code).toBe('message_too_large');
    // Without a newline at all: the same limit.
    expect(replies(await burrow.netdRaw('y'.repeat(80_000), 2000))[0]?.error?.code).toBe('message_too_large');
    expect((await ping()).result?.pid).toBe(pid);
  });

  it('a private key sent in a refused request reaches neither the answer nor the log', async () => {
    const request = { id: 9, method: 'wgUp', params: { ifname: 'eth0', privateKey: key, fwmark: 51820, mtu: 1420, addresses: ['10.0.0.2/32'], peers: [], secret: key } };
    const text = await burrow.netdRaw(`${JSON.stringify(request)}\n`, 1000);
    expect(replies(text)[0]?.error?.code).toBe('invalid_request');
    expect(text).not.toContain(key);
    expect(burrow.netd.log()).not.toContain(key);
    expect(burrow.netd.log()).toMatch(/"msg":"request refused".*"method":"wgUp"/);
  });

  it('netd killed while connected: the host keeps blocking and, when netd does not come back, says netd is gone; a new netd removes the old tunnel; connecting works again', async () => {
    expect((await burrow.cli(['profile', 'import', burrow.confFile, '--name', 'lab'])).code).toBe(0);
    expect((await burrow.cliJson(['connect', 'lab'])).data.state).toBe('connected');
    const netd = netdPidIn(lab);
    // Never signal a pid we did not get (as root, -1 is every process on the machine).
    if (netd === undefined) throw new Error('no netd in the client namespace');
    process.kill(netd, 'SIGKILL');
    // netd away is retried (systemd would bring it back); here nothing does, so the attempts run out.
    const failed = await waitForState(burrow, ['error'], 60_000);
    expect(failed).toMatchObject({ state: 'error', blocking: true });
    expect(JSON.stringify(failed)).toMatch(/netd/);
    // The orphaned wireguard-go still runs, inside the rules netd left: nothing leaks around it.
    expect((await lab.exec('client', ['curl', '-sS', '--max-time', '2', '--interface', lab.interfaces.client, `${lab.leakd.url}/json`], { check: false })).code).not.toBe(0);

    await burrow.startNetd();
    await waitFor('the new netd to clean up', 10_000, async () => ((await tunnelTraces(lab)).helpers.length === 0 ? true : undefined));
    expect(burrow.netd.log()).toMatch(/"msg":"removed tunnels a previous netd left behind","interfaces":\["burrow0"\]/);
    expect((await burrow.cliJson(['connect', 'lab'])).data.state).toBe('connected');
    expect((await echo(lab)).ip).toBe(lab.addresses.vpn);
    expect((await burrow.cliJson(['disconnect'])).data.state).toBe('disconnected');
    expect(await tunnelTraces(lab)).toEqual(NO_TRACES);
    expect((await burrow.cli(['profile', 'remove', 'lab'])).code).toBe(0);
  });

  it('the CLI refuses malformed configs with the line to fix, and nothing is imported', async () => {
    const conf = lab.wireguard?.clientConf ?? '';
    const cases: [string, string, RegExp][] = [
      ['postup.conf', conf.replace('[Peer]', 'PostUp = iptables -F\n\n[Peer]'), /Line 6: .*PostUp/],
      ['badkey.conf', conf.replace(/^PrivateKey = .*$/m, 'PrivateKey = not-a-key'), /Line 2: PrivateKey is not a valid key/],
      ['noendpoint.conf', conf.replace(/^Endpoint = .*$/m, 'Endpoint = 10.0.0.1'), /Line \d+: .*has no port/],
    ];
    for (const [name, text, message] of cases) {
      const file = join(burrow.dir, name);
      writeFileSync(file, text, { mode: 0o600 });
      const { code, data } = await burrow.cliJson<{ error: { code: string; message: string } }>(['profile', 'import', file]);
      expect(code, name).toBe(1);
      expect(data.error.code, name).toBe('invalid_profile');
      expect(data.error.message, name).toMatch(message);
      expect(data.error.message, name).not.toContain(key);
    }
    const big = join(burrow.dir, 'big.conf');
    writeFileSync(big, `${conf}\n${'#'.repeat(70 * 1024)}\n`);
    const oversized = await burrow.cliJson<{ error: { code: string; message: string } }>(['profile', 'import', big]);
    expect(oversized.data.error.message).toMatch(/64 KiB/);
    expect((await burrow.cliJson<unknown[]>(['profile', 'list'])).data).toEqual([]);
  });
});
