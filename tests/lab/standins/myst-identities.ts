// STAND-IN support for the myst stand-in: identities in `<data-dir>/keystore` (the real node keeps
// encrypted Ethereum keys there; the stand-in keeps a salted hash of the passphrase) and their
// registration status and balance, which the lab sets through the stand-in network file.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type RegistrationStatus = 'Unknown' | 'Unregistered' | 'InProgress' | 'Registered' | 'RegistrationError';

interface KeyFile {
  address: string;
  standin: { salt: string; hash: string };
  registration: RegistrationStatus;
  balanceMyst: number;
}

export interface Tokens {
  wei: string;
  ether: string;
  human: string;
}

/** MYST has 18 decimals, like ether; the API gives amounts in wei and as *_tokens strings. */
export function tokens(myst: number): Tokens {
  const micro = BigInt(Math.round(myst * 1e6));
  return { wei: (micro * 10n ** 12n).toString(), ether: String(myst), human: myst.toFixed(3) };
}

function hash(salt: string, passphrase: string): string {
  return createHash('sha256').update(`${salt}:${passphrase}`).digest('hex');
}

export class Keystore {
  private readonly unlocked = new Set<string>();

  constructor(
    private readonly dir: string,
    private readonly defaults: { registration: RegistrationStatus; balanceMyst: number },
    /** Lab switch: overrides every identity's registration or balance (as if the chain said so). */
    private readonly override: () => { registration?: RegistrationStatus; balanceMyst?: number } | undefined = () => undefined,
  ) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  list(): string[] {
    return readdirSync(this.dir)
      .filter((name) => name.startsWith('UTC--'))
      .map((name) => `0x${name.split('--')[2] ?? ''}`)
      .filter((address) => /^0x[0-9a-f]{40}$/.test(address));
  }

  private file(address: string): string | undefined {
    const suffix = `--${address.replace(/^0x/, '').toLowerCase()}`;
    const name = readdirSync(this.dir).find((entry) => entry.startsWith('UTC--') && entry.endsWith(suffix));
    return name === undefined ? undefined : join(this.dir, name);
  }

  read(address: string): KeyFile | undefined {
    const file = this.file(address);
    if (file === undefined || !existsSync(file)) return undefined;
    const key = JSON.parse(readFileSync(file, 'utf8')) as KeyFile & { registrationDoneAt?: number };
    if (key.registration === 'InProgress' && key.registrationDoneAt !== undefined && Date.now() >= key.registrationDoneAt) key.registration = 'Registered';
    return { ...key, ...this.override() };
  }

  create(passphrase: string, address = `0x${randomBytes(20).toString('hex')}`, facts = this.defaults): string {
    const salt = randomBytes(16).toString('hex');
    const key: KeyFile = { address, standin: { salt, hash: hash(salt, passphrase) }, ...facts };
    const stamp = new Date().toISOString().replace(/:/g, '-');
    writeFileSync(join(this.dir, `UTC--${stamp}--${address.slice(2)}`), JSON.stringify(key), { mode: 0o600 });
    this.unlocked.add(address);
    return address;
  }

  unlock(address: string, passphrase: string): boolean {
    const key = this.read(address);
    if (key === undefined) return false;
    const given = Buffer.from(hash(key.standin.salt, passphrase), 'hex');
    const ok = timingSafeEqual(given, Buffer.from(key.standin.hash, 'hex'));
    if (ok) this.unlocked.add(key.address);
    return ok;
  }

  /**
   * A registration was sent: InProgress until `doneAt` (ms since the epoch), then Registered — kept in the
   * key file, as the chain keeps it whether or not this myst still runs.
   */
  startRegistration(address: string, doneAt: number): void {
    const file = this.file(address);
    if (file === undefined) return;
    const key = JSON.parse(readFileSync(file, 'utf8')) as KeyFile;
    writeFileSync(file, JSON.stringify({ ...key, registration: 'InProgress', registrationDoneAt: doneAt }), { mode: 0o600 });
  }

  isUnlocked(address: string): boolean {
    return this.unlocked.has(address.toLowerCase());
  }

  /** The IdentityDTO of GET /identities/{id}. */
  dto(address: string): Record<string, unknown> | undefined {
    const key = this.read(address);
    if (key === undefined) return undefined;
    const balance = tokens(key.balanceMyst);
    return {
      id: key.address,
      registration_status: key.registration,
      channel_address: `0x${createHash('sha256').update(key.address).digest('hex').slice(0, 40)}`,
      balance: Number(balance.wei),
      balance_tokens: balance,
      earnings: 0,
      earnings_tokens: tokens(0),
      earnings_total: 0,
      earnings_total_tokens: tokens(0),
      stake: 0,
      hermes_id: '0x80ed28d84792d8b153bf2f25f0c4b7a1381de4ab',
    };
  }
}
