// Conformance at the driver: DvpnDriver against the myst stand-in rebuilt to answer as myst 1.38.3 does
// (tests/lab/standins/myst.ts: multi-connection manager keyed by proxy port, 422 statuses, InProgress
// accepted, web UI on unless --ui.enable=false, free registration), with its provider on loopback. No lab
// namespaces: only loopback ports. Each test failed on the driver before the issue-14 fixes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DriverSession } from '../../../../app/supervisor/driver.js';
import { dvpnProfile, mystWorld, proposal, startProvider } from '../dvpn/myst-world.js';

let provider: Awaited<ReturnType<typeof startProvider>> | undefined;
beforeAll(async () => {
  provider = await startProvider();
});
afterAll(() => provider?.stop());

function world(registration: string): ReturnType<typeof mystWorld> {
  return mystWorld({ registration, proposals: [proposal('0x1111111111111111111111111111111111111111', provider?.port ?? 0)] });
}

const session = (): DriverSession => ({ signal: new AbortController().signal, progress: () => undefined, lost: () => undefined, update: () => undefined, log: () => undefined });

const profile = (): ReturnType<typeof dvpnProfile> => dvpnProfile();

describe('DvpnDriver against myst 1.38.3\'s behaviour', () => {
  it('an identity whose registration is InProgress connects (myst accepts it)', async () => {
    const { driver } = world('InProgress');
    const p = await profile();
    const details = await driver.connect(p, session());
    expect(details.extra?.identity).toMatch(/InProgress/);
    await driver.disconnect();
  }, 60_000);

  it('disconnect names the connection (DELETE /connection?id=<proxy port>): myst really stops it; the web UI stays off', async () => {
    const { driver, lines } = world('Registered');
    const p = await profile();
    await driver.connect(p, session());
    await driver.disconnect();
    const myst = lines.filter((line) => line.startsWith('myst: '));
    const disconnecting = myst.findIndex((line) => new RegExp(`Connection state: Disconnecting \\(proxy port ${String(p.config.proxyPort)}\\)`).test(line));
    const stopping = myst.findIndex((line) => /Received SIG/.test(line));
    expect(disconnecting, myst.join('\n')).toBeGreaterThanOrEqual(0);
    expect(disconnecting).toBeLessThan(stopping < 0 ? Infinity : stopping);
    expect(myst.some((line) => /Web UI listening/.test(line))).toBe(false);
  }, 60_000);

  it('registration: an unregistered identity is registered for free over TequilAPI (eligibility, then register)', async () => {
    const { driver } = world('Unregistered');
    const p = await profile();
    const result = await driver.register(p);
    expect(result.outcome).toBe('sent');
    expect(result.identity.registrationStatus).toBe('InProgress');
    const again = await driver.register(p);
    expect(again.outcome).toBe('in-progress');
  }, 60_000);
});
