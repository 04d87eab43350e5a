// Compare's "gets through here?" row from Smart connect's outcomes on this network: the walk records every
// rung it tried, the memory keeps them per network across a restart, and each Burrow network reads as
// yes (with which way), no (what was blocked) or not tried.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildComparison } from '../../../app/measure/build-comparison.js';
import { privacyFacts } from '../../../app/measure/facts.js';
import { getsThroughByNetwork, networkKey, openSmartMemory, RUNGS, walkLadder, type Rung } from '../../../app/smart/index.js';

describe('gets through here?', () => {
  it('the walk records each rung it tried on this network, and the memory keeps them across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smart-gt-'));
    const key = networkKey({ gatewayMac: 'aa:bb:cc:00:11:22' });
    const memory = openSmartMemory(dir);
    let t = Date.UTC(2026, 11, 2, 6, 0, 0);
    const now = (): Date => new Date((t += 1000));
    await walkLadder({ goal: 'fastest', available: new Set<Rung>(RUNGS), networkKey: key, memory, now, attempt: (rung) => Promise.resolve(rung === 'wireguard-shadowsocks') });
    const reopened = openSmartMemory(dir);
    expect(Object.keys(reopened.outcomes(key))).toEqual(['wireguard', 'wireguard-shadowsocks']);
    expect(reopened.outcomes(networkKey({ lan: '10.9.9.0/24' }))).toEqual({});
    const rows = getsThroughByNetwork(reopened.outcomes(key));
    expect(rows.wireguard).toMatchObject({ verdict: 'yes', text: 'Yes, with WireGuard over Shadowsocks (WireGuard blocked)' });
    expect(rows.tor).toEqual({ verdict: 'untested', text: 'Not tried on this network', at: null });
    expect(rows.dvpn.verdict).toBe('untested');
    expect(JSON.parse(readFileSync(join(dir, 'smart-connect.json'), 'utf8'))).toHaveProperty([key ?? '', 'fastest', 'rung'], 'wireguard-shadowsocks');
  });

  it('no, with what was blocked; a later success wins over an earlier block', () => {
    const at = (s: number): string => new Date(Date.UTC(2026, 11, 2, 6, 0, s)).toISOString();
    expect(getsThroughByNetwork({ tor: { through: false, at: at(1) }, 'tor-obfs4': { through: false, at: at(2) } }).tor)
      .toEqual({ verdict: 'no', text: 'No: Tor, Tor over obfs4 blocked', at: at(2) });
    expect(getsThroughByNetwork({ tor: { through: false, at: at(1) }, 'tor-obfs4': { through: true, at: at(2) } }).tor)
      .toEqual({ verdict: 'yes', text: 'Yes, with Tor over obfs4 (Tor blocked)', at: at(2) });
  });

  it('reaches the Compare rows of its networks only (never the no-tunnel row)', () => {
    const comparison = buildComparison(privacyFacts(), [], [], getsThroughByNetwork({ nym: { through: true, at: new Date(0).toISOString() } }));
    expect(comparison.rows.find((r) => r.network === 'nym')?.getsThrough?.text).toBe('Yes, with Nym');
    expect(comparison.rows.find((r) => r.network === 'none')?.getsThrough).toBeUndefined();
  });

  it('a memory file with damaged outcomes is kept aside, not trusted', () => {
    const dir = mkdtempSync(join(tmpdir(), 'smart-gt-'));
    const key = 'mac:aa:bb:cc:00:11:22';
    openSmartMemory(dir).record(key, 'tor', true, new Date(0));
    const file = join(dir, 'smart-connect.json');
    const text = readFileSync(file, 'utf8').replace('"through": true', '"through": "yes"');
    writeFileSync(file, text);
    expect(openSmartMemory(dir).outcomes(key)).toEqual({});
  });
});
