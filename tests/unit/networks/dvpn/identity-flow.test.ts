// The dVPN identity through the host's handlers (dvpnIdentity, registerDvpnIdentity, importDvpnIdentity)
// and the driver, against the myst stand-in answering as myst 1.38.3's TequilAPI: registration state and
// balance with the next step, the free registration with its progress, 422 err_id_not_registered before
// and a connect after, and a person's own keystore file imported and used. These commands did not exist
// before; the connect-after-import test failed on the old driver (it never named an identity).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DvpnIdentitySchema, RegisterDvpnResultSchema, type DvpnRegistrationProgress } from '../../../../app/contract/dvpn.js';
import { dvpnIdentity, importDvpnIdentity, registerDvpnIdentity } from '../../../../app/networks/dvpn/index.js';
import type { DriverSession } from '../../../../app/supervisor/driver.js';
import { makeKeyfile } from '../../../lab/standins/myst-keyfile.js';
import { dvpnProfile, mystWorld, proposal, startProvider } from './myst-world.js';

let provider: Awaited<ReturnType<typeof startProvider>> | undefined;
beforeAll(async () => {
  provider = await startProvider();
});
afterAll(() => provider?.stop());

const NODE = '0x2222222222222222222222222222222222222222';
const market = (registration: string, more: Partial<Parameters<typeof mystWorld>[0]> = {}): Parameters<typeof mystWorld>[0] => ({ registration, proposals: [proposal(NODE, provider?.port ?? 0)], ...more });
const session = (): DriverSession => ({ signal: new AbortController().signal, progress: () => undefined, lost: () => undefined, update: () => undefined, log: () => undefined });

describe('the dVPN identity, its registration and import, against myst 1.38.3\'s TequilAPI (stand-in)', () => {
  it('a fresh identity: Unregistered, cannot connect, and the answer says to register; connect is refused with myst\'s reason', async () => {
    const { driver } = mystWorld(market('Unregistered', { balanceMyst: 0 }));
    const p = await dvpnProfile();
    const identity = DvpnIdentitySchema.parse(await dvpnIdentity({ profile: 'd1' }, p, driver));
    expect(identity).toMatchObject({ registrationStatus: 'Unregistered', balanceMyst: 0, mayConnect: false, source: 'default' });
    expect(identity.id).toMatch(/^0x[0-9a-f]{40}$/);
    expect(identity.hint).toBe('Not registered: Mysterium connects only registered identities. Register it (free where Mysterium offers it), then connect.');
    await expect(driver.connect(p, session())).rejects.toMatchObject({ code: 'unauthorized', message: expect.stringMatching(/is not registered \(status: Unregistered\)/) as unknown });
  }, 60_000);

  it('Register: eligibility, the free registration, then waiting until myst says Registered, each step pushed; then connect works', async () => {
    const { driver } = mystWorld(market('Unregistered', { registrationDelayMs: 1200 }));
    const p = await dvpnProfile();
    const steps: DvpnRegistrationProgress[] = [];
    const result = RegisterDvpnResultSchema.parse(await registerDvpnIdentity({ profile: 'd1', waitSeconds: 20 }, p, driver, (step) => steps.push(step)));
    expect(result.outcome).toBe('registered');
    expect(result.identity).toMatchObject({ registrationStatus: 'Registered', mayConnect: true, balanceMyst: 5 });
    const phases = steps.map((step) => step.phase).filter((phase, i, all) => all[i - 1] !== phase);
    expect(phases).toEqual(['starting', 'checking', 'sending', 'waiting', 'done']);
    expect(steps.find((step) => step.phase === 'waiting')?.message).toBe('Registration sent; myst reports InProgress');
    expect(steps.at(-1)).toMatchObject({ profileId: 'd1', phase: 'done', message: `Identity ${result.identity.id} is registered.`, registrationStatus: 'Registered' });
    // The same identity (myst's keystore kept in the helper's home) now connects.
    const details = await driver.connect(p, session());
    expect(details.extra?.identity).toMatch(/\(Registered\)$/);
    await driver.disconnect();
  }, 60_000);

  it('not eligible for free registration: a sentence on what to do, the progress ends in "failed", nothing is paid', async () => {
    const { driver } = mystWorld(market('Unregistered', { freeRegistration: false }));
    const steps: DvpnRegistrationProgress[] = [];
    const p = await dvpnProfile();
    await expect(registerDvpnIdentity({ profile: 'd1' }, p, driver, (step) => steps.push(step))).rejects.toMatchObject({
      code: 'unauthorized',
      message: expect.stringMatching(/cannot be registered for free now\. Register it with a top-up .* Burrow never pays for you\./) as unknown,
    });
    expect(steps.at(-1)?.phase).toBe('failed');
    expect((await dvpnIdentity({ profile: 'd1' }, p, driver)).registrationStatus).toBe('Unregistered');
  }, 60_000);

  it('a person\'s own keystore file: imported into myst (POST /identities-import), the profile names it, connect uses it', async () => {
    const mine = makeKeyfile('my own passphrase');
    const { driver, lines } = mystWorld(market('Unregistered', { chain: { [mine.address]: { registration: 'Registered', balanceMyst: 3.25 } } }));
    const p = await dvpnProfile({}, { identityPassphrase: 'burrow keeps this one' });
    await expect(importDvpnIdentity({ profile: 'd1', keystore: mine.text, passphrase: 'not it' }, p, driver)).rejects.toMatchObject({
      code: 'invalid_request',
      message: expect.stringMatching(/^myst did not import the keystore file: Failed to import identity: could not decrypt key with given password\. Check the passphrase/) as unknown,
    });
    await expect(importDvpnIdentity({ profile: 'd1', keystore: 'not json', passphrase: 'x' }, p, driver)).rejects.toMatchObject({ code: 'invalid_request', message: expect.stringMatching(/not a keystore file/) as unknown });
    const imported = await importDvpnIdentity({ profile: 'd1', keystore: mine.text, passphrase: 'my own passphrase' }, p, driver);
    expect(imported.identity).toMatchObject({ id: mine.address, registrationStatus: 'Registered', balanceMyst: 3.25, source: 'profile', mayConnect: true });
    expect(imported.config.identity).toBe(mine.address);
    expect(imported.details.identity).toBe(mine.address);
    // Importing it twice: myst says so, in its words.
    await expect(importDvpnIdentity({ profile: 'd1', keystore: mine.text, passphrase: 'my own passphrase' }, p, driver)).rejects.toMatchObject({ message: expect.stringMatching(/account already exists/) as unknown });
    // The profile now names the identity (as the host stores it): connect uses it, unlocked with the profile's passphrase.
    const named = { ...p, config: imported.config };
    expect((await dvpnIdentity({ profile: 'd1' }, named, driver)).id).toBe(mine.address);
    const details = await driver.connect(named, session());
    expect(details.extra?.identity).toBe(`${mine.address.slice(0, 6)}…${mine.address.slice(-4)} (Registered)`);
    expect(details.extra?.balance).toBe('3.25 MYST');
    await driver.disconnect();
    // The passphrases never reach a log line.
    expect(lines.join('\n')).not.toMatch(/my own passphrase|not it|burrow keeps this one/);
  }, 90_000);

  it('a profile naming an identity myst does not hold: a sentence that says how to import it', async () => {
    const { driver } = mystWorld(market('Registered'));
    const p = await dvpnProfile({ identity: '0x3333333333333333333333333333333333333333' });
    await expect(dvpnIdentity({ profile: 'd1' }, p, driver)).rejects.toMatchObject({ code: 'unauthorized', message: expect.stringMatching(/^myst cannot use the identity 0x3{40} this profile names: .*Import its keystore file \(burrow dvpn import-identity\)/) as unknown });
  }, 60_000);
});
