// netd's firewall step against the real nft, inside a throwaway network namespace: the batch it runs is the
// one app/firewall builds from the validated policy (never text from the caller), the kernel's own listing
// is read back and compared, and a table someone changed behind netd's back is reported, not trusted.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildFirewallRuleset } from '../../../app/firewall/index.js';
import { BurrowError } from '../../../app/domain/index.js';
import type { RunOptions, Runner } from '../../../native/netd/exec.js';
import { Firewall } from '../../../native/netd/firewall.js';
import { IP, NFT, Netns, canUseNetns } from '../firewall/netns.js';

interface Call {
  args: readonly string[];
  input: string | undefined;
}

const block = { kind: 'block', allowLan: false } as const;

describe.skipIf(!canUseNetns)('Firewall (netd) with the real nft in a throwaway namespace (needs root)', () => {
  let ns: Netns;
  let calls: Call[];
  /** Hook run before each read-back listing: how a test changes the table behind netd's back. */
  let beforeList: (() => Promise<void>) | undefined;

  /** Runs nft inside the namespace, failing like netd's own runner (native/netd/exec.ts) does. */
  const run: Runner = async (file, args, options: RunOptions = {}) => {
    expect(file).toBe('nft');
    calls.push({ args, input: options.input });
    if (args[0] === '-j') await beforeList?.();
    const result = await ns.exec([NFT, ...args], options.input === undefined ? {} : { input: options.input });
    const code = result.code ?? -1;
    if (code !== 0 && options.allowFailure !== true) throw new BurrowError('helper_failed', `nft ${args.join(' ')} failed (exit ${code}): ${result.stderr.trim()}`);
    return { stdout: result.stdout, stderr: result.stderr, code };
  };

  beforeEach(async () => {
    ns = new Netns();
    await ns.create();
    calls = [];
    beforeList = undefined;
  });
  afterEach(async () => {
    await ns.destroy();
  });

  it('applies the ruleset app/firewall builds in one nft -f batch, then reads the kernel’s table back', async () => {
    const result = await new Firewall({ run }).apply(block);
    expect(result).toMatchObject({ applied: 'block', verified: true });
    expect(calls[0]).toEqual({ args: ['-f', '-'], input: buildFirewallRuleset(block) });
    expect(calls[1]?.args).toEqual(['-j', 'list', 'table', 'inet', 'burrow']);
    // The kernel holds it: the output chain drops by default.
    expect(await ns.execOk([NFT, 'list', 'chain', 'inet', 'burrow', 'output'])).toMatch(/type filter hook output priority filter; policy drop;/);
  });

  it('refuses an invalid policy before running anything', async () => {
    const injection = { kind: 'tunnel', tunnelInterface: 'wg0"; flush ruleset', endpoints: [{ ip: '192.0.2.1', port: 1, proto: 'udp' }], fwmark: 1, dnsServers: [], allowLan: false, ipv6InTunnel: false };
    await expect(new Firewall({ run }).apply(injection)).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(new Firewall({ run }).apply({ kind: 'allow-all' })).rejects.toMatchObject({ code: 'invalid_request' });
    expect(calls).toEqual([]);
    expect((await ns.execOk([NFT, 'list', 'tables'])).trim()).toBe('');
  });

  it('reports a table changed between apply and read-back as a failure, naming the difference', async () => {
    // Another program empties the output chain right after netd's batch: the read-back must notice.
    beforeList = () => ns.execOk([NFT, 'flush', 'chain', 'inet', 'burrow', 'output']).then(() => undefined);
    await expect(new Firewall({ run }).apply(block)).rejects.toMatchObject({ code: 'helper_failed', message: expect.stringMatching(/chain output has 0 rules/) as unknown as string });
  });

  it('treats "no such table" as no table: the open policy verifies, status says it does not exist, clear removes a real one', async () => {
    const firewall = new Firewall({ run });
    expect(await firewall.apply({ kind: 'open' })).toMatchObject({ applied: 'open', verified: true });
    expect(await firewall.status()).toEqual({ exists: false, policyKind: 'open', chains: {}, counters: {} });
    await firewall.apply(block);
    expect(await firewall.clear()).toEqual({ cleared: true });
    expect(await ns.execOk([NFT, 'list', 'tables'])).not.toContain('burrow');
  });

  it('status reports the chains and counts the packets the kernel refused', async () => {
    // A veth pair with an address gives the kernel a route, so a ping reaches the output hook and is refused.
    await ns.execOk([IP, 'link', 'add', 'fwa', 'type', 'veth', 'peer', 'name', 'fwb']);
    await ns.execOk([IP, 'addr', 'add', '192.0.2.1/24', 'dev', 'fwa']);
    await ns.execOk([IP, 'link', 'set', 'fwa', 'up']);
    await ns.execOk([IP, 'link', 'set', 'fwb', 'up']);
    const firewall = new Firewall({ run });
    await firewall.apply(block);
    const ping = await ns.exec(['ping', '-c', '2', '-i', '0.2', '-W', '1', '192.0.2.9']);
    expect(ping.code).not.toBe(0);
    const status = await firewall.status();
    expect(status.exists).toBe(true);
    expect(status.policyKind).toBe('block');
    expect(status.chains.output?.policy).toBe('drop');
    expect(status.chains.output?.rules).toBeGreaterThan(0);
    expect(status.counters.blocked_out?.packets).toBeGreaterThanOrEqual(2);
  });
});
