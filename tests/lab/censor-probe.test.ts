// `burrow probe` in the lab, end to end: the host in `client` sends its own WireGuard handshake
// initiation (no root, no tunnel) to the lab provider, and the verdict changes with the censor.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startBurrowInLab, type BurrowInLab } from './burrow-in-lab.js';
import { startTransportServers, type TransportServers } from './censor-transports.js';
import { startLab, type Lab } from './lab.js';

const isRoot = process.getuid?.() === 0;

interface Verdict { profile: string; transport: string; target: string; outcome: string; sentence: string; evidence: Record<string, unknown> }

describe.skipIf(!isRoot)('burrow probe under the lab censor (needs root: network namespaces)', () => {
  let lab: Lab;
  let burrow: BurrowInLab;
  let transports: TransportServers;

  beforeAll(async () => {
    lab = await startLab({ tor: false });
    transports = await startTransportServers(lab);
    burrow = await startBurrowInLab(lab);
    const imported = await burrow.cliJson(['profile', 'import', burrow.confFile, '--name', 'Lab VPN']);
    expect(imported.code).toBe(0);
  });
  afterAll(async () => {
    await burrow?.stop();
    await lab?.stop();
  });

  const probe = async (): Promise<Verdict> => {
    const { code, data } = await burrow.cliJson<{ verdicts: Verdict[] }>(['probe', 'lab-vpn'], 30_000);
    expect(code, JSON.stringify(data)).toBe(0);
    expect(data.verdicts).toHaveLength(1);
    return data.verdicts[0]!;
  };

  it('with no censor the lab server answers the probe’s handshake', async () => {
    const v = await probe();
    expect(v).toMatchObject({ transport: 'wireguard', target: lab.wireguard?.endpoint, outcome: 'reachable' });
    expect(v.evidence.reply).toBe('response');
  });

  it('under WireGuard DPI the verdict is "blocked", and the censor’s drop rule counted the initiations', async () => {
    await lab.censor.use('wireguard-dpi');
    try {
      const v = await probe();
      expect(v.outcome).toBe('blocked');
      expect(v.sentence).toMatch(/go unanswered after 3 initiations of 148 bytes: probably DPI/);
      expect(await lab.censor.ruleset()).toMatch(/udp length 156 @th,64,32 0x1000000 counter packets [1-9]/);
    } finally {
      await lab.censor.clear();
    }
  });

  it('under the allowlist too; with the censor lifted it is reachable again', async () => {
    await lab.censor.use('allowlist');
    try {
      expect((await probe()).outcome).toBe('blocked');
    } finally {
      await lab.censor.clear();
    }
    expect((await probe()).outcome).toBe('reachable');
  });

  it('a provider file with a TLS-looking [Obfuscation] imports, and under the allowlist the probe tells the two paths apart', async () => {
    const file = join(burrow.dir, 'provider-obfs.conf');
    writeFileSync(file, `${lab.wireguard!.clientConf}\n${transports.vlessSection}`, { mode: 0o600 });
    const imported = await burrow.cliJson<{ id: string; details: { obfuscation: string[] } }>(['profile', 'import', file, '--name', 'Lab obfs']);
    expect(imported.code).toBe(0);
    expect(imported.data.details.obfuscation).toEqual([`VLESS over WebSocket+TLS (obfs.vpn.lab/burrow) via ${transports.address}:443`]);
    await lab.censor.use('allowlist');
    try {
      const { data } = await burrow.cliJson<{ verdicts: Verdict[] }>(['probe', 'lab-obfs'], 30_000);
      expect(data.verdicts.map((v) => [v.transport, v.outcome])).toEqual([['wireguard', 'blocked'], ['wireguard-vless', 'reachable']]);
      expect(data.verdicts[1]?.sentence).toMatch(/completes a TLS handshake/);
    } finally {
      await lab.censor.clear();
    }
    await burrow.cliJson(['profile', 'remove', 'lab-obfs']);
  });

  it('refuses to probe while connected (it would test the tunnel, not the network)', async () => {
    expect((await burrow.cliJson<{ state: string }>(['connect', 'lab-vpn'])).data.state).toBe('connected');
    const r = await burrow.cli(['probe', '--json']);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/disconnect first/);
    await burrow.cliJson(['disconnect']);
  });
});
