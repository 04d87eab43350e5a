// STAND-IN: a Mysterium provider node's far end, run in the lab's `vpn` namespace (the host of the lab's
// WireGuard server), so whatever a consumer reaches through it is seen from the WireGuard server's address.
// The real provider speaks WireGuard to a userspace WireGuard inside the consumer's myst; this one speaks a
// line protocol over TCP (see README.md):
//   control:  "HELLO <consumer> <X25519 public key>\n" → "SESSION <token> <public key>\n"; the session lives
//             while this connection is open, and its key (seal.ts) seals every stream of it
//   stream:   "STREAM <token> <host>:<port>\n" → "OK\n" or "ERR <why>\n", then sealed records both ways
//   node --import tsx myst-provider.ts --listen IP:PORT
import { randomBytes } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { connect, createServer, isIP, type Socket } from 'node:net';
import { parseArgs } from 'node:util';
import { newKeyShare, sealedStream, sharedKey } from './seal.js';

const { values } = parseArgs({ options: { listen: { type: 'string' } }, strict: true });
const [listenHost = '', listenPort = ''] = (values.listen ?? '').split(/:(?=\d+$)/);
const sessions = new Map<string, { consumer: string; key: Buffer; streams: Set<Socket> }>();

function say(event: string, facts: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ event, at: new Date().toISOString(), ...facts })}\n`);
}

function firstLine(socket: Socket, onLine: (line: string, rest: Buffer) => void): void {
  let buf = Buffer.alloc(0);
  const onData = (data: Buffer): void => {
    buf = Buffer.concat([buf, data]);
    const end = buf.indexOf(10);
    if (end < 0) {
      if (buf.length > 1024) socket.destroy();
      return;
    }
    socket.off('data', onData);
    onLine(buf.subarray(0, end).toString('utf8').trim(), buf.subarray(end + 1));
  };
  socket.on('data', onData);
}

// Half-open: a consumer that finished sending still gets the whole answer.
const server = createServer({ allowHalfOpen: true }, (socket) => {
  socket.on('error', () => undefined);
  firstLine(socket, (line, rest) => {
    const hello = /^HELLO (\S+) (\S+)$/.exec(line);
    if (hello !== null) {
      const token = randomBytes(16).toString('hex');
      const share = newKeyShare();
      let key: Buffer;
      try {
        key = sharedKey(share, hello[2] ?? '', 'myst');
      } catch (error) {
        socket.end(`ERR ${error instanceof Error ? error.message : String(error)}\n`);
        return;
      }
      const session = { consumer: hello[1] ?? '', key, streams: new Set<Socket>() };
      sessions.set(token, session);
      say('session', { consumer: session.consumer });
      socket.write(`SESSION ${token} ${share.publicKey}\n`);
      socket.on('data', () => undefined);
      socket.once('close', () => {
        sessions.delete(token);
        for (const stream of session.streams) stream.destroy();
        say('session-end', { consumer: session.consumer });
      });
      return;
    }
    const stream = /^STREAM (\S+) (.+):(\d+)$/.exec(line);
    const session = sessions.get(stream?.[1] ?? '');
    if (stream === null || session === undefined) {
      socket.end('ERR no such session\n');
      return;
    }
    const host = (stream[2] ?? '').replace(/^\[|\]$/g, '');
    const port = Number(stream[3]);
    void (async () => {
      let address = host;
      try {
        if (isIP(host) === 0) address = (await lookup(host)).address;
      } catch (error) {
        socket.end(`ERR cannot resolve ${host}: ${error instanceof Error ? error.message : String(error)}\n`);
        return;
      }
      const target = connect({ host: address, port });
      target.once('connect', () => {
        session.streams.add(socket);
        say('stream', { host, port });
        socket.write('OK\n');
        // From here on the consumer's bytes come sealed; `rest` is already part of them.
        const sealed = sealedStream(socket, session.key, rest);
        sealed.on('error', () => target.destroy());
        sealed.pipe(target);
        target.pipe(sealed);
      });
      target.once('error', (error) => {
        if (!socket.writableEnded) socket.end(`ERR ${error.message}\n`);
      });
      socket.once('close', () => {
        session.streams.delete(socket);
        target.destroy();
      });
      target.once('close', () => socket.end());
    })();
  });
});
server.listen(Number(listenPort), listenHost, () => say('listening', { listen: values.listen }));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(0));
