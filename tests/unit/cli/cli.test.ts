// The `burrow` command as a person or a script uses it: the built CLI against a real host process.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
const cli = join(root, 'dist', 'node', 'burrow.mjs');
let dir: string;
let socket: string;
let hostProcess: ChildProcess;

function burrow(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { env: { ...process.env, BURROW_CONTROL: socket } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

function wgKey(): string {
  const { privateKey } = generateKeyPairSync('x25519');
  return Buffer.from(privateKey.export({ format: 'jwk' }).d ?? '', 'base64url').toString('base64');
}

beforeAll(async () => {
  if (!existsSync(cli)) {
    await new Promise((resolve) => execFile(process.execPath, [join(root, 'resources/build/build.mjs'), 'node'], resolve));
  }
  dir = mkdtempSync(join(tmpdir(), 'burrow-cli-'));
  socket = join(dir, 'host.sock');
  hostProcess = spawn(process.execPath, [cli, 'host', '--data', join(dir, 'data'), '--control', socket, '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    hostProcess.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('host ready') && resolve());
    hostProcess.once('exit', (code) => reject(new Error(`host exited with ${code}`)));
  });
});

afterAll(async () => {
  if (hostProcess.exitCode === null) {
    const exited = new Promise((resolve) => hostProcess.once('exit', resolve));
    hostProcess.kill('SIGTERM');
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('burrow CLI', () => {
  it('lists every command in --help', async () => {
    const { code, stdout } = await burrow('--help');
    expect(code).toBe(0);
    for (const command of ['host', 'status', 'profile list', 'profile import', 'connect', 'disconnect', 'settings', 'leaktest', 'compare']) {
      expect(stdout).toContain(command);
    }
  });

  it('status --json prints the disconnected state with the kill switch settings', async () => {
    const { code, stdout } = await burrow('status', '--json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ state: 'disconnected', network: null, profile: null, killSwitch: true, lockdown: false });
  });

  it('connect without a profile fails with a JSON error, and the host keeps running', async () => {
    const { code, stdout } = await burrow('connect', '--json');
    expect(code).toBe(1);
    const answer = JSON.parse(stdout) as { error: { code: string; message: string } };
    expect(answer.error.code).toBe('no_profile');
    expect(answer.error.message).toContain('burrow profile import');
    expect((await burrow('status', '--json')).code).toBe(0);
  });

  it('imports a WireGuard profile without ever printing its private key', async () => {
    const key = wgKey();
    const file = join(dir, 'home.conf');
    writeFileSync(file, `[Interface]\nPrivateKey = ${key}\nAddress = 10.66.0.2/32\nDNS = 10.66.0.1\n\n[Peer]\nPublicKey = ${wgKey()}\nEndpoint = 10.0.3.2:51820\nAllowedIPs = 0.0.0.0/0\n`);
    const imported = await burrow('profile', 'import', file, '--name', 'Home', '--json');
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ id: 'home', name: 'Home', network: 'wireguard' });
    const listed = await burrow('profile', 'list', '--json');
    expect(JSON.parse(listed.stdout)).toHaveLength(1);
    expect(imported.stdout + listed.stdout + (await burrow('logs', '--json')).stdout).not.toContain(key);
  });

  it('rejects a malformed profile with a clear error', async () => {
    const file = join(dir, 'bad.conf');
    writeFileSync(file, '[Interface]\nPrivateKey = nope\n');
    const { code, stdout } = await burrow('profile', 'import', file, '--json');
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ error: { code: 'invalid_profile' } });
  });

  it('changes settings and reports bad ones as usage errors', async () => {
    const set = await burrow('settings', 'set', 'lockdown=on', 'dns=10.64.0.1', '--json');
    expect(JSON.parse(set.stdout)).toMatchObject({ lockdown: true, dns: { servers: ['10.64.0.1'] } });
    expect(JSON.parse((await burrow('status', '--json')).stdout)).toMatchObject({ lockdown: true, blocking: true });
    const bad = await burrow('settings', 'set', 'lockdown=maybe', '--json');
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stdout)).toMatchObject({ error: { code: 'invalid_request' } });
    const badDns = await burrow('settings', 'set', 'dns=not-an-ip', '--json');
    expect(badDns.code).toBe(1);
  });

  it('compare --json lists every network with its sourced facts and no number before anything is measured', async () => {
    const { code, stdout } = await burrow('compare', '--json');
    expect(code).toBe(0);
    const rows = (JSON.parse(stdout) as { rows: Array<{ network: string; facts: Record<string, { text: string; source?: string }>; measured: Record<string, unknown> }> }).rows;
    expect(rows.map((row) => row.network)).toEqual(['none', 'wireguard', 'tor', 'nym', 'dvpn']);
    for (const row of rows) {
      expect(Object.keys(row.facts).length).toBeGreaterThan(5);
      expect(Object.values(row.measured).every((value) => value === null)).toBe(true);
    }
    expect(rows.find((row) => row.network === 'tor')?.facts.censorship?.source).toMatch(/^https:\/\//);
  });

  it('fails with exit code 3 and a JSON error when no host runs', async () => {
    const { code, stdout } = await burrow('status', '--json', '--control', join(dir, 'nothing.sock'));
    expect(code).toBe(3);
    expect(JSON.parse(stdout)).toMatchObject({ error: { code: 'host_unreachable' } });
  });
});
