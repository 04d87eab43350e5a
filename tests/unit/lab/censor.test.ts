// The lab censor's rules without a lab: the nft ruleset each profile produces, and the payload judge's
// verdicts (censor-proxy.py, run by the system's python3) on inputs whose answer the paper fixes.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { censorRuleset, throttleCommands } from '../../lab/censor.js';
import { CENSOR_PROFILE_NAMES, CENSOR_PROFILES, parseProxyEvents } from '../../lab/censor-profiles.js';
import { planInterfaces } from '../../lab/addresses.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = join(import.meta.dirname, '..', '..', 'lab', 'censor-proxy.py');

/** Runs the judge's own functions on hex payloads: [blocked, reason] per payload. */
function judge(fn: 'fet' | 'allowlist', payloads: string[], port = 443): [boolean, string][] {
  const code = `
import importlib.util, json, sys
spec = importlib.util.spec_from_file_location('judge', sys.argv[1]); m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
out = []
for h in sys.argv[3:]:
    d = bytes.fromhex(h)
    v = m.fet_verdict(d) if sys.argv[2] == 'fet' else m.allowlist_verdict(d, ${port})
    out.append([v[0], v[1]])
print(json.dumps(out))`;
  // -B: importing the judge must not leave a __pycache__ in the source tree.
  const r = spawnSync(PYTHON, ['-B', '-c', code, SCRIPT, fn, ...payloads], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as [boolean, string][];
}

const hex = (s: string): string => Buffer.from(s, 'latin1').toString('hex');

describe('censor ruleset per profile', () => {
  it('the payload judge gets the client side’s TCP (all of it for fet, 80/443 for the allowlist) and its 3-tuples are dropped early', () => {
    const fet = censorRuleset(new Set(), false, { proxy: { mode: 'fet', clientIf: 'blffffic', port: 15001 } });
    expect(fet).toContain('iifname "blffffic" meta nfproto ipv4 meta l4proto tcp counter redirect to :15001');
    expect(fet).toContain('ip saddr . ip daddr . tcp dport @fet_blocked counter drop');
    expect(fet).not.toContain('udp dport 53 accept');
    const allow = censorRuleset(new Set(), false, { proxy: { mode: 'allowlist', clientIf: 'blffffic', port: 15001 } });
    expect(allow).toContain('tcp dport { 80, 443 } counter redirect to :15001');
    expect(allow).toMatch(/iifname "blffffic" udp dport 53 accept\n\s+iifname "blffffic" counter drop/);
    expect(censorRuleset(new Set(), false)).not.toContain('redirect');
  });

  it('throttling puts UDP 51820 in a slow htb class on both ISP links, each direction matched on its own port field', () => {
    const cmds = throttleCommands(planInterfaces('blffff')).map((c) => c.join(' '));
    expect(cmds.filter((c) => c.includes('match ip dport 51820')).map((c) => c.split(' ')[4])).toEqual(['blffffin']);
    expect(cmds.filter((c) => c.includes('match ip sport 51820')).map((c) => c.split(' ')[4])).toEqual(['blffffic']);
    expect(cmds).toContain('tc class replace dev blffffin parent 1: classid 1:20 htb rate 128kbit ceil 128kbit');
  });

  it('every profile names what it models and a source', () => {
    for (const name of CENSOR_PROFILE_NAMES) {
      expect(CENSOR_PROFILES[name].models.length).toBeGreaterThan(40);
      expect(CENSOR_PROFILES[name].source).toMatch(/\d{4}/);
    }
  });

  it('reads only the judge’s JSON lines from its log', () => {
    expect(parseProxyEvents('{"event": "listening"}\nTraceback (most recent call last):\n{"event": "flow", "verdict": "block"}\n{bad')).toEqual([
      { event: 'listening' },
      { event: 'flow', verdict: 'block' },
    ]);
  });
});

describe.skipIf(!existsSync(PYTHON))('the fully-encrypted-traffic heuristic (Wu et al. 2023, Algorithm 1)', () => {
  // 96 a5 c3 e1: popcount 4 each, none printable: as random as the judge can tell.
  const random = '96a5c3e1'.repeat(16);
  it('blocks a random-looking first payload and exempts each case the paper lists', () => {
    const verdicts = judge('fet', [
      random,
      '00'.repeat(64), // Ex1: popcount 0
      'ff'.repeat(64), // Ex1: popcount 8
      hex('ABCDEF') + '96a5c3e1'.repeat(15), // Ex2: first six printable
      '96a5' + hex('x'.repeat(40)) + '96a5c3e1'.repeat(4), // Ex3: more than half printable (and Ex4)
      '96a5c3e1'.repeat(8) + hex('y'.repeat(21)) + '96a5c3e1'.repeat(8), // Ex4: a run of 21 printable
      '160301' + '96a5c3e1'.repeat(16), // Ex5: TLS handshake record
      '170303' + '96a5c3e1'.repeat(16), // Ex5: TLS application data
    ]);
    expect(verdicts.map((v) => v[1].slice(0, 3))).toEqual(['loo', 'Ex1', 'Ex1', 'Ex2', 'Ex3', 'Ex4', 'Ex5', 'Ex5']);
    expect(verdicts.map((v) => v[0])).toEqual([true, false, false, false, false, false, false, false]);
  });

  it('a run of exactly 20 printable bytes is not yet an exemption (the paper: more than 20)', () => {
    const [twenty] = judge('fet', ['96a5c3e1'.repeat(8) + hex('y'.repeat(20)) + '96a5c3e1'.repeat(8)]);
    expect(twenty).toEqual([true, 'looks random and no exemption applies']);
  });

  it('the allowlist passes TLS on 443 and refuses anything else there', () => {
    expect(judge('allowlist', ['160301' + '00'.repeat(10), random, hex('GET / HTTP/1.1\r\n')]).map((v) => v[0])).toEqual([false, true, true]);
  });
});
