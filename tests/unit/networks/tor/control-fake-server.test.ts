// Cases real tor cannot be made to produce: a peer with a wrong SAFECOOKIE server hash, a flood, silence,
// and a byte-exact record of what the client wrote. Everything else is tested against real tor.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { BurrowError } from '../../../../app/domain/errors.js';
import { TorControlClient } from '../../../../app/networks/tor/control/client.js';
import type { TorEvent } from '../../../../app/networks/tor/control/events.js';

interface FakeTor {
  readonly port: number;
  /** Every byte the client sent, in order. */
  received(): string;
  /** Command lines in arrival order. */
  readonly lines: string[];
  close(): Promise<void>;
}

/** A tiny server: `answer` gets each command line and returns what to write back (or nothing). */
async function fakeTor(answer: (line: string, socket: net.Socket) => string | undefined): Promise<FakeTor> {
  let bytes = '';
  const lines: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    let buffer = '';
    socket.on('data', (chunk: Buffer) => {
      bytes += chunk.toString('latin1');
      buffer += chunk.toString('latin1');
      let lf: number;
      while ((lf = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, lf);
        buffer = buffer.slice(lf + 2);
        lines.push(line);
        const out = answer(line, socket);
        if (out !== undefined) socket.write(out);
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as net.AddressInfo;
  return {
    port: address.port,
    received: () => bytes,
    lines,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(answer: (line: string, socket: net.Socket) => string | undefined, options: { commandTimeoutMs?: number; maxReplyBytes?: number } = {}) {
  const server = await fakeTor(answer);
  cleanups.push(() => server.close());
  const client = await TorControlClient.connect({
    port: server.port,
    ...(options.commandTimeoutMs !== undefined ? { commandTimeoutMs: options.commandTimeoutMs } : {}),
    ...(options.maxReplyBytes !== undefined ? { limits: { maxReplyBytes: options.maxReplyBytes } } : {}),
  });
  cleanups.push(() => client.close());
  return { server, client };
}

describe('TorControlClient against a fake control port', () => {
  it('refuses a peer whose SAFECOOKIE server hash is wrong and never sends AUTHENTICATE', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'burrow-fake-tor-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const cookieFile = join(dir, 'control_auth_cookie');
    await writeFile(cookieFile, randomBytes(32), { mode: 0o600 });
    const { server, client } = await setup((line) => {
      if (line.startsWith('PROTOCOLINFO')) {
        return `250-PROTOCOLINFO 1\r\n250-AUTH METHODS=COOKIE,SAFECOOKIE COOKIEFILE="${cookieFile}"\r\n250-VERSION Tor="0.4.9.11"\r\n250 OK\r\n`;
      }
      if (line.startsWith('AUTHCHALLENGE')) {
        return `250 AUTHCHALLENGE SERVERHASH=${randomBytes(32).toString('hex')} SERVERNONCE=${randomBytes(32).toString('hex')}\r\n`;
      }
      return '250 OK\r\n';
    });
    const error = await client.authenticate().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BurrowError);
    expect((error as BurrowError).code).toBe('unauthorized');
    expect((error as BurrowError).message).toMatch(/SAFECOOKIE/);
    expect(server.lines.map((l) => l.split(' ')[0])).toEqual(['PROTOCOLINFO', 'AUTHCHALLENGE']);
    expect(server.received()).not.toContain('AUTHENTICATE');
    expect(client.closed).toBe(true);
  });

  it('writes nothing for a command whose argument holds CR/LF/NUL, then carries on', async () => {
    const { server, client } = await setup((line) => (line.startsWith('GETINFO') ? '250-version=1\r\n250 OK\r\n' : '250 OK\r\n'));
    const attempts = [
      client.getInfo('version\r\nSIGNAL HALT'),
      client.setConf({ ContactInfo: 'x\r\nSIGNAL HALT' }),
      client.setConf({ ContactInfo: 'x\nSIGNAL HALT' }),
      client.setConf({ 'ContactInfo\r\nSIGNAL': 'x' }),
      client.command('GETINFO', ['version\0']),
      client.command('SIGNAL HALT'),
      client.authenticate({ password: 'pw\r\nSIGNAL HALT', method: 'HASHEDPASSWORD' }),
    ];
    const before = client.bytesWritten;
    for (const attempt of attempts) {
      await expect(attempt).rejects.toMatchObject({ code: 'invalid_request' });
    }
    expect(client.bytesWritten).toBe(before);
    await expect(client.getInfo('version')).resolves.toBe('1');
    expect(server.received()).toBe('GETINFO version\r\n');
  });

  it('sends one command at a time, in order, and dispatches events between replies', async () => {
    let outstanding = 0;
    let maxOutstanding = 0;
    const { server, client } = await setup((line, socket) => {
      outstanding += 1;
      maxOutstanding = Math.max(maxOutstanding, outstanding);
      // Answer later, with an event first: a client that pipelined would have several outstanding.
      setTimeout(() => {
        outstanding -= 1;
        const key = line.split(' ')[1] ?? '';
        socket.write(`650 SIGNAL ${key}\r\n250-${key}=v${key}\r\n250 OK\r\n`);
      }, 20);
      return undefined;
    });
    const events: TorEvent[] = [];
    client.onEvent((event) => events.push(event));
    client.onEvent(() => {
      throw new Error('a broken listener must not break the connection');
    });
    const results = await Promise.all(['a', 'b', 'c'].map((key) => client.getInfo(key)));
    expect(results).toEqual(['va', 'vb', 'vc']);
    expect(maxOutstanding).toBe(1);
    expect(server.lines).toEqual(['GETINFO a', 'GETINFO b', 'GETINFO c']);
    expect(events.map((e) => (e.type === 'SIGNAL' ? e.signal : '?'))).toEqual(['a', 'b', 'c']);
  });

  it('fails the connection on a reply nobody asked for', async () => {
    const { client } = await setup((_line, socket) => {
      socket.write('250 OK\r\n250 OK\r\n');
      return undefined;
    });
    await client.getInfo('version').catch(() => undefined);
    await expect.poll(() => client.closed).toBe(true);
  });

  it('rejects an oversized reply and closes the connection', async () => {
    const { client } = await setup(() => `250+desc/all-recent=\r\n${'router x\r\n'.repeat(5000)}.\r\n250 OK\r\n`, { maxReplyBytes: 10_000 });
    await expect(client.getInfo('desc/all-recent')).rejects.toMatchObject({ code: 'message_too_large' });
    expect(client.closed).toBe(true);
    await expect(client.getInfo('version')).rejects.toBeInstanceOf(BurrowError);
  });

  it('times out a command tor never answers', async () => {
    const { client } = await setup(() => undefined, { commandTimeoutMs: 200 });
    await expect(client.getInfo('version')).rejects.toMatchObject({ code: 'timeout' });
    expect(client.closed).toBe(true);
  });

  it('keeps the password out of the error even if tor echoes it', async () => {
    const password = 'correct horse battery';
    const { client } = await setup((line) =>
      line.startsWith('PROTOCOLINFO')
        ? '250-PROTOCOLINFO 1\r\n250-AUTH METHODS=HASHEDPASSWORD\r\n250-VERSION Tor="0.4.9.11"\r\n250 OK\r\n'
        : `515 Authentication failed: "${password}" is wrong (${Buffer.from(password).toString('hex')})\r\n`,
    );
    const error = await client.authenticate({ password }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'unauthorized', torCode: 515 });
    const everything = JSON.stringify({ message: (error as Error).message, stack: (error as Error).stack, error });
    expect(everything).not.toContain(password);
    expect(everything).not.toContain(Buffer.from(password).toString('hex'));
  });
});
