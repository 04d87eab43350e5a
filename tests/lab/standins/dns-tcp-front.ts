// STAND-IN support: a resolver that answers DNS over TCP, in `inet` at 10.X.53.55. The lab's resolvers
// (dnsmasq forwarding the leak zone to leakd) do not answer over TCP, because leakd has no DNS over TCP
// (tests/lab/README.md, "Not here yet"); a real resolver (1.1.1.1, 9.9.9.9) does. Burrow's DNS stub for the
// proxy networks asks over TCP through the proxy, so this front takes TCP queries and asks the lab's
// public resolver over UDP from its own address — the public resolver's log shows this front as the asker.
//   node --import tsx dns-tcp-front.ts --listen IP --resolver IP
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { listen: { type: 'string' }, resolver: { type: 'string' } }, strict: true });
const listen = values.listen ?? '';
const resolver = values.resolver ?? '';

function ask(query: Buffer): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const udp = createSocket('udp4');
    const timer = setTimeout(() => {
      udp.close();
      resolve(undefined);
    }, 3000);
    udp.on('message', (answer: Buffer) => {
      if (answer.length < 2 || answer.readUInt16BE(0) !== query.readUInt16BE(0)) return;
      clearTimeout(timer);
      udp.close();
      resolve(answer);
    });
    udp.on('error', () => undefined);
    udp.bind(0, listen, () => udp.send(query, 53, resolver));
  });
}

const server = createServer((socket) => {
  let buf = Buffer.alloc(0);
  socket.on('error', () => undefined);
  socket.on('data', (data: Buffer) => {
    buf = Buffer.concat([buf, data]);
    while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
      const query = buf.subarray(2, 2 + buf.readUInt16BE(0));
      buf = buf.subarray(2 + query.length);
      if (query.length < 12) return void socket.destroy();
      void ask(Buffer.from(query)).then((answer) => {
        if (answer === undefined) return void socket.destroy();
        const length = Buffer.alloc(2);
        length.writeUInt16BE(answer.length, 0);
        socket.write(Buffer.concat([length, answer]));
      });
    }
  });
});
server.listen(53, listen, () => process.stdout.write(`${JSON.stringify({ event: 'listening', listen, resolver })}\n`));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(0));
