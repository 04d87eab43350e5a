// Connect and disconnect again and again: every cycle must leave the client namespace exactly as it found
// it — no interface, rule, route, nft table, wireguard-go, or rewritten resolv.conf. The issue asks for 100
// cycles; this suite runs CYCLES (20 by default: a 2-core CI shares a 90-minute budget with everything
// else), and `tests/bench/wireguard-bench.ts --cycles 100` runs the full 100 with the same checks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_TRACES, clientProcesses, startBurrowInLab, tunnelTraces, type BurrowInLab } from './burrow-in-lab.js';
import { echo } from './http.js';
import { startLab, type Lab } from './lab.js';

const isRoot = process.getuid?.() === 0;
const CYCLES = Number(process.env.BURROW_WG_CYCLES ?? 20);

describe.skipIf(!isRoot)(`${CYCLES} connect/disconnect cycles leave nothing behind (needs root)`, () => {
  let lab: Lab;
  let burrow: BurrowInLab;

  beforeAll(async () => {
    lab = await startLab({ tor: false });
    burrow = await startBurrowInLab(lab);
    expect((await burrow.cli(['profile', 'import', burrow.confFile, '--name', 'lab'])).code).toBe(0);
  });
  afterAll(async () => {
    await burrow?.stop();
    await lab?.stop();
  });

  it('each cycle connects through the tunnel and disconnects to a clean namespace', async () => {
    const resolvBefore = burrow.resolvConf();
    const processesBefore = clientProcesses(lab).length;
    for (let cycle = 1; cycle <= CYCLES; cycle++) {
      const connected = await burrow.cliJson<{ state: string }>(['connect', 'lab']);
      expect(connected.data.state, `cycle ${cycle}`).toBe('connected');
      // Every few cycles, prove the tunnel carries traffic, not just that the state says so.
      if (cycle % 5 === 1) expect((await echo(lab)).ip, `cycle ${cycle}`).toBe(lab.addresses.vpn);
      const disconnected = await burrow.cliJson<{ state: string }>(['disconnect']);
      expect(disconnected.data.state, `cycle ${cycle}`).toBe('disconnected');
      expect(await tunnelTraces(lab), `cycle ${cycle}`).toEqual(NO_TRACES);
      expect(burrow.resolvConf(), `cycle ${cycle}`).toBe(resolvBefore);
    }
    expect(clientProcesses(lab)).toHaveLength(processesBefore);
    expect((await echo(lab)).ip).toBe(lab.addresses.client);
    // netd's log has every cycle, and no failed request.
    expect(burrow.netd.log().match(/"msg":"tunnel up"/g)?.length).toBe(CYCLES);
    expect(burrow.netd.log()).not.toMatch(/"msg":"request failed"/);
  });
});
