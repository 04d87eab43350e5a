// Against Debian's real tor with HashedControlPassword (from `tor --hash-password`), loopback only.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { createControlPassword, hashControlPassword } from '../../../../app/networks/tor/control/auth.js';
import { TorControlClient } from '../../../../app/networks/tor/control/client.js';
import { startTor, torHashPassword } from './tor-harness.js';
import type { TorProcess } from './tor-harness.js';

// Quotes, a backslash and spaces prove the QuotedString escaping matches tor's decoder.
const PASSWORD = 'pa ss "word" \\ with ✓';
let tor: TorProcess | undefined;
const clients: TorControlClient[] = [];

beforeAll(async () => {
  tor = await startTor({ auth: { hashedPassword: await torHashPassword(PASSWORD) } });
});
afterEach(async () => {
  for (const client of clients.splice(0)) await client.close();
});
afterAll(async () => {
  await tor?.stop();
});

async function connect(): Promise<TorControlClient> {
  const client = await TorControlClient.connect({ port: tor?.port ?? 0 });
  clients.push(client);
  return client;
}

describe('real tor, hashed password', () => {
  it('offers HASHEDPASSWORD and accepts the right password', async () => {
    const client = await connect();
    expect((await client.protocolInfo()).authMethods).toEqual(['HASHEDPASSWORD']);
    expect(await client.authenticate({ password: PASSWORD })).toBe('HASHEDPASSWORD');
    expect(await client.getInfo('version')).toMatch(/^0\.4\./);
  });

  it('refuses a wrong password without the password appearing in the error', async () => {
    const wrong = 'wrong-password-1234';
    const client = await connect();
    const error = await client.authenticate({ password: wrong }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'unauthorized', torCode: 515 });
    const dump = JSON.stringify({ message: (error as Error).message, stack: (error as Error).stack, error });
    expect(dump).not.toContain(wrong);
    expect(dump).not.toContain(PASSWORD);
  });

  it('refuses when no password is given', async () => {
    const client = await connect();
    await expect(client.authenticate()).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it("accepts a hash derived by hashControlPassword (no password in tor's argv)", async () => {
    const admin = await connect();
    await admin.authenticate({ password: PASSWORD });
    const { password, hashedControlPassword } = createControlPassword();
    const ours = hashControlPassword('second "one" \\');
    await admin.setConf({ HashedControlPassword: [hashedControlPassword, ours] });

    const first = await connect();
    expect(await first.authenticate({ password })).toBe('HASHEDPASSWORD');
    const second = await connect();
    expect(await second.authenticate({ password: 'second "one" \\' })).toBe('HASHEDPASSWORD');
    const old = await connect();
    await expect(old.authenticate({ password: PASSWORD })).rejects.toMatchObject({ torCode: 515 });
  });
});
