// The private Tor network from the user's side: bootstrap, browse through the exit, be censored, and
// get through the censor with the lab's obfs4 bridge line.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { echo, freshLeakName, resolversOf } from './http.js';
import { startLab, type Lab } from './lab.js';
import { findLeftovers } from './leftovers.js';
import { startTorClient } from './tor-client.js';

const isRoot = process.getuid?.() === 0;
/** How long a censored client is given to prove it cannot bootstrap: an unblocked one needs about 3 s. */
const CENSORED_WAIT_MS = 20_000;

describe.skipIf(!isRoot)('lab with the private Tor network (needs root: network namespaces)', () => {
  let lab: Lab;

  beforeAll(async () => {
    lab = await startLab({ tor: true, vpn: false });
  });
  afterAll(async () => {
    await lab?.stop();
  });

  it('the consensus lists every relay and authority, the exit flagged Exit, and not the bridge', async () => {
    const relays = await lab.tor!.consensus();
    expect(relays.map((r) => r.nickname).sort()).toEqual(['auth1', 'auth2', 'auth3', 'exit', 'middle1', 'middle2']);
    expect(relays.find((r) => r.nickname === 'exit')?.flags).toContain('Exit');
    expect(relays.some((r) => r.address === lab.addresses.bridge)).toBe(false);
    expect(lab.tor!.bridgeLine).toMatch(new RegExp(`^obfs4 ${lab.addresses.bridge.replace(/\./g, '\\.')}:443 [0-9A-F]{40} cert=\\S+ iat-mode=0$`));
    expect(lab.tor!.dirAuthorityLines).toHaveLength(3);
  });

  it('a tor client in client bootstraps to 100% and the echo sees the exit, not the client', async () => {
    const tor = startTorClient(lab);
    try {
      await tor.waitForBootstrap(60_000);
      expect((await echo(lab, 'client', { socksPort: tor.socksPort })).ip).toBe(lab.addresses.tor.exit);
      // The same client without Tor is still itself: the exit address above came through Tor.
      expect((await echo(lab)).ip).toBe(lab.addresses.client);
    } finally {
      await tor.stop();
    }
  });

  it('names resolved through Tor reach leakd from the exit’s resolver, never the ISP’s', async () => {
    const tor = startTorClient(lab);
    try {
      await tor.waitForBootstrap(60_000);
      const name = await freshLeakName(lab);
      const { stdout } = await lab.exec('client', ['curl', '-sS', '--fail', '--max-time', '15', '--socks5-hostname', `127.0.0.1:${tor.socksPort}`, `http://${name}/json`]);
      expect(JSON.parse(stdout)).toMatchObject({ ip: lab.addresses.tor.exit });
      expect(await resolversOf(lab, name)).toEqual([lab.addresses.publicResolver]);
      expect(lab.resolverQueries('isp').some((q) => q.name === name)).toBe(false);
      expect(lab.resolverQueries('public').filter((q) => q.name === name).map((q) => q.from)).toContain(lab.addresses.tor.exit);
    } finally {
      await tor.stop();
    }
  });

  it('with the censor blocking relays and authorities, a new tor client cannot bootstrap', async () => {
    await lab.censor.blockTor();
    const tor = startTorClient(lab);
    try {
      await expect(tor.waitForBootstrap(CENSORED_WAIT_MS)).rejects.toThrow(/stayed at/);
      expect(tor.process.running()).toBe(true);
      expect(tor.progress()).toBeLessThan(100);
      // Evidence the censor did it: its drop rules counted the client's attempts.
      expect(await lab.censor.ruleset()).toMatch(/ip daddr @blocked4 counter packets [1-9]/);
    } finally {
      await tor.stop();
    }
  });

  it('through the same censor, the lab’s obfs4 bridge line gets a new client to 100% and out through the exit', async () => {
    const tor = startTorClient(lab, { bridges: [lab.tor!.bridgeLine] });
    try {
      await tor.waitForBootstrap(60_000);
      expect((await echo(lab, 'client', { socksPort: tor.socksPort })).ip).toBe(lab.addresses.tor.exit);
    } finally {
      await tor.stop();
      await lab.censor.clear();
    }
  });

  it('stop leaves no namespace, process or file of the run behind', async () => {
    const report = await lab.stop();
    expect(report.survivors).toEqual([]);
    expect(findLeftovers(lab)).toEqual({ namespaces: [], processes: [], files: [] });
  });
});
