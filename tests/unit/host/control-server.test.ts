// The control socket as a CLI or a script meets it: private, answers the contract, survives garbage.
import { statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_MESSAGE_BYTES } from '../../../app/contract/index.js';
import { LineClient, startTestHost, type TestHost } from './host-test-kit.js';

let t: TestHost;
beforeAll(async () => {
  t = await startTestHost();
});
afterAll(() => t.close());

describe('control socket', () => {
  it('is private to the user (0600)', () => {
    expect(statSync(t.control.path).mode & 0o777).toBe(0o600);
  });

  it('answers a snapshot in the disconnected state', async () => {
    const client = await LineClient.connect(t.control.path);
    client.send('{"id":1,"method":"getSnapshot","params":{}}\n');
    const answer = await client.waitFor((m) => m.id === 1);
    expect(answer).toMatchObject({ ok: true, result: { state: { state: 'disconnected', lockedDown: false }, settings: { killSwitch: true } } });
    client.end();
  });

  it('answers garbage with a clear error and keeps serving the same connection', async () => {
    const client = await LineClient.connect(t.control.path);
    client.send('\u0000\u0001 garbage }{\n{"id":"x","method":"getLogs","params":{"limit":"many"}}\n{"id":2,"method":"listProfiles"}\n');
    expect(await client.waitFor((m) => m.id === null)).toMatchObject({ ok: false, error: { code: 'invalid_request', message: 'The message is not valid JSON.' } });
    expect(await client.waitFor((m) => m.id === 'x')).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(await client.waitFor((m) => m.id === 2)).toMatchObject({ ok: true, result: [] });
    client.end();
  });

  it('cuts off an oversized message and keeps serving others', async () => {
    const client = await LineClient.connect(t.control.path);
    client.send('{"id":3,"method":"getSnapshot","params":{"pad":"' + 'a'.repeat(MAX_MESSAGE_BYTES + 10));
    expect(await client.waitFor((m) => m.id === null)).toMatchObject({ ok: false, error: { code: 'message_too_large' } });
    await expect.poll(() => client.closed).toBe(true);
    const other = await LineClient.connect(t.control.path);
    other.send('{"id":4,"method":"listProfiles"}\n');
    expect(await other.waitFor((m) => m.id === 4)).toMatchObject({ ok: true });
    other.end();
  });

  it('pushes events to every connected client when settings change', async () => {
    const watcher = await LineClient.connect(t.control.path);
    const actor = await LineClient.connect(t.control.path);
    actor.send('{"id":5,"method":"updateSettings","params":{"allowLan":true}}\n');
    expect(await watcher.waitFor((m) => m.event === 'settings')).toMatchObject({ data: { allowLan: true } });
    watcher.end();
    actor.end();
  });

  it('refuses to connect without a profile, with a sentence that says what to do', async () => {
    const client = await LineClient.connect(t.control.path);
    client.send('{"id":6,"method":"connect","params":{}}\n');
    expect(await client.waitFor((m) => m.id === 6)).toMatchObject({
      ok: false,
      error: { code: 'no_profile', message: 'There is no profile to connect with yet. Import one first: burrow profile import FILE' },
    });
    client.end();
  });

  it('refuses a file it cannot place in any network, naming the ones it can import', async () => {
    const client = await LineClient.connect(t.control.path);
    client.send('{"id":8,"method":"importProfile","params":{"content":"just some text"}}\n');
    const answer = await client.waitFor((m) => m.id === 8);
    expect(answer).toMatchObject({ ok: false, error: { code: 'invalid_profile' } });
    expect(JSON.stringify(answer)).toContain('WireGuard VPN');
    client.end();
  });
});
