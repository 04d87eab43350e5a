// The control socket: the contract as JSON lines on a Unix socket private to the user (dir 0700,
// socket 0600). Responses and events share the stream; a garbage or oversized line gets a clear error,
// the connection (for oversized input) is closed, and the host keeps running.
import { chmodSync, existsSync, lstatSync, mkdirSync, unlinkSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { BurrowError } from '../domain/index.js';
import { dispatchEnvelope, MAX_MESSAGE_BYTES, parseMessageText, type CommandHandlers } from '../contract/index.js';

/** Past this much unread output a client is too slow to keep: drop it rather than grow without bound. */
const MAX_PENDING_OUTPUT = 8 * 1024 * 1024;

export function defaultControlPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.BURROW_CONTROL) return env.BURROW_CONTROL;
  const runtime = env.XDG_RUNTIME_DIR && env.XDG_RUNTIME_DIR.startsWith('/') ? env.XDG_RUNTIME_DIR : `/tmp/burrow-${process.getuid?.() ?? 0}`;
  return join(runtime, 'burrow', 'host.sock');
}

/**
 * The socket's directory and every one above it must be ours or root's, and nobody else may write to one
 * (a root-owned sticky dir like /tmp excepted): `/tmp/burrow-<uid>` may have been made by someone else
 * first, to read or replace the socket. Refuses with a reason rather than trusting it.
 */
export function checkPrivateDir(dir: string, uid = process.getuid?.() ?? 0): void {
  let current = dir;
  for (;;) {
    const stat = lstatSync(current);
    const refuse = (why: string): never => {
      throw new BurrowError('conflict', `Burrow will not put its control socket under ${dir}: ${current} ${why}. Remove it or set XDG_RUNTIME_DIR.`);
    };
    if (stat.isSymbolicLink()) refuse('is a symbolic link');
    if (!stat.isDirectory()) refuse('is not a directory');
    if (stat.uid !== uid && stat.uid !== 0) refuse(`belongs to uid ${stat.uid}`);
    const othersWrite = (stat.mode & 0o022) !== 0;
    const sticky = (stat.mode & 0o1000) !== 0;
    if (othersWrite && !(stat.uid === 0 && sticky)) refuse('can be written by other users');
    const parent = dirname(current);
    if (parent === current) return;
    current = parent;
  }
}

function isAlive(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createConnection(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}

export interface ControlServer {
  readonly path: string;
  broadcast(event: string, data: unknown): void;
  close(): Promise<void>;
}

export async function startControlServer(
  path: string,
  handlers: CommandHandlers,
  log: (level: 'info' | 'warn', message: string) => void,
): Promise<ControlServer> {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  checkPrivateDir(dirname(path));
  if (existsSync(path)) {
    if (await isAlive(path)) throw new BurrowError('conflict', `Another Burrow host is already listening on ${path}.`);
    unlinkSync(path); // A stale socket from a host that died.
  }
  const clients = new Set<Socket>();

  const send = (socket: Socket, message: unknown): void => {
    if (socket.destroyed) return;
    if (socket.writableLength > MAX_PENDING_OUTPUT) {
      log('warn', 'A control client stopped reading; it was disconnected.');
      socket.destroy();
      return;
    }
    socket.write(`${JSON.stringify(message)}\n`);
  };

  const server: Server = createServer((socket) => {
    clients.add(socket);
    socket.setEncoding('utf8');
    let buffer = '';
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        if (line) handleLine(socket, line).catch(() => send(socket, { id: null, ok: false, error: { code: 'internal', message: 'The request failed.' } }));
      }
      if (buffer.length > MAX_MESSAGE_BYTES) {
        send(socket, { id: null, ok: false, error: { code: 'message_too_large', message: `Messages are limited to ${MAX_MESSAGE_BYTES} bytes.` } });
        log('warn', 'A control client sent an oversized message; it was disconnected.');
        socket.end();
        buffer = '';
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => clients.delete(socket));
  });

  const handleLine = async (socket: Socket, line: string): Promise<void> => {
    const parsed = parseMessageText(line);
    if (!parsed.ok) {
      send(socket, { id: null, ok: false, error: parsed.error });
      return;
    }
    send(socket, await dispatchEnvelope(handlers, parsed.value));
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve();
    });
  });
  chmodSync(path, 0o600);
  log('info', `Control socket listening on ${path}.`);

  return {
    path,
    broadcast(event, data) {
      for (const socket of clients) send(socket, { event, data });
    },
    close() {
      for (const socket of clients) socket.destroy();
      return new Promise((resolve) => server.close(() => {
        if (existsSync(path)) unlinkSync(path);
        resolve();
      }));
    },
  };
}
