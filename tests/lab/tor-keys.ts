// Directory-authority keys for the private Tor network. Making them costs a few seconds of CPU, so
// they are kept between runs. They protect nothing but a throw-away test network, and the certificate
// names no address, so one set serves every run whatever its address range.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const TOR_KEY_CACHE = process.env.BURROW_LAB_KEY_CACHE ?? '/var/cache/burrow-lab/tor-authorities-v1';

export interface AuthorityKeys {
  nickname: string;
  /** SHA-1 of the authority's v3 identity key: the `v3ident=` of its DirAuthority line. */
  v3ident: string;
  /** Relay identity fingerprint: the last field of its DirAuthority line. */
  fingerprint: string;
  keysDir: string;
}

/** Runs a command in the lab (tor namespace) and returns stdout. */
export type Exec = (argv: string[], input?: string) => Promise<string>;

function certificateValid(certFile: string): boolean {
  const expires = /^dir-key-expires (.+)$/m.exec(readFileSync(certFile, 'utf8'))?.[1];
  // Regenerate a month before expiry rather than have a run fail on the day.
  return expires !== undefined && Date.parse(`${expires}Z`) - Date.now() > 30 * 86_400_000;
}

function readCached(nickname: string): AuthorityKeys | undefined {
  const dir = join(TOR_KEY_CACHE, nickname);
  try {
    const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as { v3ident?: unknown; fingerprint?: unknown };
    const keysDir = join(dir, 'keys');
    if (typeof meta.v3ident !== 'string' || typeof meta.fingerprint !== 'string') return undefined;
    if (!certificateValid(join(keysDir, 'authority_certificate'))) return undefined;
    if (!existsSync(join(keysDir, 'secret_id_key'))) return undefined;
    return { nickname, v3ident: meta.v3ident, fingerprint: meta.fingerprint, keysDir };
  } catch {
    return undefined;
  }
}

async function generate(nickname: string, workDir: string, exec: Exec): Promise<AuthorityKeys> {
  const dataDir = join(workDir, `gen-${nickname}`);
  const keysDir = join(dataDir, 'keys');
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(keysDir, { recursive: true, mode: 0o700 });
  const empty = join(workDir, 'empty-torrc');
  writeFileSync(empty, '');
  await exec(
    ['tor-gencert', '--create-identity-key', '--passphrase-fd', '0', '-m', '12',
      '-i', join(keysDir, 'authority_identity_key'), '-s', join(keysDir, 'authority_signing_key'),
      '-c', join(keysDir, 'authority_certificate')],
    '\n',
  );
  await exec(['tor', '--list-fingerprint', '--orport', '1', '--datadirectory', dataDir, '--nickname', nickname, '-f', empty, '--defaults-torrc', empty]);
  const v3ident = /^fingerprint ([0-9A-F]{40})$/m.exec(readFileSync(join(keysDir, 'authority_certificate'), 'utf8'))?.[1];
  const fingerprint = /^\S+ ([0-9A-F]{40})$/m.exec(readFileSync(join(dataDir, 'fingerprint'), 'utf8'))?.[1];
  if (v3ident === undefined || fingerprint === undefined) throw new Error(`could not read the keys made for ${nickname}`);
  const target = join(TOR_KEY_CACHE, nickname);
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true, mode: 0o700 });
  cpSync(keysDir, join(target, 'keys'), { recursive: true });
  writeFileSync(join(target, 'meta.json'), `${JSON.stringify({ v3ident, fingerprint })}\n`);
  return { nickname, v3ident, fingerprint, keysDir: join(target, 'keys') };
}

/** Cached keys where valid, freshly made (in parallel) otherwise. */
export async function authorityKeys(nicknames: readonly string[], workDir: string, exec: Exec): Promise<AuthorityKeys[]> {
  return Promise.all(nicknames.map(async (n) => readCached(n) ?? (await generate(n, workDir, exec))));
}

/** Copies an authority's keys into a fresh DataDirectory (tor insists on 0700). */
export function installKeys(keys: AuthorityKeys, dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  cpSync(keys.keysDir, join(dataDir, 'keys'), { recursive: true });
}
