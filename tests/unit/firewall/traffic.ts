// Real packets against an applied ruleset, inside a throwaway namespace: two veth links stand for the
// physical interface (eth0, the ISP at 10.0.1.1) and the tunnel (wg0); probes run as chosen uids and report
// whether their packet left, was refused, or reached a local redirect target.
import { spawn } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseNftTableJson } from '../../../app/firewall/index.js';
import { IP, type Netns } from './netns.js';

const PROBE = `
import dgram from 'node:dgram';
import net from 'node:net';
const [proto, ip, port, sourcePort] = process.argv.slice(2);
const done = (result) => { console.log(JSON.stringify(result)); process.exit(0); };
if (proto === 'udp') {
  const socket = dgram.createSocket(net.isIP(ip) === 6 ? 'udp6' : 'udp4');
  socket.on('message', (message) => done({ result: 'reply', data: message.toString() }));
  socket.on('error', (error) => done({ result: 'error', code: error.code }));
  const send = () => socket.send('probe', Number(port), ip, (error) => error ? done({ result: 'error', code: error.code }) : setTimeout(() => done({ result: 'sent' }), 300));
  if (sourcePort) socket.bind(Number(sourcePort), send);
  else send();
} else {
  const socket = net.connect({ host: ip, port: Number(port) });
  socket.setTimeout(400, () => done({ result: 'timeout' }));
  socket.on('data', (data) => done({ result: 'reply', data: data.toString() }));
  socket.on('error', (error) => done({ result: 'error', code: error.code }));
}
`;

const SERVER = `
import dgram from 'node:dgram';
import net from 'node:net';
const [label, tcpPort, udpPort] = process.argv.slice(2);
const tcp = net.createServer((socket) => socket.end(label));
const udp = dgram.createSocket('udp4');
udp.on('message', (message, from) => udp.send(label, from.port, from.address));
tcp.listen(Number(tcpPort), '127.0.0.1', () => udp.bind(Number(udpPort), '127.0.0.1', () => console.log('ready')));
`;

export interface ProbeResult {
  /** sent: left the machine (no answer on these links); reply: reached a listener; timeout: TCP SYN left. */
  result: 'sent' | 'reply' | 'timeout' | 'error';
  code?: string;
  data?: string;
}

/** eth0 (10.0.1.2/24, fd00:1::2/64, default routes via the "ISP") and wg0 (10.66.1.2, routes for 10.64.0.1 and 198.51.100.0/24). */
export async function buildLinks(ns: Netns): Promise<void> {
  chmodSync(ns.scratch, 0o755);
  writeFileSync(join(ns.scratch, 'probe.mjs'), PROBE, { mode: 0o644 });
  writeFileSync(join(ns.scratch, 'server.mjs'), SERVER, { mode: 0o644 });
  const steps = [
    'link add eth0 type veth peer name eth0p',
    'link add wg0 type veth peer name wg0p',
    'link set eth0 up',
    'link set eth0p up',
    'link set wg0 up',
    'link set wg0p up',
    'addr add 10.0.1.2/24 dev eth0',
    '-6 addr add fd00:1::2/64 dev eth0 nodad',
    'route add default via 10.0.1.1',
    '-6 route add default via fd00:1::1',
    // Static neighbours: no ARP or NDP needed for a packet to leave.
    'neigh add 10.0.1.1 lladdr 02:00:00:00:00:01 dev eth0 nud permanent',
    '-6 neigh add fd00:1::1 lladdr 02:00:00:00:00:01 dev eth0 nud permanent',
    'addr add 10.66.1.2/32 dev wg0',
    'route add 10.64.0.1/32 dev wg0',
    'route add 198.51.100.0/24 dev wg0',
  ];
  for (const step of steps) await ns.execOk([IP, ...step.split(' ')]);
}

/** `sourcePort` (UDP only) pins the source port; otherwise the kernel picks a random one. */
export async function probe(ns: Netns, uid: number, proto: 'udp' | 'tcp', ip: string, port: number, sourcePort?: number): Promise<ProbeResult> {
  const as = uid === 0 ? [] : ['/usr/bin/setpriv', `--reuid=${uid}`, `--regid=${uid}`, '--clear-groups'];
  const extra = sourcePort === undefined ? [] : [String(sourcePort)];
  const output = await ns.execOk([...as, process.execPath, join(ns.scratch, 'probe.mjs'), proto, ip, String(port), ...extra]);
  return JSON.parse(output) as ProbeResult;
}

/** A TCP and a UDP listener on 127.0.0.1 answering `label`: stand-ins for tor's TransPort/DNSPort or redsocks. */
export async function startListeners(ns: Netns, label: string, tcpPort: number, udpPort: number): Promise<() => void> {
  const child = spawn(IP, ['netns', 'exec', ns.name, process.execPath, join(ns.scratch, 'server.mjs'), label, String(tcpPort), String(udpPort)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`listener exited (${code})`)));
  });
  return () => child.kill('SIGTERM');
}

/** Packets per named counter, read through the module's own JSON parser. */
export async function counters(ns: Netns): Promise<Record<string, number>> {
  const listed = await ns.listTableJson();
  const state = parseNftTableJson(listed.stdout);
  return Object.fromEntries(Object.entries(state.counters).map(([name, value]) => [name, value.packets]));
}

/** What wireguard-go's SO_MARK does, for a test uid: its packets carry the tunnel's fwmark. */
export function markUidTable(uid: number, fwmark: number): string {
  return `table inet burrowtest {\n\tchain setmark {\n\t\ttype route hook output priority -150; policy accept;\n\t\tmeta skuid ${uid} meta mark set ${fwmark}\n\t}\n}\n`;
}
