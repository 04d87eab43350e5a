// The CLI's side of the control socket: a contract client over JSON lines. Before trusting the socket it
// checks that it belongs to this user or to root (as Mullvad's client checks its daemon's socket).
import { lstatSync } from 'node:fs';
import { createConnection } from 'node:net';
import { BurrowError } from '../domain/index.js';
import { createContractClient, createMessageConnection, type ContractClient } from '../contract/index.js';

export interface ControlClient {
  client: ContractClient;
  close(): void;
}

export function checkSocketOwner(path: string): void {
  let stats;
  try {
    stats = lstatSync(path);
  } catch {
    throw new BurrowError('host_unreachable', `No Burrow host is running (no socket at ${path}). Start one with: burrow host`);
  }
  if (!stats.isSocket()) throw new BurrowError('host_unreachable', `${path} is not a socket.`);
  const uid = process.getuid?.();
  if (uid !== undefined && stats.uid !== uid && stats.uid !== 0) {
    throw new BurrowError('unauthorized', `${path} belongs to another user (uid ${stats.uid}); Burrow will not trust it.`);
  }
}

export function connectControl(path: string): Promise<ControlClient> {
  checkSocketOwner(path);
  return new Promise((resolve, reject) => {
    const socket = createConnection(path);
    const connection = createMessageConnection((text) => socket.write(`${text}\n`));
    let buffer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        connection.receive(buffer.slice(0, newline));
        buffer = buffer.slice(newline + 1);
      }
    });
    socket.once('connect', () => resolve({ client: createContractClient(connection.transport), close: () => socket.end() }));
    socket.on('error', (error) => {
      const failure = new BurrowError('host_unreachable', `Could not reach the Burrow host at ${path}: ${error.message}`);
      connection.fail(failure);
      reject(failure);
    });
    socket.on('close', () => connection.fail(new BurrowError('host_unreachable', 'The Burrow host closed the connection.')));
  });
}
