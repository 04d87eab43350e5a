// The Mysterium identity of a dVPN profile: which one (the profile's own, imported or named, else myst's
// default), its registration and balance, the free registration with its progress, and importing a
// person's keystore file. Every function takes a running myst; the driver decides which one.
import { BurrowError } from '../../domain/errors.js';
import type { DvpnProfileConfig, DvpnSecrets } from './config.js';
import type { MystDaemon } from './daemon.js';
import { mayConnect } from './errors.js';
import { balanceMyst } from './states.js';
import { TequilapiError } from './tequilapi.js';

export interface IdentityFacts {
  id: string;
  registrationStatus: string;
  balanceMyst: number | undefined;
  source: 'profile' | 'default';
}

export type RegistrationPhase = 'starting' | 'checking' | 'sending' | 'waiting' | 'done' | 'failed';
export type RegistrationProgress = (phase: RegistrationPhase, message: string, registrationStatus?: string) => void;

/** Select (PUT /identities/current, the profile's identity when it names one), unlock and read the identity. */
export async function readIdentity(daemon: MystDaemon, config: DvpnProfileConfig, secrets: DvpnSecrets): Promise<IdentityFacts> {
  let id: string;
  try {
    id = await daemon.api.currentIdentity(secrets.identityPassphrase, config.identity);
  } catch (error) {
    if (config.identity !== undefined && error instanceof TequilapiError && error.code === 'err_to_id_use_or_create') {
      throw new BurrowError('unauthorized', `myst cannot use the identity ${config.identity} this profile names: it is not in myst's keystore here, or its passphrase is not the profile's IdentityPassphrase. Import its keystore file (burrow dvpn import-identity) or fix the profile.`, { identity: config.identity, code: error.code });
    }
    throw error;
  }
  await daemon.api.unlock(id, secrets.identityPassphrase);
  const facts = await daemon.api.identity(id);
  return { id, registrationStatus: facts.registration_status ?? 'Unknown', balanceMyst: balanceMyst(facts), source: config.identity === undefined ? 'default' : 'profile' };
}

/** The next step for a person, in a sentence. */
export function identityHint(facts: Pick<IdentityFacts, 'registrationStatus' | 'balanceMyst'>): string {
  const topUp = 'Top it up in the Mysterium app or at mystnodes.com (send MYST to the identity\'s top-up channel); Burrow never pays for you.';
  if (!mayConnect(facts.registrationStatus)) {
    return facts.registrationStatus === 'RegistrationError'
      ? `The last registration failed. Register again (free where Mysterium offers it), then connect. ${topUp}`
      : 'Not registered: Mysterium connects only registered identities. Register it (free where Mysterium offers it), then connect.';
  }
  if ((facts.balanceMyst ?? 0) <= 0) return `Registered${facts.registrationStatus === 'InProgress' ? ' (in progress)' : ''}, but the balance is 0: nodes that charge will refuse you. ${topUp}`;
  return facts.registrationStatus === 'InProgress' ? 'Registration in progress; myst already connects with it.' : 'Registered, with a balance: ready to connect.';
}

/**
 * The free registration as the node offers it: eligibility (GET /identities/{id}/eligibility), then
 * POST /identities/{id}/register without a fee; then, if asked, wait for Registered. InProgress already
 * connects. Not eligible: a sentence on how to register and top up instead.
 */
export async function registerIdentity(
  daemon: MystDaemon,
  config: DvpnProfileConfig,
  secrets: DvpnSecrets,
  o: { waitMs: number; progress: RegistrationProgress; pollMs?: number },
): Promise<{ outcome: 'sent' | 'in-progress' | 'registered'; identity: IdentityFacts }> {
  let facts = await readIdentity(daemon, config, secrets);
  if (facts.registrationStatus === 'Registered') {
    o.progress('done', `Identity ${facts.id} is registered already.`, facts.registrationStatus);
    return { outcome: 'registered', identity: facts };
  }
  let outcome: 'sent' | 'in-progress' | 'registered' = 'in-progress';
  if (facts.registrationStatus !== 'InProgress') {
    o.progress('checking', 'Asking Mysterium whether this identity can be registered for free', facts.registrationStatus);
    if (!(await daemon.api.eligibility(facts.id))) {
      throw new BurrowError('unauthorized', `Your Mysterium identity ${facts.id} cannot be registered for free now. Register it with a top-up in the Mysterium app or with myst cli ("identities register"), then connect again. Burrow never pays for you.`, { identity: facts.id, registrationStatus: facts.registrationStatus });
    }
    o.progress('sending', 'Sending the free registration to Mysterium\'s transactor', facts.registrationStatus);
    const sent = await daemon.api.register(facts.id);
    outcome = sent === 'registered' ? 'registered' : sent;
  }
  facts = await readIdentity(daemon, config, secrets);
  const deadline = Date.now() + o.waitMs;
  while (facts.registrationStatus !== 'Registered' && Date.now() < deadline) {
    o.progress('waiting', `Registration sent; myst reports ${facts.registrationStatus}`, facts.registrationStatus);
    await new Promise((resolve) => setTimeout(resolve, o.pollMs ?? 500));
    facts = await readIdentity(daemon, config, secrets);
  }
  if (facts.registrationStatus === 'Registered') outcome = 'registered';
  o.progress('done', outcome === 'registered' ? `Identity ${facts.id} is registered.` : `Registration of ${facts.id} is in progress (myst reports ${facts.registrationStatus}); myst already connects with it.`, facts.registrationStatus);
  return { outcome, identity: facts };
}

/**
 * A person's own identity: the keystore file goes to myst (POST /identities-import), decrypted with its
 * passphrase and kept under the profile's IdentityPassphrase, so Burrow unlocks it as it unlocks any other.
 * The passphrase is used for this one call and never stored, logged or echoed.
 */
export async function importIdentity(daemon: MystDaemon, secrets: DvpnSecrets, keystore: string, passphrase: string): Promise<string> {
  let address: unknown;
  try {
    address = (JSON.parse(keystore) as { address?: unknown }).address;
  } catch {
    throw new BurrowError('invalid_request', 'That is not a keystore file: it is not JSON. myst keeps them as keystore/UTC--<date>--<address> in its data directory.');
  }
  if (typeof address !== 'string' || !/^(0x)?[0-9a-fA-F]{40}$/.test(address)) throw new BurrowError('invalid_request', 'That is not a keystore file: it names no address (40 hex digits).');
  try {
    return (await daemon.api.importIdentity(keystore, passphrase, secrets.identityPassphrase)).toLowerCase();
  } catch (error) {
    if (error instanceof TequilapiError && (error.code === 'err_id_import' || error.status === 422 || error.status === 400)) {
      throw new BurrowError('invalid_request', `myst did not import the keystore file: ${error.message.slice(0, 200)}. Check the passphrase; an identity myst holds already needs no import.`, { code: error.code });
    }
    throw error;
  }
}
