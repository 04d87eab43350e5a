// The newIdentity command's guard: only a connected Tor can get a new identity; anything else is a conflict
// with a sentence, never a silent success.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commands } from '../../../../app/contract/commands.js';
import { newTorIdentity, TorDriver } from '../../../../app/networks/tor/index.js';

const target = { profileId: 'p', profileName: 'p', network: 'tor' as const };
const driver = new TorDriver({ dataDir: mkdtempSync(join(tmpdir(), 'burrow-newnym-')), log: () => undefined });

describe('newTorIdentity', () => {
  it('is in the contract with an empty request and the connection details as answer', () => {
    expect(commands.newIdentity.request.safeParse({}).success).toBe(true);
    expect(commands.newIdentity.request.safeParse({ x: 1 }).success).toBe(false);
    expect(commands.newIdentity.response.safeParse({ exitIp: '10.0.4.16', extra: { Circuit: 'a → b → c' } }).success).toBe(true);
  });

  it('refuses unless Tor is the connected network', async () => {
    await expect(newTorIdentity({ state: 'disconnected', lockedDown: false }, driver)).rejects.toMatchObject({ code: 'conflict' });
    await expect(newTorIdentity({ state: 'connected', target: { ...target, network: 'wireguard' }, since: new Date().toISOString(), details: {} }, driver)).rejects.toMatchObject({
      code: 'conflict',
    });
    await expect(newTorIdentity({ state: 'connected', target, since: new Date().toISOString(), details: {} }, undefined)).rejects.toMatchObject({ code: 'conflict' });
    // Connected as far as the state says, but this driver has no running tor: still a conflict, with a sentence.
    await expect(newTorIdentity({ state: 'connected', target, since: new Date().toISOString(), details: {} }, driver)).rejects.toThrow(/needs a running Tor/);
  });
});
