// Issue 12 item 3: netd notices its table flushed (`nft flush ruleset`, as `systemctl restart nftables`
// does on Debian) or deleted, and puts it back; packets prove the gap closes. Real nft in a throwaway
// namespace; the anti-test shows the flush does open the machine until netd acts.
import { describe, expect, it } from 'vitest';
import { BurrowError } from '../../../app/domain/index.js';
import type { Runner } from '../../../native/netd/exec.js';
import { Firewall } from '../../../native/netd/firewall.js';
import { createLogger } from '../../../native/netd/log.js';
import { canUseNetns, IP, NFT, run, withNetns, type Netns } from '../firewall/netns.js';
import { buildLinks, probe } from '../firewall/traffic.js';

const APP = 65_534;
const REFUSED = { result: 'error', code: 'EPERM' };

/** netd's runner, inside the namespace; `failApplies` makes every later `nft -f` fail (a broken nft). */
function runnerIn(ns: Netns, state: { failApplies: boolean } = { failApplies: false }): Runner {
  return async (file, args, options = {}) => {
    if (state.failApplies && args[0] === '-f') throw new BurrowError('helper_failed', 'nft -f - failed (exit 1): Could not process rule');
    const result = await run(IP, ['netns', 'exec', ns.name, file === 'nft' ? NFT : file, ...args], options.input === undefined ? {} : { input: options.input });
    const out = { stdout: result.stdout, stderr: result.stderr, code: result.code ?? -1 };
    if (out.code !== 0 && options.allowFailure !== true) throw new BurrowError('helper_failed', `${file} failed: ${out.stderr.trim()}`);
    return out;
  };
}

const quiet = createLogger('error', () => undefined);

describe.skipIf(!canUseNetns)('netd puts its table back after tampering', () => {
  it('after `nft flush ruleset`: leaking until the check, refused after it, and the repair is reported', async () => {
    await withNetns(async (ns) => {
      await buildLinks(ns);
      const firewall = new Firewall({ run: runnerIn(ns), logger: quiet });
      await firewall.apply({ kind: 'block', allowLan: false });
      expect(await probe(ns, APP, 'udp', '198.51.100.7', 9)).toEqual(REFUSED);
      expect(await firewall.check()).toBe('ok');
      await ns.execOk([NFT, 'flush', 'ruleset']);
      // Anti-test: the flush really removed the kill switch.
      expect(await probe(ns, APP, 'udp', '198.51.100.7', 9)).toEqual({ result: 'sent' });
      expect(await firewall.check()).toBe('repaired');
      expect(await probe(ns, APP, 'udp', '198.51.100.7', 9)).toEqual(REFUSED);
      expect((await firewall.status()).watch).toMatchObject({ repairs: 1, broken: false, lastProblem: expect.stringMatching(/does not exist/) as unknown });
    });
  });

  it('after `nft delete table inet burrow` and after a rule is removed, watch() puts it back by itself', async () => {
    await withNetns(async (ns) => {
      await buildLinks(ns);
      const firewall = new Firewall({ run: runnerIn(ns), logger: quiet });
      await firewall.apply({ kind: 'block', allowLan: false });
      const stop = firewall.watch(200);
      try {
        await ns.execOk([NFT, 'delete', 'table', 'inet', 'burrow']);
        await expect.poll(async () => (await firewall.status()).watch?.repairs, { timeout: 10_000 }).toBe(1);
        await ns.execOk([NFT, 'flush', 'chain', 'inet', 'burrow', 'output']);
        await expect.poll(async () => (await firewall.status()).watch?.repairs, { timeout: 10_000 }).toBe(2);
        expect(await probe(ns, APP, 'udp', '198.51.100.7', 9)).toEqual(REFUSED);
      } finally {
        stop();
      }
    });
  });

  it('says so when it cannot put the table back', async () => {
    await withNetns(async (ns) => {
      await buildLinks(ns);
      const state = { failApplies: false };
      const firewall = new Firewall({ run: runnerIn(ns, state), logger: quiet });
      await firewall.apply({ kind: 'block', allowLan: false });
      await ns.execOk([NFT, 'flush', 'ruleset']);
      state.failApplies = true;
      expect(await firewall.check()).toBe('failed');
      expect((await firewall.status()).watch).toMatchObject({ repairs: 0, broken: true });
    });
  });

  it('keeps no table when none was asked for (open)', async () => {
    await withNetns(async (ns) => {
      const firewall = new Firewall({ run: runnerIn(ns), logger: quiet });
      await firewall.apply({ kind: 'open' });
      expect(await firewall.check()).toBe('idle');
    });
  });
});
