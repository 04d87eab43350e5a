// Against Debian's real tor (loopback control port, cookie auth, DisableNetwork 1).
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { TorControlClient } from '../../../../app/networks/tor/control/client.js';
import { parseBootstrapProgress, parseCircuitStatus } from '../../../../app/networks/tor/control/events.js';
import type { TorEvent } from '../../../../app/networks/tor/control/events.js';
import { startTor } from './tor-harness.js';
import type { TorProcess } from './tor-harness.js';

let tor: TorProcess | undefined;
const clients: TorControlClient[] = [];

beforeAll(async () => {
  tor = await startTor({ auth: 'cookie' });
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

async function authed(): Promise<TorControlClient> {
  const client = await connect();
  await client.authenticate();
  return client;
}

describe('real tor, cookie authentication', () => {
  it('parses PROTOCOLINFO', async () => {
    const info = await (await connect()).protocolInfo();
    expect(info.protocolVersion).toBe(1);
    expect(info.authMethods).toEqual(expect.arrayContaining(['COOKIE', 'SAFECOOKIE']));
    expect(info.cookieFile).toBe(tor?.cookieFile);
    expect(info.torVersion).toMatch(/^0\.4\.\d+\.\d+/);
  });

  it('authenticates with SAFECOOKIE, from the file tor names and from bytes passed in', async () => {
    const client = await connect();
    expect(await client.authenticate()).toBe('SAFECOOKIE');
    expect(await client.getInfo('version')).toMatch(/^0\.4\./);

    const cookie = await readFile(tor?.cookieFile ?? '');
    const second = await connect();
    expect(await second.authenticate({ cookie, method: 'SAFECOOKIE' })).toBe('SAFECOOKIE');
  });

  it('refuses a tampered cookie and is not let in', async () => {
    const cookie = await readFile(tor?.cookieFile ?? '');
    cookie[0] = (cookie[0] ?? 0) ^ 0xff;
    const client = await connect();
    await expect(client.authenticate({ cookie })).rejects.toMatchObject({ code: 'unauthorized' });
    expect(client.closed).toBe(true);

    // And tor itself refuses an AUTHENTICATE that does not come from the cookie: 515, then it hangs up.
    const raw = await connect();
    await raw.protocolInfo();
    await expect(raw.command('AUTHENTICATE', [randomBytes(32).toString('hex')])).rejects.toMatchObject({ code: 'unauthorized', torCode: 515 });
  });

  it('refuses commands before authentication', async () => {
    const client = await connect();
    await expect(client.getInfo('version')).rejects.toMatchObject({ code: 'unauthorized', torCode: 514 });
  });

  it('reads GETINFO single-line, empty and multi-line values, several keys at once', async () => {
    const client = await authed();
    const values = await client.getInfoMany(['version', 'config-text', 'circuit-status', 'status/bootstrap-phase']);
    expect(values.get('version')).toMatch(/^0\.4\./);
    expect(values.get('config-text')).toContain('DisableNetwork 1');
    expect(values.get('config-text')?.split('\n').length).toBeGreaterThan(3);
    expect(parseCircuitStatus(values.get('circuit-status') ?? 'x')).toEqual([]);
    const bootstrap = parseBootstrapProgress(values.get('status/bootstrap-phase') ?? '');
    expect(bootstrap).toMatchObject({ severity: 'NOTICE' });
    expect(bootstrap?.progress).toBeLessThan(100);
    const names = await client.getInfo('info/names');
    expect(names.split('\n').length).toBeGreaterThan(50);
    await expect(client.getInfo('no-such-key')).rejects.toMatchObject({ code: 'invalid_request', torCode: 552 });
  });

  it('round-trips GETCONF/SETCONF/RESETCONF, including quotes, backslashes and repeated options', async () => {
    const client = await authed();
    const tricky = 'Burrow "test" C:\\path\\n not-a-newline = ok\ttab';
    await client.setConf({ ContactInfo: tricky });
    expect(await client.getConfValues('ContactInfo')).toEqual([tricky]);
    await client.setConf({ ReachableAddresses: ['accept 192.0.2.0/24:443', 'reject *:*'] });
    expect(await client.getConfValues('ReachableAddresses')).toEqual(['accept 192.0.2.0/24:443', 'reject *:*']);
    const entries = await client.getConf(['SocksPort', 'DisableNetwork', 'ContactInfo']);
    expect(entries).toEqual([
      { key: 'SocksPort', value: '0' },
      { key: 'DisableNetwork', value: '1' },
      { key: 'ContactInfo', value: tricky },
    ]);
    await client.resetConf(['ContactInfo', 'ReachableAddresses']);
    expect(await client.getConf(['ContactInfo'])).toEqual([{ key: 'ContactInfo', value: undefined }]);
    await expect(client.setConf({ NoSuchOption: '1' })).rejects.toMatchObject({ code: 'invalid_request', torCode: 552 });
    await expect(client.setConf({ DisableNetwork: 'maybe' })).rejects.toMatchObject({ torCode: 513 });
    expect((await client.getConf(['DisableNetwork']))[0]?.value).toBe('1');
  });

  it('answers SIGNAL NEWNYM with 250', async () => {
    const client = await authed();
    await expect(client.signal('NEWNYM')).resolves.toBeUndefined();
  });

  it('delivers CONF_CHANGED and SIGNAL events after SETEVENTS, and stops after SETEVENTS with none', async () => {
    const client = await authed();
    const events: TorEvent[] = [];
    client.onEvent((event) => events.push(event));
    await client.setEvents(['CONF_CHANGED', 'SIGNAL', 'STATUS_CLIENT', 'CIRC', 'STREAM']);
    await client.setConf({ ContactInfo: 'event "test"' });
    await client.signal('CLEARDNSCACHE');
    await client.resetConf(['ContactInfo']);
    await client.getInfo('version'); // events are flushed before this reply
    await expect.poll(() => events.length).toBeGreaterThanOrEqual(3);
    expect(events[0]).toMatchObject({ type: 'CONF_CHANGED', changes: [{ key: 'ContactInfo', value: 'event "test"' }] });
    expect(events[1]).toMatchObject({ type: 'SIGNAL', signal: 'CLEARDNSCACHE' });
    expect(events[2]).toMatchObject({ type: 'CONF_CHANGED', changes: [{ key: 'ContactInfo', value: undefined }] });

    await client.setEvents([]);
    const count = events.length;
    await client.setConf({ ContactInfo: 'silent' });
    await client.resetConf(['ContactInfo']);
    await client.getInfo('version');
    expect(events.length).toBe(count);
    await expect(client.setEvents(['NOT_AN_EVENT'])).rejects.toMatchObject({ torCode: 552 });
  });

  it('refuses an argument with CRLF before it reaches tor: the injected command never runs', async () => {
    const client = await authed();
    const before = client.bytesWritten;
    await expect(client.getInfo('version\r\nSETCONF ContactInfo=injected')).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(client.setConf({ ContactInfo: 'x"\r\nSETCONF ContactInfo="injected' })).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(client.command('SETCONF', ['ContactInfo=ok\r\nSETCONF ContactInfo=injected'])).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(client.signal('NEWNYM\r\nSIGNAL HALT' as 'NEWNYM')).rejects.toMatchObject({ code: 'invalid_request' });
    expect(client.bytesWritten).toBe(before);
    // Tor answers the next command normally: the stream is in step, and nothing was injected.
    expect(await client.getConfValues('ContactInfo')).toEqual([]);
    expect(await client.getInfo('version')).toMatch(/^0\.4\./);
  });

  it('QUIT closes the connection cleanly', async () => {
    const client = await authed();
    const closes: unknown[] = [];
    client.onClose((error) => closes.push(error));
    await client.quit();
    expect(client.closed).toBe(true);
    expect(closes).toEqual([undefined]);
    await expect(client.getInfo('version')).rejects.toMatchObject({ code: 'cancelled' });
  });
});
