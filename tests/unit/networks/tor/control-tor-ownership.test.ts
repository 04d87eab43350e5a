// Against Debian's real tor: a Unix-socket control port in a 0700 directory, the socket-owner check, and
// TAKEOWNERSHIP making tor exit with its controller. Each test owns its tor (one of them kills it).
import { stat } from 'node:fs/promises';

import { afterEach, describe, expect, it } from 'vitest';

import { TorControlClient } from '../../../../app/networks/tor/control/client.js';
import { startTor } from './tor-harness.js';
import type { TorProcess } from './tor-harness.js';

const tors: TorProcess[] = [];
const clients: TorControlClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) await client.close();
  for (const tor of tors.splice(0)) await tor.stop();
});

async function start(unixSocket: boolean): Promise<TorProcess> {
  const tor = await startTor({ auth: 'cookie', unixSocket });
  tors.push(tor);
  return tor;
}

describe('real tor, Unix socket and ownership', () => {
  it('speaks over a Unix socket in a 0700 directory', async () => {
    const tor = await start(true);
    expect((await stat(tor.dir)).mode & 0o777).toBe(0o700);
    const client = await TorControlClient.connect({ path: tor.socketPath ?? '', expectSocketOwner: process.getuid?.() ?? 0 });
    clients.push(client);
    expect(await client.authenticate()).toBe('SAFECOOKIE');
    expect(await client.getInfo('version')).toMatch(/^0\.4\./);
  });

  it('refuses a control socket owned by another uid', async () => {
    const tor = await start(true);
    const otherUid = (process.getuid?.() ?? 0) + 4242;
    await expect(TorControlClient.connect({ path: tor.socketPath ?? '', expectSocketOwner: otherUid })).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('fails clearly when nothing listens', async () => {
    await expect(TorControlClient.connect({ path: '/nonexistent/burrow/control' })).rejects.toMatchObject({ code: 'helper_failed' });
  });

  it('TAKEOWNERSHIP then closing the connection makes tor exit', async () => {
    const tor = await start(false);
    const client = await TorControlClient.connect({ port: tor.port ?? 0 });
    await client.authenticate();
    await client.takeOwnership();
    // Tor also keeps __OwningControllerProcess (the harness's safety net); drop it so only the connection owns tor.
    await client.resetConf(['__OwningControllerProcess']);
    let exited = false;
    void tor.exited.then(() => {
      exited = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(exited).toBe(false);
    await client.close();
    const code = await Promise.race([tor.exited, new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), 10_000))]);
    expect(code).not.toBe('still running');
  });
});
