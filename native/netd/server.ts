// netd's socket: JSON lines on a Unix socket owned by root, mode 0600 (0660 with a group). Each connection
// is served one request at a time, in order; requests that change the system are serialised across
// connections too, so two hosts can never interleave a firewall change with a tunnel change. Oversized
// input and a flood of queued lines close that connection; netd itself keeps running.
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, unlinkSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { dirname } from 'node:path';
import { BurrowError } from '../../app/domain/index.js';
import { MAX_NETD_MESSAGE_BYTES } from '../../app/contract/index.js';
import { dispatchLine, type Caller, type LogFacts, type NetdHandlers } from './dispatch.js';
import { runTool, type Runner } from './exec.js';
import type { Logger } from './log.js';
import { peerOf } from './peer.js';

/** Lines waiting behind the one in progress; a client that pipelines more than this is not a host. */
const MAX_QUEUED = 16;

export interface ServerOptions {
  path: string;
  /** Group id that may connect (mode 0660); without it only root can (0600). */
  gid?: number;
  handlers: NetdHandlers;
  logger: Logger;
  facts?: LogFacts;
  /** Runs `ss` for the caller lookup (tests replace it). */
  run?: Runner;
}

export interface NetdServer {
  close(): Promise<void>;
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

export async function startServer(options: ServerOptions): Promise<NetdServer> {
  const { path, logger } = options;
  mkdirSync(dirname(path), { recursive: true, mode: 0o755 });
  if (existsSync(path)) {
    if (!lstatSync(path).isSocket()) throw new BurrowError('conflict', `${path} exists and is not a socket; netd will not replace it.`);
    if (await isAlive(path)) throw new BurrowError('conflict', `Another netd is already listening on ${path}.`);
    unlinkSync(path);
  }
  let connections = 0;
  const sockets = new Set<Socket>();

  const server: Server = createServer((socket) => {
    const connection = ++connections;
    sockets.add(socket);
    logger.log('debug', 'connection opened', { connection });
    let buffer = '';
    const queue: string[] = [];
    let busy = false;
    // Looked up once, when a command first needs it: the caller is then still connected, waiting for the
    // answer (most commands never ask, and the lookup can cost a few `ss` runs under the unit's sandbox).
    let peer: Promise<number | undefined> | undefined;
    const caller: Caller = { uid: () => (peer ??= peerOf(socket, options.run ?? runTool).then((found) => found?.uid)) };

    const send = (message: unknown): void => {
      if (!socket.destroyed) socket.write(`${JSON.stringify(message)}\n`);
    };
    const pump = async (): Promise<void> => {
      if (busy) return;
      busy = true;
      for (let line = queue.shift(); line !== undefined; line = queue.shift()) {
        send(await dispatchLine(options.handlers, line, { logger, connection, caller, ...(options.facts ? { facts: options.facts } : {}) }));
      }
      busy = false;
    };
    const refuseAndClose = (message: string, code: 'message_too_large' | 'invalid_request'): void => {
      logger.log('warn', 'connection closed by netd', { connection, reason: message });
      send({ id: null, ok: false, error: { code, message } });
      socket.end();
      buffer = '';
      queue.length = 0;
    };

    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      if (socket.writableEnded) return;
      buffer += chunk;
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        if (line === '') continue;
        if (Buffer.byteLength(line, 'utf8') > MAX_NETD_MESSAGE_BYTES) {
          return refuseAndClose(`netd requests are limited to ${MAX_NETD_MESSAGE_BYTES} bytes.`, 'message_too_large');
        }
        if (queue.length >= MAX_QUEUED) return refuseAndClose(`Send one request at a time; more than ${MAX_QUEUED} were waiting.`, 'invalid_request');
        queue.push(line);
      }
      if (Buffer.byteLength(buffer, 'utf8') > MAX_NETD_MESSAGE_BYTES) {
        return refuseAndClose(`netd requests are limited to ${MAX_NETD_MESSAGE_BYTES} bytes.`, 'message_too_large');
      }
      void pump();
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      sockets.delete(socket);
      logger.log('debug', 'connection closed', { connection });
    });
  });
  server.on('error', (error) => logger.log('error', 'socket server error', { error: error.message }));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // Created with no access for anyone but root until the mode below is set.
    const umask = process.umask(0o177);
    server.listen(path, () => {
      process.umask(umask);
      server.off('error', reject);
      resolve();
    });
  });
  if (options.gid !== undefined) {
    chownSync(path, 0, options.gid);
    chmodSync(path, 0o660);
  } else chmodSync(path, 0o600);
  logger.log('info', 'listening', { socket: path, mode: options.gid === undefined ? '0600' : '0660', gid: options.gid ?? null });

  return {
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => {
        server.close(() => {
          if (existsSync(path)) unlinkSync(path);
          resolve();
        });
      });
    },
  };
}
