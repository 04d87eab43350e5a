// Runs Burrow's leak suite as a program INSIDE a lab namespace (node:dns and node:http of the test process
// itself live in the host's namespace): `node --import tsx tests/lab/leak-runner.ts` reads a RunnerInput as
// JSON on stdin and prints { verdicts, order, ms } as JSON. runLeakSuiteIn() does that through lab.exec.
//
// For the kill-switch probe the runner can stand in for netd: it "stops the tunnel helper" by taking the
// WireGuard link down (its routes go with it, as when wireguard-go dies) and reads the firewall's counters
// with nft, all in the namespace it runs in.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LeakVerdict } from '../../app/domain/index.js';
import { buildFirewallRuleset, parseNftTableJson } from '../../app/firewall/index.js';
import { runLeakSuite, type LeakBaseline, type LeakContext, type LeakSuiteOptions, type TunnelInterrupter } from '../../app/leaks/index.js';
import type { LabNamespace } from './addresses.js';
import type { Lab } from './lab.js';
import { repoRoot } from './process.js';

export interface RunnerInput {
  suite: Omit<LeakSuiteOptions, 'signal' | 'onVerdict' | 'now' | 'tunnel'>;
  /**
   * Gather WebRTC-style candidates first, as the renderer would: a STUN Binding to each of these (leakd's
   * STUN, host:port or [v6]:port) gives a server-reflexive candidate; `hostCandidates` are added as host
   * candidates (an mDNS name as Chromium sends by default, or a raw address as it does without mDNS).
   */
  webrtc?: { stun: string[]; hostCandidates: string[] };
  /** Lab stand-in for netd's helper control (kill-switch probe). */
  interrupt?: { ifname: string; fwmarkTable: string; families: ('-4' | '-6')[] };
}

export interface RunnerOutput {
  verdicts: LeakVerdict[];
  /** Tests in the order their verdicts arrived (onVerdict). */
  order: string[];
  /** The suite's own wall time, without node's start-up. */
  ms: number;
}

function sh(argv: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const [file = '', ...args] = argv;
    const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    // A program that exits before reading its (empty) stdin must not crash the runner with EPIPE.
    child.stdin.on('error', () => undefined);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${argv.join(' ')}: ${err.trim()}`))));
    child.stdin.end(input ?? '');
  });
}

function labInterrupter(spec: NonNullable<RunnerInput['interrupt']>): TunnelInterrupter {
  return {
    async stopHelper() {
      await sh(['ip', 'link', 'set', 'dev', spec.ifname, 'down']);
    },
    async startHelper() {
      await sh(['ip', 'link', 'set', 'dev', spec.ifname, 'up']);
      for (const family of spec.families) {
        const all = family === '-4' ? '0.0.0.0/0' : '::/0';
        await sh(['ip', family, 'route', 'replace', all, 'dev', spec.ifname, 'table', spec.fwmarkTable]);
      }
    },
    async counters() {
      return parseNftTableJson(await sh(['nft', '-j', 'list', 'table', 'inet', 'burrow'])).counters;
    },
  };
}

/** One STUN Binding request; resolves with the XOR-MAPPED-ADDRESS (address and port) or undefined. */
function stunBinding(target: string, timeoutMs = 1500): Promise<{ ip: string; port: number } | undefined> {
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(target);
  const host = m?.[1] ?? '';
  const v6 = host.includes(':');
  const socket = createSocket(v6 ? 'udp6' : 'udp4');
  const req = Buffer.alloc(20);
  req.writeUInt16BE(1, 0);
  req.writeUInt32BE(0x2112a442, 4);
  randomBytes(12).copy(req, 8);
  return new Promise((resolve) => {
    const done = (value: { ip: string; port: number } | undefined): void => {
      clearTimeout(timer);
      socket.close();
      resolve(value);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    socket.on('error', () => done(undefined));
    socket.on('message', (msg) => {
      for (let at = 20; at + 4 <= msg.length; ) {
        const type = msg.readUInt16BE(at);
        const len = msg.readUInt16BE(at + 2);
        if (type === 0x0020) {
          const port = msg.readUInt16BE(at + 6) ^ 0x2112;
          const mask = Buffer.concat([req.subarray(4, 8), req.subarray(8, 20)]);
          const raw = Buffer.from(msg.subarray(at + 8, at + 4 + len).map((b, i) => b ^ (mask[i] ?? 0)));
          const ip = raw.length === 4 ? [...raw].join('.') : [0, 2, 4, 6, 8, 10, 12, 14].map((i) => raw.readUInt16BE(i).toString(16)).join(':');
          done({ ip, port });
          return;
        }
        at += 4 + len + ((4 - (len % 4)) % 4);
      }
      done(undefined);
    });
    socket.send(req, Number(m?.[2] ?? 3478), host);
  });
}

/** Candidate lines as Chromium's RTCPeerConnection reports them. */
async function gatherCandidates(spec: NonNullable<RunnerInput['webrtc']>): Promise<string[]> {
  const host = spec.hostCandidates.map((address, i) => `candidate:${100 + i} 1 udp 2122260223 ${address} ${50000 + i} typ host generation 0`);
  const reflexive = (await Promise.all(spec.stun.map((s) => stunBinding(s))))
    .filter((r): r is { ip: string; port: number } => r !== undefined)
    .map((r, i) => `candidate:${200 + i} 1 udp 1686052607 ${r.ip} ${r.port} typ srflx raddr 0.0.0.0 rport 0 generation 0`);
  return [...host, ...reflexive];
}

async function main(): Promise<void> {
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  const input = JSON.parse(text) as RunnerInput;
  const order: string[] = [];
  const candidates = input.webrtc !== undefined ? await gatherCandidates(input.webrtc) : undefined;
  const started = performance.now();
  const verdicts = await runLeakSuite({
    ...input.suite,
    ...(candidates !== undefined ? { context: { ...input.suite.context, webrtcCandidates: candidates } } : {}),
    ...(input.interrupt !== undefined ? { tunnel: labInterrupter(input.interrupt) } : {}),
    onVerdict: (v) => order.push(v.test),
  });
  const output: RunnerOutput = { verdicts, order, ms: Math.round(performance.now() - started) };
  process.stdout.write(`${JSON.stringify(output)}\n`);
}

/** Runs the suite in `ns` (default the client) and returns its verdicts. */
export async function runLeakSuiteIn(lab: Lab, input: RunnerInput, ns: LabNamespace = 'client'): Promise<RunnerOutput> {
  const root = repoRoot();
  const r = await lab.exec(ns, [process.execPath, '--import', 'tsx', join(root, 'tests', 'lab', 'leak-runner.ts')], {
    input: JSON.stringify(input),
    cwd: root,
    timeoutMs: 60_000,
  });
  return JSON.parse(r.stdout) as RunnerOutput;
}

/** Points the namespace's resolv.conf at `ip`, in place (it is a bind mount), as wg-quick's resolvconf does. */
export async function setLabResolver(lab: Lab, ip: string, ns: LabNamespace = 'client'): Promise<void> {
  await lab.exec(ns, ['tee', '/etc/resolv.conf'], { input: `nameserver ${ip}\n` });
}

/** Burrow's own kill-switch ruleset (app/firewall) for the lab's WireGuard tunnel on `wg0`, applied in `client`. */
export async function applyLabKillSwitch(lab: Lab, opts: { ipv6InTunnel: boolean; ifname?: string; fwmark?: number }): Promise<void> {
  const a = lab.addresses;
  const ruleset = buildFirewallRuleset({
    kind: 'tunnel',
    tunnelInterface: opts.ifname ?? 'wg0',
    endpoints: [{ ip: a.vpn, port: 51820, proto: 'udp' }],
    fwmark: opts.fwmark ?? 51820,
    dnsServers: [a.publicResolver],
    allowLan: false,
    ipv6InTunnel: opts.ipv6InTunnel,
    tunnelAddresses: [a.vpnTunnelClient, a.vpnTunnelClientV6],
  });
  await lab.exec('client', ['nft', '-f', '-'], { input: ruleset });
}

export async function clearLabFirewall(lab: Lab): Promise<void> {
  await lab.exec('client', ['nft', 'delete', 'table', 'inet', 'burrow'], { check: false });
}

/** What the host would know with the lab's WireGuard profile connected on `wg0`. */
export function labWireguardContext(lab: Lab, opts: { carriesIpv6?: boolean; baseline?: LeakBaseline | undefined } = {}): LeakContext {
  const a = lab.addresses;
  return {
    network: 'wireguard',
    expectedExit: { addresses: [a.vpn, a.vpnV6], label: 'the VPN server' },
    tunnelDns: [a.publicResolver],
    tunnelCarriesIpv6: opts.carriesIpv6 ?? true,
    tunnelInterface: 'wg0',
    tunnelAddresses: [a.vpnTunnelClient, a.vpnTunnelClientV6],
    tunnelEndpoint: a.vpn,
    physicalInterface: lab.interfaces.client,
    ...(opts.baseline !== undefined ? { baseline: opts.baseline } : {}),
  };
}

/** What Chromium reports by default: an mDNS host name, plus whatever leakd's STUN reflects (v4 and v6). */
export function labWebrtc(lab: Lab, hostCandidates = ['5e1c2a7b-8d2e-4c1f-9f0a-1b2c3d4e5f60.local']): NonNullable<RunnerInput['webrtc']> {
  return { stun: [lab.leakd.stun, lab.leakd.stunV6], hostCandidates };
}

/** The verdict of one test, or a readable failure. */
export function verdictOf(out: RunnerOutput, test: LeakVerdict['test']): LeakVerdict {
  const v = out.verdicts.find((x) => x.test === test);
  if (v === undefined) throw new Error(`no ${test} verdict in ${JSON.stringify(out.verdicts)}`);
  return v;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
