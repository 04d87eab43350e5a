// A byte pipe between a TCP port on loopback and a Unix socket. The demo runs one inside the lab's client
// namespace (Unix socket → the host's web port) and one on this machine's loopback (port → Unix socket):
// Unix sockets are files, so they cross network namespaces without touching any network.
// Usage: forward.ts listen-tcp PORT UNIX_PATH | listen-unix UNIX_PATH PORT
import { createConnection, createServer, type Socket } from 'node:net';
import { existsSync, unlinkSync } from 'node:fs';

const [mode, first, second] = process.argv.slice(2);

function pipe(client: Socket, target: Socket): void {
  client.pipe(target).pipe(client);
  const close = (): void => {
    client.destroy();
    target.destroy();
  };
  client.on('error', close);
  target.on('error', close);
  client.on('close', close);
  target.on('close', close);
}

if (mode === 'listen-tcp' && first && second) {
  const server = createServer((client) => pipe(client, createConnection(second)));
  server.listen(Number(first), '127.0.0.1', () => console.log(`forwarding 127.0.0.1:${first} → ${second}`));
} else if (mode === 'listen-unix' && first && second) {
  if (existsSync(first)) unlinkSync(first);
  const server = createServer((client) => pipe(client, createConnection(Number(second), '127.0.0.1')));
  server.listen(first, () => console.log(`forwarding ${first} → 127.0.0.1:${second}`));
} else {
  console.error('usage: forward.ts listen-tcp PORT UNIX_PATH | listen-unix UNIX_PATH PORT');
  process.exit(2);
}
