// STAND-IN: a lab mixnet in one process — the gateways the client connects to, the three mix layers (as
// the delays each chunk's sender drew), and the network requester ("exit") that resolves names against
// its allow-list and dials from its own address. Runs in the lab's `inet` namespace:
//   node --import tsx nym-mixnet.ts --network FILE
// Prints JSON lines: {"event":"listening"}, then one line per stream opened or refused.
import { lookup } from 'node:dns/promises';
import { connect, createServer, isIP, type Socket } from 'node:net';
import { parseArgs } from 'node:util';
import { FRAME, FrameReader, OrderedDelay, chunks, encodeFrame, jsonFrame, mixDelayUs, type Frame } from './nym-frames.js';
import { newKeyShare, seal, sharedKey, unseal } from './seal.js';
import { allowed, listenerAddress, readNetwork, type StandinExit, type StandinGateway } from './nym-network.js';

const { values } = parseArgs({ options: { network: { type: 'string' } }, strict: true });
const network = readNetwork(values.network);
/** client identity → the gateway it registered with and their key (registrations live as long as this process). */
const registrations = new Map<string, { gateway: string; key: Buffer }>();
const counters = { streams: 0, refused: 0, cover: 0, bytesIn: 0, bytesOut: 0 };

function say(event: string, facts: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ event, at: new Date().toISOString(), ...facts })}\n`);
}

interface Stream {
  forward: OrderedDelay;
  reverse: OrderedDelay;
  target: Socket | undefined;
  pending: Buffer[];
  ended: boolean;
  closed: boolean;
}

function serveClient(gateway: StandinGateway, socket: Socket): void {
  const reader = new FrameReader();
  const streams = new Map<number, Stream>();
  let session: { client: string; exit: StandinExit | undefined; meanMs: number; key: Buffer } | undefined;
  const send = (frame: Buffer): void => {
    if (!socket.destroyed) socket.write(frame);
  };
  const reply = (stream: Stream, type: typeof FRAME.data | typeof FRAME.close | typeof FRAME.cover, id: number, payload: Buffer): void => {
    // Streams exist only within a session: nothing goes back unsealed.
    if (session === undefined) return;
    const { key, meanMs } = session;
    // The way back carries the delays the client drew for its reply blocks (SURBs): its own mean.
    stream.reverse.schedule(mixDelayUs(meanMs), () => send(encodeFrame({ type, stream: id, delayUs: 0, payload: seal(key, payload) })));
  };

  const open = (id: number, stream: Stream, host: string, port: number): void => {
    const exit = session?.exit;
    // A message to an address nobody has never gets an answer: the stream just hangs, as in the mixnet.
    if (exit === undefined) return;
    const refuse = (why: string): void => {
      counters.refused++;
      say('refused', { stream: id, host, port, why });
      stream.closed = true;
      streams.delete(id);
      reply(stream, FRAME.close, id, Buffer.from(why));
    };
    if (!allowed(exit, host)) return refuse(`connection to ${host}:${port} is not allowed by the network requester's allow list`);
    void (async () => {
      let address = host;
      if (isIP(host) === 0) {
        try {
          address = (await lookup(host, { family: 4 })).address;
        } catch (error) {
          return refuse(`failed to resolve ${host}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      const target = connect({ host: address, port, localAddress: network.exitIp, allowHalfOpen: true });
      target.once('connect', () => {
        counters.streams++;
        say('open', { stream: id, host, port });
        stream.target = target;
        for (const chunk of stream.pending) target.write(chunk);
        stream.pending = [];
        if (stream.ended) target.end();
      });
      target.on('data', (data: Buffer) => {
        counters.bytesOut += data.length;
        for (const chunk of chunks(data)) reply(stream, FRAME.data, id, chunk);
      });
      target.once('error', (error) => {
        if (stream.target === undefined) refuse(`connection to ${host}:${port} failed: ${error.message}`);
      });
      // The destination finished (or went away): the stream is over, as the network requester reports it.
      const finished = (): void => {
        streams.delete(id);
        if (stream.target === undefined || stream.closed) return;
        stream.closed = true;
        target.end();
        reply(stream, FRAME.close, id, Buffer.alloc(0));
      };
      target.once('end', finished);
      target.once('close', finished);
    })();
  };

  const onFrame = (received: Frame): void => {
    if (session === undefined) {
      const hello = JSON.parse(received.payload.toString() || '{}') as { client?: string; gateway?: string; provider?: string; averagePacketDelayMs?: number; publicKey?: string };
      if (received.type === FRAME.register) {
        // The key this client's frames will be sealed with from now on (seal.ts), kept for its later runs.
        const share = newKeyShare();
        registrations.set(String(hello.client), { gateway: gateway.id, key: sharedKey(share, String(hello.publicKey), `nym ${gateway.id}`) });
        say('registered', { client: String(hello.client).slice(0, 8), gateway: gateway.id.slice(0, 8) });
        send(jsonFrame(FRAME.registered, 0, { publicKey: share.publicKey }));
        socket.end();
        return;
      }
      if (received.type !== FRAME.hello) return void socket.destroy();
      const registration = registrations.get(String(hello.client));
      if (registration?.gateway !== gateway.id) {
        send(jsonFrame(FRAME.error, 0, { message: 'this client has not registered with this gateway' }));
        socket.end();
        return;
      }
      session = { client: String(hello.client), exit: network.exits.find((e) => e.address === hello.provider), meanMs: Number(hello.averagePacketDelayMs ?? 0), key: registration.key };
      say('session', { client: session.client.slice(0, 8), exitKnown: session.exit !== undefined });
      send(jsonFrame(FRAME.welcome, 0, {}));
      return;
    }
    // Everything after the hello is sealed with the registration's key; a frame that does not open ends the link.
    const { key } = session;
    const frame: Frame = { ...received, payload: unseal(key, received.payload) };
    if (frame.type === FRAME.cover) {
      counters.cover++;
      // Loop cover traffic comes back to its sender; its delay each way is what the client drew.
      const loop = new OrderedDelay();
      loop.schedule(frame.delayUs * 2, () => send(encodeFrame({ type: FRAME.cover, stream: 0, delayUs: 0, payload: seal(key, frame.payload) })));
      return;
    }
    let stream = streams.get(frame.stream);
    if (stream === undefined) {
      if (frame.type !== FRAME.open) return;
      stream = { forward: new OrderedDelay(), reverse: new OrderedDelay(), target: undefined, pending: [], ended: false, closed: false };
      streams.set(frame.stream, stream);
    }
    const s = stream;
    s.forward.schedule(frame.delayUs, () => {
      if (frame.type === FRAME.open) {
        const { host, port } = JSON.parse(frame.payload.toString()) as { host: string; port: number };
        open(frame.stream, s, host, port);
      } else if (frame.type === FRAME.data) {
        counters.bytesIn += frame.payload.length;
        if (s.target !== undefined) s.target.write(frame.payload);
        else s.pending.push(frame.payload);
      } else if (frame.type === FRAME.close) {
        // The program finished sending; the destination may still answer (half-close).
        s.ended = true;
        s.target?.end();
      }
    });
  };

  socket.on('data', (data: Buffer) => {
    try {
      for (const frame of reader.push(data)) onFrame(frame);
    } catch {
      socket.destroy();
    }
  });
  socket.on('error', () => undefined);
  socket.on('close', () => {
    for (const stream of streams.values()) stream.target?.destroy();
    streams.clear();
  });
}

for (const gateway of network.gateways) {
  const { host, port } = listenerAddress(gateway.listener);
  const server = createServer((socket) => serveClient(gateway, socket));
  server.on('error', (error) => {
    say('error', { gateway: gateway.id.slice(0, 8), message: error.message });
    process.exit(1);
  });
  server.listen(port, host, () => say('listening', { gateway: gateway.id.slice(0, 8), listener: gateway.listener }));
}
setInterval(() => say('counters', counters), 5000).unref();
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(0));
