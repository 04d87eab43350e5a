// The Tor part of `burrow probe` in the lab: the host bootstraps a real tor with an empty data directory
// against the lab's private Tor network, and where it stops says what the censor does. No censor: 100%.
// The address blocklist: plain Tor never gets past reaching its first relay, while obfs4 through the
// bridge bootstraps. The GFW heuristic: the bridge still accepts TCP, but obfs4's random-looking first
// packet is judged and the bootstrap stalls, which the probe words as "probably DPI".
import { readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientProcesses, startBurrowInLab, type BurrowInLab } from './burrow-in-lab.js';
import type { CensorProfile } from './censor-profiles.js';
import { startLab, type Lab } from './lab.js';

const isRoot = process.getuid?.() === 0;

interface Verdict { profile: string; transport: string; target: string; outcome: string; sentence: string; evidence: Record<string, unknown> }

describe.skipIf(!isRoot)('burrow probe bootstraps Tor under the lab censor (needs root: network namespaces)', () => {
  let lab: Lab;
  let burrow: BurrowInLab;

  beforeAll(async () => {
    lab = await startLab({ tor: true, vpn: false });
    burrow = await startBurrowInLab(lab, { name: 'probe-tor' });
    const tor = ['[tor]', 'Mode proxy', ...lab.tor!.dirAuthorityLines, 'TestingTorNetwork 1', 'PathsNeededToBuildCircuits 0.67'];
    const file = (name: string, lines: string[]): string => {
      const path = join(burrow.dir, name);
      writeFileSync(path, [...lines, ''].join('\n'), { mode: 0o600 });
      return path;
    };
    expect((await burrow.cli(['profile', 'import', file('tor.conf', tor), '--name', 'Lab Tor'])).code).toBe(0);
    expect((await burrow.cli(['profile', 'import', file('obfs4.conf', [...tor, `Bridge ${lab.tor!.bridgeLine}`]), '--name', 'Lab obfs4'])).code).toBe(0);
  }, 240_000);
  afterAll(async () => {
    await burrow?.stop();
    await lab?.stop();
  });

  const probe = async (profile: string, censor?: CensorProfile): Promise<Verdict[]> => {
    if (censor !== undefined) await lab.censor.use(censor);
    try {
      const { code, data } = await burrow.cliJson<{ verdicts: Verdict[] }>(['probe', profile], 150_000);
      expect(code, JSON.stringify(data)).toBe(0);
      return data.verdicts;
    } finally {
      if (censor !== undefined) await lab.censor.clear();
    }
  };
  const bootstrap = (verdicts: Verdict[]): Verdict | undefined => verdicts.find((v) => v.target.startsWith('bootstrap'));

  it('with no censor a fresh tor bootstraps to 100% over the directory authorities and over the bridge', async () => {
    const plain = await probe('lab-tor');
    expect(plain).toHaveLength(1);
    expect(plain[0]).toMatchObject({ transport: 'tor', target: 'bootstrap via this profile\'s directory authorities', outcome: 'reachable', evidence: { progress: 100, ended: 'done' } });
    const obfs4 = await probe('lab-obfs4');
    expect(obfs4.map((v) => [v.transport, v.target, v.outcome])).toEqual([
      ['tor-obfs4', lab.tor!.bridgeLine.split(' ')[1], 'reachable'],
      ['tor-obfs4', 'bootstrap over the bridges', 'reachable'],
    ]);
  }, 300_000);

  it('under the address blocklist plain Tor stalls while reaching its first relay, and obfs4 gets through', async () => {
    const plain = bootstrap(await probe('lab-tor', 'blocklist'));
    expect(plain?.outcome, plain?.sentence).toBe('blocked');
    expect(plain?.evidence.ended).toBe('stalled');
    // Stopped before any relay answered: in words, an address block.
    expect(Number(plain?.evidence.progress)).toBeLessThan(10);
    expect(plain?.sentence).toMatch(/probably blocked by address here; try a bridge/);
    const obfs4 = bootstrap(await probe('lab-obfs4', 'blocklist'));
    expect(obfs4).toMatchObject({ outcome: 'reachable', evidence: { progress: 100 } });
  }, 300_000);

  it('under the GFW heuristic the bridge accepts TCP but the obfs4 bootstrap stalls', async () => {
    const verdicts = await probe('lab-obfs4', 'fet');
    expect(verdicts[0]?.outcome).toBe('reachable');
    const stalled = bootstrap(verdicts);
    expect(stalled?.outcome, stalled?.sentence).toBe('blocked');
    expect(stalled?.sentence).toMatch(/^Tor stalls at \d+%/);
  }, 300_000);

  it('leaves no probe tor running and no probe directory behind', () => {
    expect(clientProcesses(lab).filter((p) => p.cmdline.includes('burrow-probe-tor-'))).toEqual([]);
    const left = [...new Set([tmpdir(), '/tmp'])].flatMap((dir) => readdirSync(dir).filter((name) => name.startsWith('burrow-probe-tor-')));
    expect(left).toEqual([]);
  });
});
