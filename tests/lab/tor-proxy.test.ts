// Burrow's Tor in proxy mode, end to end in the lab as a person uses it: import a Tor profile for the lab's
// private network, `burrow connect`, browse through Burrow's SOCKS port; tor dying is noticed and repaired;
// a censor that blocks every relay gets the "try a bridge" sentence; the lab's obfs4 bridge gets through.
// netd and the host run inside `client` (tests/lab/burrow-in-lab.ts); real tor, real obfs4proxy.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectControl } from '../../app/cli/control-client.js';
import { clientProcesses, startBurrowInLab, waitForState, type BurrowInLab } from './burrow-in-lab.js';
import { echo } from './http.js';
import { startLab, type Lab } from './lab.js';
import { findLeftovers } from './leftovers.js';
import { waitFor } from './process.js';

const isRoot = process.getuid?.() === 0;
const SOCKS = 9150;

interface Details {
  exitIp?: string;
  endpoint?: string;
  extra: Record<string, string>;
}

/** The lab's private network as a Tor profile file: its authorities and the testing options a client needs. */
export function labTorProfile(lab: Lab, extra: string[] = []): string {
  const network = lab.tor!;
  return ['[tor]', 'Mode proxy', `SocksPort ${SOCKS}`, ...network.dirAuthorityLines, 'TestingTorNetwork 1', 'PathsNeededToBuildCircuits 0.67', ...extra, ''].join('\n');
}

function torPids(lab: Lab): number[] {
  return clientProcesses(lab)
    .filter((p) => /^(\S*\/)?tor --defaults-torrc /.test(p.cmdline))
    .map((p) => p.pid);
}

describe.skipIf(!isRoot)('Tor through Burrow, proxy mode (needs root: network namespaces)', () => {
  let lab: Lab;
  let burrow: BurrowInLab;
  const file = (name: string, text: string): string => {
    const path = join(burrow.dir, name);
    writeFileSync(path, text, { mode: 0o600 });
    return path;
  };
  /** The exit as the echo sees it through Burrow's SOCKS port; a failure carries what tor and the exit logged. */
  const socksEcho = async (): Promise<string> => {
    try {
      return (await echo(lab, 'client', { socksPort: SOCKS })).ip;
    } catch (err) {
      const logs = await burrow.cli(['logs', '--limit', '40']).catch(() => ({ stdout: '(no logs)' }));
      const exitLogs = readdirSync(join(lab.dir, 'logs')).filter((f) => f.startsWith('tor-exit'));
      const exitTail = exitLogs.map((f) => readFileSync(join(lab.dir, 'logs', f), 'utf8').split('\n').slice(-12).join('\n')).join('\n');
      throw new Error(`${String(err)}\n--- Burrow's log:\n${logs.stdout}\n--- the exit relay's log:\n${exitTail}`, { cause: err });
    }
  };

  beforeAll(async () => {
    lab = await startLab({ tor: true, vpn: false });
    burrow = await startBurrowInLab(lab, { name: 'tor-proxy' });
  });
  afterAll(async () => {
    await burrow?.stop();
    await lab?.stop();
  });

  it('imports the lab network’s Tor profile; the summary shows the mode and network, never a torrc line', async () => {
    const { code, data } = await burrow.cliJson<{ id: string; network: string; details: Record<string, unknown> }>([
      'profile', 'import', file('lab-tor.conf', labTorProfile(lab)),
    ]);
    expect(code).toBe(0);
    expect(data).toMatchObject({ id: 'lab-tor', network: 'tor', details: { mode: 'proxy', bridges: 0, network: 'private (3 directory authorities)', socksPort: SOCKS } });
    const bad = await burrow.cliJson<{ error: { code: string; message: string } }>(['profile', 'import', file('bad.conf', '[tor]\nMode proxy\nLog notice file /etc/x\n')]);
    expect(bad.code).toBe(1);
    expect(bad.data.error).toMatchObject({ code: 'invalid_profile' });
    expect(bad.data.error.message).toMatch(/^Line 3: "Log" is not an option a Tor profile may set/);
  });

  it('`burrow connect` answers connected only at 100%, with the circuit, the exit and tor’s version; the echo sees the exit through the SOCKS port', async () => {
    const started = Date.now();
    const { code, data } = await burrow.cliJson<{ state: string; details: Details }>(['connect', 'lab-tor'], 120_000);
    const coldMs = Date.now() - started;
    expect(code).toBe(0);
    expect(data.state).toBe('connected');
    const { details } = data;
    expect(details.extra['SOCKS proxy']).toBe(`127.0.0.1:${SOCKS}`);
    expect(details.extra['Tor version']).toMatch(/^\d+\.\d+\.\d+\.\d+/);
    expect(details.extra.Circuit?.split(' → ')).toHaveLength(3);
    expect(details.exitIp).toBe(lab.addresses.tor.exit);
    expect(details.extra['Exit relay']).toBe(`exit (${lab.addresses.tor.exit})`);
    expect(await socksEcho()).toBe(lab.addresses.tor.exit);
    // Proxy mode changes nothing system-wide: a program not using the SOCKS port is still itself.
    expect((await echo(lab)).ip).toBe(lab.addresses.client);
    // The progress bar saw tor's phases on the way (the host logs each state change).
    const logs = await burrow.cliJson<Array<{ message: string }>>(['logs', '--limit', '500']);
    const phases = logs.data.map((entry) => /connecting to lab-tor \(attempt 1\): (.+)$/.exec(entry.message)?.[1]).filter((p) => p !== undefined);
    expect(phases).toContain('Starting Tor');
    expect(phases).toContain('Done');
    expect(new Set(phases).size).toBeGreaterThanOrEqual(4);
    console.log(`tor proxy: cold bootstrap through Burrow ${coldMs} ms; phases: ${[...new Set(phases)].join(' | ')}`);
  });

  it('a second connect reuses the state tor kept (its consensus), not a fresh directory', async () => {
    expect((await burrow.cliJson<{ state: string }>(['disconnect'])).data.state).toBe('disconnected');
    expect(torPids(lab)).toEqual([]);
    // What makes the second bootstrap quicker is behaviour a test can see: tor's state and consensus stay
    // in the profile's data directory across a disconnect. (How much quicker is a benchmark's question.)
    const kept = readdirSync(join(burrow.dir, 'data', 'tor', 'profiles', 'lab-tor'));
    expect(kept).toEqual(expect.arrayContaining(['state', 'cached-microdesc-consensus']));
    const started = Date.now();
    const { data } = await burrow.cliJson<{ state: string }>(['connect', 'lab-tor'], 120_000);
    expect(data.state).toBe('connected');
    console.log(`tor proxy: warm bootstrap through Burrow ${Date.now() - started} ms`);
    expect(await socksEcho()).toBe(lab.addresses.tor.exit);
  });

  it('new identity (NEWNYM) over the contract: tor takes the signal and answers the current circuit', async () => {
    const control = await connectControl(burrow.controlSocket);
    try {
      const details = await control.client.newIdentity({});
      expect(details.exitIp).toBe(lab.addresses.tor.exit);
      expect(details.extra?.Circuit?.split(' → ')).toHaveLength(3);
    } finally {
      control.close();
    }
    expect(await socksEcho()).toBe(lab.addresses.tor.exit);
  });

  it('a connection the exit cannot make is explained in the log (tor\'s reason and the exit\'s), never with where it went', async () => {
    // Port 9 (discard) has no listener on the echo host: the exit's connect is refused (tor 0.4.9's exit
    // then says MISC to the client, and the client's SOCKS reply is "general failure": curl's 97).
    const refused = await lab.exec('client', ['curl', '-sS', '--max-time', '15', '--socks5-hostname', `127.0.0.1:${SOCKS}`, `http://${lab.addresses.echo}:9/`], { check: false });
    expect(refused.code).toBe(97);
    let logs = '';
    const explained = await waitFor('the failed stream in the log', 10_000, async () => {
      logs = (await burrow.cli(['logs', '--limit', '200'])).stdout;
      return /tor: a stream failed on circuit \d+ \(END, the exit said [A-Z]+\)/.test(logs) ? true : undefined;
    }).catch(() => false);
    expect(explained, `curl said: ${refused.stderr}\nBurrow's log:\n${logs}`).toBe(true);
    expect(logs).not.toContain(lab.addresses.echo);
  });

  it('tor killed with -9 is noticed: the host reconnects by itself with a new tor', async () => {
    const [before] = torPids(lab);
    expect(before).toBeDefined();
    process.kill(before!, 'SIGKILL');
    // The warm restart takes well under a second: watch the pid and the log, not the passing states.
    const after = await waitFor('a new tor', 30_000, () => {
      const pids = torPids(lab);
      return pids.length === 1 && pids[0] !== before ? pids[0] : undefined;
    });
    await waitForState(burrow, ['connected'], 30_000);
    expect(torPids(lab)).toEqual([after]);
    expect(await socksEcho()).toBe(lab.addresses.tor.exit);
    const logs = await burrow.cli(['logs', '--limit', '500']);
    expect(logs.stdout).toMatch(/The tunnel was lost: Tor stopped unexpectedly \(killed by SIGKILL\)\.\n/);
  });

  it('with the censor blocking every relay and authority, a new profile fails with the “try a bridge” sentence', async () => {
    await burrow.cliJson(['disconnect']);
    await lab.censor.blockTor();
    // A new profile has its own (empty) tor state: a person who has never reached Tor from here.
    await burrow.cliJson(['profile', 'import', file('censored.conf', labTorProfile(lab)), '--name', 'censored']);
    const started = Date.now();
    const { code, data } = await burrow.cliJson<{ state: { state: string; cause: { code: string; message: string; evidence: Record<string, unknown> } } }>(['connect', 'censored'], 120_000);
    expect(code).toBe(1);
    expect(data.state.state).toBe('error');
    expect(data.state.cause.code).toBe('blocked_by_censor');
    expect(data.state.cause.message).toBe('Tor is blocked here: try a bridge (Settings → Tor → bridges, or import a profile with bridge lines)');
    expect(Number(data.state.cause.evidence.progress)).toBeLessThan(15);
    console.log(`tor proxy: censorship reported after ${Date.now() - started} ms, evidence ${JSON.stringify(data.state.cause.evidence)}`);
    expect(torPids(lab)).toEqual([]);
    expect(await lab.censor.ruleset()).toMatch(/ip daddr @blocked4 counter packets [1-9]/);
  });

  it('through the same censor, a profile with the lab’s obfs4 bridge line connects and exits through the exit', async () => {
    const bridged = labTorProfile(lab, [`Bridge ${lab.tor!.bridgeLine}`]);
    const imported = await burrow.cliJson<{ details: Record<string, unknown> }>(['profile', 'import', file('bridged.conf', bridged), '--name', 'bridged']);
    expect(imported.data.details).toMatchObject({ bridges: 1, transports: ['obfs4'] });
    const { code, data } = await burrow.cliJson<{ state: string; details: Details }>(['connect', 'bridged'], 120_000);
    expect(code).toBe(0);
    expect(data.state).toBe('connected');
    expect(data.details.extra.Bridges).toBe('1 (obfs4)');
    // The first hop is the bridge: it is what the ISP sees.
    expect(data.details.endpoint).toBe(lab.addresses.bridge);
    expect(await socksEcho()).toBe(lab.addresses.tor.exit);
    // obfs4proxy runs as tor's child.
    expect(clientProcesses(lab).some((p) => p.cmdline.includes('obfs4proxy'))).toBe(true);
    await lab.censor.clear();
  });

  it('disconnect leaves no tor or transport behind, and the lab tears down clean', async () => {
    await burrow.cliJson(['disconnect']);
    await waitFor('tor to be gone', 10_000, () => (torPids(lab).length === 0 && !clientProcesses(lab).some((p) => p.cmdline.includes('obfs4proxy')) ? true : undefined));
    await burrow.stop();
    const report = await lab.stop();
    expect(report.survivors).toEqual([]);
    expect(findLeftovers(lab)).toEqual({ namespaces: [], processes: [], files: [] });
  });
});
