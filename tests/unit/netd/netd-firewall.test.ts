// netd's firewall step with a stand-in for nft: the batch it runs is the one app/firewall builds from the
// validated policy (never text from the caller), it is read back and compared, and a mismatch is an error.
import { describe, expect, it } from 'vitest';
import { buildFirewallRuleset } from '../../../app/firewall/index.js';
import type { RunOptions, Runner, ToolResult } from '../../../native/netd/exec.js';
import { Firewall } from '../../../native/netd/firewall.js';

interface Call {
  args: readonly string[];
  input: string | undefined;
}

/** A fake nft that keeps the last table as JSON listing lines, or reports it missing. */
function fakeNft(listing: (applied: string) => ToolResult): { run: Runner; calls: Call[] } {
  const calls: Call[] = [];
  let applied = '';
  const run: Runner = (file, args, options: RunOptions = {}) => {
    expect(file).toBe('nft');
    calls.push({ args, input: options.input });
    if (args[0] === '-f') {
      applied = options.input ?? '';
      return Promise.resolve({ stdout: '', stderr: '', code: 0 });
    }
    return Promise.resolve(listing(applied));
  };
  return { run, calls };
}

/** What `nft -j list table inet burrow` prints for a block table (three filter chains, four counters). */
function blockListing(rules: { output: number; input: number; forward: number }): string {
  const chain = (name: string) => ({ chain: { family: 'inet', table: 'burrow', name, type: 'filter', hook: name, prio: 0, policy: 'drop' } });
  const items: unknown[] = [{ table: { family: 'inet', name: 'burrow' } }];
  for (const counter of ['blocked_out', 'blocked_in', 'blocked_fwd', 'blocked_dns']) items.push({ counter: { family: 'inet', table: 'burrow', name: counter, packets: 3, bytes: 300 } });
  for (const [name, count] of Object.entries(rules)) {
    items.push(chain(name));
    for (let i = 0; i < count; i++) items.push({ rule: { family: 'inet', table: 'burrow', chain: name } });
  }
  return JSON.stringify({ nftables: items });
}

const block = { kind: 'block', allowLan: false } as const;
const ruleCounts = (text: string): { output: number; input: number; forward: number } => {
  const count = (name: string): number => {
    const body = text.split(`chain ${name} {`)[1]?.split('\n\t}')[0] ?? '';
    return body.split('\n').filter((line) => line.trim() !== '' && !line.includes('type filter hook')).length;
  };
  return { output: count('output'), input: count('input'), forward: count('forward') };
};

describe('Firewall (netd)', () => {
  it('applies the ruleset app/firewall builds in one nft -f batch, then reads it back', async () => {
    const { run, calls } = fakeNft((applied) => ({ stdout: blockListing(ruleCounts(applied)), stderr: '', code: 0 }));
    const result = await new Firewall({ run }).apply(block);
    expect(result).toMatchObject({ applied: 'block', verified: true });
    expect(calls[0]).toEqual({ args: ['-f', '-'], input: buildFirewallRuleset(block) });
    expect(calls[1]?.args).toEqual(['-j', 'list', 'table', 'inet', 'burrow']);
  });

  it('refuses an invalid policy before running anything', async () => {
    const { run, calls } = fakeNft(() => ({ stdout: '', stderr: '', code: 0 }));
    const injection = { kind: 'tunnel', tunnelInterface: 'wg0"; flush ruleset', endpoints: [{ ip: '192.0.2.1', port: 1, proto: 'udp' }], fwmark: 1, dnsServers: [], allowLan: false, ipv6InTunnel: false };
    await expect(new Firewall({ run }).apply(injection)).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(new Firewall({ run }).apply({ kind: 'allow-all' })).rejects.toMatchObject({ code: 'invalid_request' });
    expect(calls).toEqual([]);
  });

  it('reports a table that is not what was meant as a failure, naming the difference', async () => {
    const { run } = fakeNft(() => ({ stdout: blockListing({ output: 1, input: 1, forward: 1 }), stderr: '', code: 0 }));
    await expect(new Firewall({ run }).apply(block)).rejects.toMatchObject({ code: 'helper_failed', message: expect.stringMatching(/chain output has 1 rules/) as unknown as string });
  });

  it('treats "no such table" as no table: the open policy verifies, status says it does not exist', async () => {
    const { run } = fakeNft(() => ({ stdout: '', stderr: 'Error: No such file or directory', code: 1 }));
    const firewall = new Firewall({ run });
    expect(await firewall.apply({ kind: 'open' })).toMatchObject({ applied: 'open', verified: true });
    expect(await firewall.status()).toEqual({ exists: false, policyKind: 'open', chains: {}, counters: {} });
    expect(await firewall.clear()).toEqual({ cleared: true });
  });

  it('status reports chains and the named counters', async () => {
    const { run } = fakeNft(() => ({ stdout: blockListing({ output: 2, input: 2, forward: 2 }), stderr: '', code: 0 }));
    const status = await new Firewall({ run }).status();
    expect(status.exists).toBe(true);
    expect(status.counters.blocked_out).toEqual({ packets: 3, bytes: 300 });
    expect(status.chains.output).toEqual({ policy: 'drop', rules: 2 });
  });
});
