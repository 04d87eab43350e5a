// `burrow dvpn …` and `burrow nym …` as a person or a script uses them: the built CLI against a real
// `burrow host` whose myst is the stand-in (TequilAPI as myst 1.38.3). The keystore passphrase goes in on
// standard input and never shows in argv, output or the host's log.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeKeyfile } from '../../lab/standins/myst-keyfile.js';
import { freePort, proposal, startProvider, writeMyst } from '../networks/dvpn/myst-world.js';

const root = join(import.meta.dirname, '..', '..', '..');
const cli = join(root, 'dist', 'node', 'burrow.mjs');
const NODE = '0x4444444444444444444444444444444444444444';
const KEY = '9vGDaW4wJ3ThjoNCmtFWhrMKxNaMkG7qNsxxf2CWNJQo';
const mine = makeKeyfile('my keystore passphrase');

let dir = '';
let socket = '';
let host: ChildProcess | undefined;
let provider: Awaited<ReturnType<typeof startProvider>> | undefined;
let mystDir = '';
let hostLog = '';

function burrow(args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [cli, ...args], { env: { ...process.env, BURROW_CONTROL: socket }, timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
    child.stdin?.end(input ?? '');
  });
}

beforeAll(async () => {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build first.`);
  provider = await startProvider();
  const myst = writeMyst({ registration: 'Unregistered', registrationDelayMs: 800, proposals: [proposal(NODE, provider.port, { country: 'SE', city: 'Stockholm', pricePerGib: 0.07 })], chain: { [mine.address]: { registration: 'Registered', balanceMyst: 2 } } });
  mystDir = myst.dir;
  dir = mkdtempSync(join(tmpdir(), 'burrow-cli-dvpn-'));
  socket = join(dir, 'host.sock');
  host = spawn(process.execPath, [cli, 'host', '--data', join(dir, 'data'), '--control', socket], { env: { ...process.env, BURROW_MYST: myst.binary }, stdio: ['ignore', 'pipe', 'pipe'] });
  host.stderr?.on('data', (chunk: Buffer) => (hostLog += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    host?.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('host ready') && resolve());
    host?.once('exit', (code) => reject(new Error(`host exited with ${code}`)));
  });
  writeFileSync(join(dir, 'd.dvpn'), `[dvpn]\nName = D\nTequilapiPort = ${await freePort()}\nProxyPort = ${await freePort()}\nIdentityPassphrase = profile secret\n`);
  writeFileSync(join(dir, 'm.nym'), `[nym]\nName = M\nProvider = ${KEY}.${KEY}@${KEY}\n`);
  writeFileSync(join(dir, 'key.json'), mine.text);
  expect((await burrow(['profile', 'import', join(dir, 'd.dvpn')])).code).toBe(0);
  expect((await burrow(['profile', 'import', join(dir, 'm.nym')])).code).toBe(0);
}, 60_000);

afterAll(async () => {
  if (host && host.exitCode === null) {
    const exited = new Promise((resolve) => host?.once('exit', resolve));
    host.kill('SIGTERM');
    await exited;
  }
  provider?.stop();
  if (process.getuid?.() === 0) rmSync(join(tmpdir(), `burrow-myst-65534-${createHash('sha256').update(join(dir, 'data')).digest('hex').slice(0, 8)}`), { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
  rmSync(mystDir, { recursive: true, force: true });
});

describe('burrow dvpn and burrow nym', () => {
  it('dvpn identity says Unregistered, with the next step; dvpn register --wait prints its steps and ends Registered', async () => {
    const before = await burrow(['dvpn', 'identity', 'd']);
    expect(before.code).toBe(0);
    expect(before.stdout).toMatch(/^Identity {5}0x[0-9a-f]{40} \(myst's default\)\nRegistration Unregistered — cannot connect yet\nBalance {6}5 MYST\nNot registered: /);
    const register = await burrow(['dvpn', 'register', 'd', '--wait', '20']);
    expect(register.code).toBe(0);
    expect(register.stderr).toContain('… Sending the free registration to Mysterium\'s transactor');
    expect(register.stdout).toMatch(/^Registration: registered\n/);
    const after = await burrow(['dvpn', 'identity', 'd', '--json']);
    expect(JSON.parse(after.stdout)).toMatchObject({ registrationStatus: 'Registered', mayConnect: true, balanceMyst: 5 });
  }, 60_000);

  it('dvpn nodes lists the offer with prices; dvpn node chooses one for the profile (and "best" undoes it)', async () => {
    const nodes = JSON.parse((await burrow(['dvpn', 'nodes', 'd', '--country', 'se', '--json'])).stdout) as { nodes: Array<Record<string, unknown>> };
    expect(nodes.nodes).toEqual([expect.objectContaining({ providerId: NODE, country: 'SE', city: 'Stockholm', pricePerGib: 0.07, pricePerHour: 0.0005 })]);
    const chosen = await burrow(['dvpn', 'node', 'd', NODE]);
    expect(chosen.stdout.trim()).toBe(`D: node ${NODE} (from the next connect).`);
    expect((await burrow(['dvpn', 'node', 'd', 'best'])).stdout.trim()).toBe('D: node best quality (from the next connect).');
    const bad = await burrow(['dvpn', 'node', 'd', '0x12', '--json']);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({ error: { code: 'invalid_request' } });
  }, 60_000);

  it('dvpn import-identity reads the passphrase from stdin; the profile then names that identity; the passphrase is nowhere', async () => {
    const none = await burrow(['dvpn', 'import-identity', 'd', '--keystore', join(dir, 'key.json')]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('reads the keystore file\'s passphrase from standard input; it got none');
    const imported = await burrow(['dvpn', 'import-identity', 'd', '--keystore', join(dir, 'key.json'), '--json'], 'my keystore passphrase\n');
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ identity: { id: mine.address, registrationStatus: 'Registered', balanceMyst: 2, source: 'profile' }, profile: { id: 'd', details: { identity: mine.address } } });
    expect((JSON.parse((await burrow(['dvpn', 'identity', 'd', '--json'])).stdout) as { id: string }).id).toBe(mine.address);
    const logs = await burrow(['logs', '--limit', '1000']);
    expect(`${logs.stdout}${hostLog}${imported.stdout}`).not.toContain('my keystore passphrase');
    expect(`${logs.stdout}${hostLog}`).not.toContain('profile secret');
  }, 60_000);

  it('nym set changes the delay and cover traffic; nym show says their stated cost; bad values are usage errors', async () => {
    const set = await burrow(['nym', 'set', 'm', 'delay=25', 'cover=off']);
    expect(set.code).toBe(0);
    expect(set.stdout).toBe('Mixing delay  25 ms mean per hop (stated: about +150 ms per round trip)\nCover traffic off (the client sends only when you do)\nMeasured      never (run: burrow compare --measure)\n');
    const on = JSON.parse((await burrow(['nym', 'set', 'm', 'cover=on', '--json'])).stdout) as Record<string, unknown>;
    expect(on).toMatchObject({ averagePacketDelayMs: 25, coverTraffic: true, stated: { coverPacketsPerSecond: 55, coverKibPerSecond: 110 } });
    expect((await burrow(['nym', 'set', 'm', 'cover=maybe'])).code).toBe(2);
    expect((await burrow(['nym', 'set', 'm', 'speed=9'])).code).toBe(2);
    expect((await burrow(['nym', 'show', 'd'])).stderr).toContain('"D" is not a Nym profile.');
  });
});
