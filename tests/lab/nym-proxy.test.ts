// Nym through Burrow in the lab, proxy mode, against the STAND-IN nym-socks5-client and lab mixnet
// (tests/lab/standins): import a profile, `burrow connect`, and check what the echo sees through the
// client's SOCKS port, how the driver handles the exit refusing streams, a taken port, a killed client.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientProcesses, startBurrowInLab, waitForState, type BurrowInLab } from './burrow-in-lab.js';
import { echo } from './http.js';
import { startLab, type Lab } from './lab.js';
import { findLeftovers } from './leftovers.js';
import { waitFor } from './process.js';
import { startNymStandin, type NymStandin } from './standins/install.js';

const isRoot = process.getuid?.() === 0;
const PORT = 1080;

describe.skipIf(!isRoot)('Nym through Burrow, proxy mode, stand-in client (needs root: network namespaces)', () => {
  let lab: Lab;
  let nym: NymStandin;
  let burrow: BurrowInLab;
  const profile = (name: string, lines: string[]): string => {
    const file = join(burrow.dir, `${name}.nym`);
    writeFileSync(file, ['[nym]', `Name = ${name}`, `Provider = ${nym.exitAddress}`, `Gateway = ${nym.gateway.id}`, ...lines, ''].join('\n'));
    return file;
  };
  const clients = (): { pid: number; cmdline: string }[] => clientProcesses(lab).filter((p) => p.cmdline.includes('nym-socks5-client.mjs') && p.cmdline.includes(' run '));
  const logs = async (): Promise<string> => (await burrow.cli(['logs', '--limit', '400'])).stdout;

  beforeAll(async () => {
    lab = await startLab({ tor: false, vpn: false });
    nym = await startNymStandin(lab);
    burrow = await startBurrowInLab(lab, { env: { BURROW_NYM_SOCKS5_CLIENT: nym.client } });
  });
  afterAll(async () => {
    await burrow?.stop();
    await nym?.stop();
    await lab?.stop();
  });

  it('imports a Nym profile and shows what mixing costs', async () => {
    const { code, data } = await burrow.cliJson<{ id: string; network: string; details: Record<string, unknown> }>(['profile', 'import', profile('mix', [`SocksPort = ${PORT}`, 'AveragePacketDelay = 15ms'])]);
    expect(code).toBe(0);
    expect(data).toMatchObject({ id: 'mix', network: 'nym', details: { mode: 'proxy', socksPort: PORT } });
    expect(data.details.mixing).toMatch(/15 ms mean per mix hop × 3 hops: about \+90 ms per round trip/);
  });

  it('`burrow connect` answers connected once the client is ready; the echo sees the exit through the SOCKS port', async () => {
    const { code, data } = await burrow.cliJson<{ state: string; details: { endpoint: string; extra: Record<string, string> } }>(['connect', 'mix']);
    expect(code).toBe(0);
    expect(data.state).toBe('connected');
    expect(data.details.endpoint).toBe(nym.gateway.listener);
    expect(data.details.extra.helper).toBe('runs as user burrow-nym');
    expect((await echo(lab, 'client', { socksPort: PORT })).ip).toBe(nym.exitIp);
    const socks4a = await lab.exec('client', ['curl', '-sS', '--max-time', '10', '--socks4a', `127.0.0.1:${PORT}`, `${lab.leakd.url}/json`]);
    expect((JSON.parse(socks4a.stdout) as { ip: string }).ip).toBe(nym.exitIp);
    // Run as the helper user, never root, with the exact argv.
    const ps = await lab.exec('client', ['ps', '-o', 'user:20=,args=', '-C', 'node']);
    const run = ps.stdout.split('\n').find((line) => line.includes('nym-socks5-client.mjs --no-banner run'));
    expect(run).toMatch(/^burrow-nym .* --no-banner run --id burrow-mix-[0-9a-f]{8} --port 1080 --host 127\.0\.0\.1$/);
    // Proxy mode changes nothing system-wide: without the proxy, programs go out directly.
    expect((await echo(lab)).ip).toBe(lab.addresses.client);
  });

  it('streams the exit refuses are counted, and the details say the exit is failing', async () => {
    const refused = `http://${lab.addresses.ispResolver}/`;
    for (let i = 0; i < 3; i++) {
      const r = await lab.exec('client', ['curl', '-sS', '--max-time', '10', '--socks5-hostname', `127.0.0.1:${PORT}`, refused], { check: false });
      expect(r.code).not.toBe(0);
    }
    const status = await waitFor('the failing exit in the details', 10_000, async () => {
      const { data } = await burrow.cliJson<{ tunnel: { details?: { extra?: Record<string, string> } } }>(['status']);
      return data.tunnel.details?.extra?.exitHealth?.startsWith('failing') === true ? data.tunnel : undefined;
    });
    expect(status.details?.extra?.exitHealth).toMatch(/failing: 3 streams closed by the exit in the last 60 s \(last: connection to 10\.\d+\.1\.1:80 is not allowed/);
  });

  it('a second connect reuses the initialised client (init ran once) and learns the exit address from the leak server', async () => {
    await burrow.cliJson(['settings', 'set', `leakServer=${lab.leakd.url}`]);
    await burrow.cliJson(['disconnect']);
    expect(clients()).toEqual([]);
    expect((await burrow.cliJson<{ state: string }>(['connect', 'mix'])).data.state).toBe('connected');
    expect((await logs()).match(/Initialised Nym client burrow-mix-/g)).toHaveLength(1);
    const exitIp = await waitFor('the exit address', 15_000, async () => (await burrow.cliJson<{ exitIp: string | null }>(['status'])).data.exitIp ?? undefined);
    expect(exitIp).toBe(nym.exitIp);
  });

  it('kill -9 of the client: the state leaves connected and Burrow restarts the client by itself', async () => {
    const [client] = clients();
    // Never signal a pid we did not get (as root, -1 is every process on the machine).
    if (client === undefined) throw new Error('no nym-socks5-client in the client namespace');
    process.kill(client.pid, 'SIGKILL');
    await waitFor('the host to notice', 10_000, async () => (/The tunnel was lost: nym-socks5-client was killed by SIGKILL/.test(await logs()) ? true : undefined));
    await waitForState(burrow, ['connected'], 30_000);
    const after = await logs();
    expect(after.slice(after.lastIndexOf('The tunnel was lost'))).toMatch(/State: (connecting to mix \(attempt \d\)|error)[\s\S]*State: connected to mix/);
    expect(clients()).toHaveLength(1);
    expect((await echo(lab, 'client', { socksPort: PORT })).ip).toBe(nym.exitIp);
  });

  it('disconnect stops the client with SIGINT', async () => {
    const { data } = await burrow.cliJson<Record<string, unknown>>(['disconnect']);
    expect(data).toEqual({ state: 'disconnected', lockedDown: false });
    expect(clients()).toEqual([]);
    expect(await logs()).toMatch(/nym-socks5-client: .*Received SIGINT - the client will terminate now/);
  });

  it('a SOCKS port another program holds: the client logs the bind failure and runs on, Burrow says why and does not call it connected', async () => {
    const squatter = lab.spawn('client', [process.execPath, '-e', 'require("node:net").createServer((s) => s.end("HTTP/1.0 400 no\\r\\n\\r\\n")).listen(1090, "127.0.0.1", () => console.log("squatting"))'], { name: 'squatter' });
    try {
      await squatter.waitForLog(/squatting/, 5000);
      expect((await burrow.cli(['profile', 'import', profile('taken', ['SocksPort = 1090'])])).code).toBe(0);
      const { code, data } = await burrow.cliJson<{ error: { code: string; message: string }; state: { state: string } }>(['connect', 'taken']);
      expect(code).not.toBe(0);
      expect(data.state.state).toBe('error');
      expect(data.error.code).toBe('conflict');
      expect(data.error.message).toMatch(/could not listen on 127\.0\.0\.1:1090 .*another program holds that port\. Set SocksPort/);
      expect(clients()).toEqual([]);
    } finally {
      await squatter.stop();
      await burrow.cliJson(['disconnect']);
    }
  });

  it('stopping Burrow and the lab leaves nothing behind', async () => {
    await burrow.stop();
    await nym.stop();
    const report = await lab.stop();
    expect(report.survivors).toEqual([]);
    expect(findLeftovers(lab)).toEqual({ namespaces: [], processes: [], files: [] });
  });
});
