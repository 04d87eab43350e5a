// WireGuard benchmark (a printed report, not a timed test), all in one lab run so the ratios compare like
// with like: Burrow's tunnel against the same wireguard-go tunnel set up by hand with `wg` (tests/lab's
// wgQuickUp), alternating runs.
//   throughput: iperf3 through each tunnel, --runs × 5 s each, alternating (target ratio ≥ 0.97)
//   connect time: command → first reply through the tunnel (a ping to the server's tunnel address, which
//     nothing but the tunnel can reach), median of max(--runs, 5) (target ratio ≤ 1.5; absolute ms shown),
//     from the request reaching the host (what the app pays) and from the `burrow connect` command line
//   firewall apply: a policy change (block ↔ tunnel) through netd's socket, median of 100
//   RSS of netd (all its processes) and of the headless host while connected (target: one netd process < 40 MiB)
//   --cycles N: N connect/disconnect cycles, each checked for leftovers (the 100: --cycles 100)
// Run: node --import tsx tests/bench/wireguard-bench.ts [--runs 5] [--cycles 100]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { connectControl } from '../../app/cli/control-client.js';
import { createNetdClient } from '../../app/netd/client.js';
import type { FirewallPolicy } from '../../app/firewall/index.js';
import { NO_TRACES, clientProcesses, ensureBuilt, startBurrowInLab, tunnelTraces, type BurrowInLab } from '../lab/burrow-in-lab.js';
import { repoRoot } from '../lab/process.js';
import { startLab, type Lab } from '../lab/lab.js';
import { sleep } from '../lab/process.js';
import { wgQuickUp } from '../lab/wg-quick.js';

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

async function iperf(lab: Lab, seconds = 5): Promise<number> {
  const { stdout } = await lab.exec('client', ['iperf3', '-c', lab.addresses.iperf, '-t', String(seconds), '-J'], { timeoutMs: (seconds + 20) * 1000 });
  const report = JSON.parse(stdout) as { end: { sum_received: { bits_per_second: number } } };
  return report.end.sum_received.bits_per_second;
}

/**
 * Starts pinging the VPN server's tunnel address every 5 ms; resolves with the wall-clock time of the first
 * reply. Only the tunnel reaches that address, so the first reply is the first packet through the tunnel.
 */
function firstTunnelReply(lab: Lab): { done: Promise<number>; stop: () => Promise<void> } {
  // Without a deadline (-w) ping keeps going through errors (unreachable, refused sends) instead of exiting;
  // separate one-shot pings would lose a second whenever the lab's routers rate-limit their ICMP errors.
  const probe = lab.spawn('client', ['ping', '-D', '-n', '-i', '0.005', '-c', '6000', lab.addresses.vpnTunnelServer], { name: 'bench-ping' });
  const done = probe.waitForLog(/^\[(\d+\.\d+)\] \d+ bytes from/m, 30_000).then((match) => Number(match[1]) * 1000);
  return { done, stop: () => probe.stop() };
}

async function connectTimeByHand(lab: Lab): Promise<number> {
  const probe = firstTunnelReply(lab);
  await sleep(50);
  const started = Date.now();
  const tunnel = await wgQuickUp(lab, 'client', lab.wireguard?.clientConf ?? '', 'wg0');
  const first = await probe.done;
  await probe.stop();
  await tunnel.down();
  return first - started;
}

/** From the `burrow connect --json` command line (Node start-up of the CLI included). */
async function connectTimeBurrow(lab: Lab, burrow: BurrowInLab): Promise<{ firstPacket: number; command: number }> {
  const probe = firstTunnelReply(lab);
  await sleep(50);
  const started = Date.now();
  const result = await burrow.cliJson<{ state: string }>(['connect', 'lab']);
  const command = Date.now() - started;
  if (result.data.state !== 'connected') throw new Error(`connect answered ${JSON.stringify(result.data)}`);
  const first = await probe.done;
  await probe.stop();
  await burrow.cliJson(['disconnect']);
  return { firstPacket: first - started, command };
}

/** The client-only CLI (dist/node/burrow-client.mjs, built as resources/build/build.mjs builds it) next to the lab's burrow.mjs. */
async function buildClientOnly(): Promise<string> {
  const out = join(ensureBuilt(), 'burrow-client.mjs');
  await build({
    entryPoints: [join(repoRoot(), 'app/cli/client-main.ts')],
    outfile: out,
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    external: ['better-sqlite3', 'electron', 'bufferutil', 'utf-8-validate'],
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: 'error',
  });
  return out;
}

/** From `burrow-client connect --json` (the client-only bundle; Node start-up included). */
async function connectTimeClientOnly(lab: Lab, burrow: BurrowInLab, bin: string): Promise<number> {
  const probe = firstTunnelReply(lab);
  await sleep(50);
  const started = Date.now();
  const result = await lab.exec('client', [process.execPath, bin, 'connect', 'lab', '--control', burrow.controlSocket, '--json'], { check: false, timeoutMs: 60_000 });
  if (!result.stdout.includes('"connected"')) throw new Error(`burrow-client connect answered ${result.stdout}${result.stderr}`);
  const first = await probe.done;
  await probe.stop();
  await burrow.cliJson(['disconnect']);
  return first - started;
}

/** From the connect request reaching the host's control socket: what the app's Connect button costs. */
async function connectTimeRequest(lab: Lab, burrow: BurrowInLab): Promise<number> {
  const control = await connectControl(burrow.controlSocket);
  try {
    const probe = firstTunnelReply(lab);
    await sleep(50);
    const started = Date.now();
    const state = await control.client.connect({ profile: 'lab' });
    if (state.state !== 'connected') throw new Error(`connect answered ${JSON.stringify(state)}`);
    const first = await probe.done;
    await probe.stop();
    await control.client.disconnect();
    return first - started;
  } finally {
    control.close();
  }
}

async function firewallApplyTimes(burrow: BurrowInLab, lab: Lab, count: number): Promise<{ roundTrip: number[]; inNetd: number[] }> {
  const netd = createNetdClient(burrow.netdSocket);
  const tunnel: FirewallPolicy = {
    kind: 'tunnel',
    tunnelInterface: 'burrow0',
    endpoints: [{ ip: lab.addresses.vpn, port: 51820, proto: 'udp' }],
    fwmark: 51820,
    dnsServers: [lab.addresses.publicResolver],
    allowLan: false,
    ipv6InTunnel: true,
    tunnelTraffic: 'all',
  };
  const block: FirewallPolicy = { kind: 'block', allowLan: false };
  const roundTrip: number[] = [];
  const inNetd: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const result = await netd.call('applyFirewall', { policy: i % 2 === 0 ? tunnel : block });
    roundTrip.push(performance.now() - started);
    inNetd.push(result.ms);
  }
  await netd.call('applyFirewall', { policy: { kind: 'open' } });
  return { roundTrip, inNetd };
}

function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:')) ?? '';
  return Number(/(\d+)/.exec(line)?.[1] ?? Number.NaN) / 1024;
}

async function cycles(lab: Lab, burrow: BurrowInLab, count: number): Promise<{ ms: number[]; dirty: number }> {
  const ms: number[] = [];
  let dirty = 0;
  for (let i = 0; i < count; i++) {
    const started = Date.now();
    const up = await burrow.cliJson<{ state: string }>(['connect', 'lab']);
    const down = await burrow.cliJson<{ state: string }>(['disconnect']);
    ms.push(Date.now() - started);
    const traces = await tunnelTraces(lab);
    if (up.data.state !== 'connected' || down.data.state !== 'disconnected' || JSON.stringify(traces) !== JSON.stringify(NO_TRACES)) {
      dirty++;
      console.error(`cycle ${i + 1}: ${up.data.state}/${down.data.state} ${JSON.stringify(traces)}`);
    }
  }
  return { ms, dirty };
}

export async function benchWireguard(runs: number, cycleCount: number): Promise<string> {
  const lab = await startLab({ tor: false });
  const lines: string[] = ['WireGuard benchmark (noisy 2-core machine; ratios come from one lab run, alternating)'];
  try {
    const burrow = await startBurrowInLab(lab);
    try {
      if ((await burrow.cli(['profile', 'import', burrow.confFile, '--name', 'lab'])).code !== 0) throw new Error('import failed');

      const byHand: number[] = [];
      const viaBurrow: number[] = [];
      for (let i = 0; i < runs; i++) {
        const tunnel = await wgQuickUp(lab, 'client', lab.wireguard?.clientConf ?? '', 'wg0');
        byHand.push(await iperf(lab));
        await tunnel.down();
        await burrow.cliJson(['connect', 'lab']);
        viaBurrow.push(await iperf(lab));
        await burrow.cliJson(['disconnect']);
      }
      // Each Burrow run is compared with the hand-made run just before it, so slow drifts in the machine's
      // load (other work on 2 cores) cancel out; the median of those ratios is the verdict.
      const tput = median(viaBurrow.map((bps, i) => bps / (byHand[i] ?? Number.NaN)));
      lines.push(
        `throughput by hand        median ${(median(byHand) / 1e6).toFixed(0).padStart(5)} Mbit/s  (${byHand.map((b) => (b / 1e6).toFixed(0)).join(', ')})`,
        `throughput through Burrow median ${(median(viaBurrow) / 1e6).toFixed(0).padStart(5)} Mbit/s  (${viaBurrow.map((b) => (b / 1e6).toFixed(0)).join(', ')})`,
        `  ratio (median of paired runs) ${tput.toFixed(3)}; of medians ${(median(viaBurrow) / median(byHand)).toFixed(3)}  (target ≥ 0.97: ${tput >= 0.97 ? 'met' : 'MISSED'})`,
      );

      const handTimes: number[] = [];
      const requestTimes: number[] = [];
      const cliTimes: number[] = [];
      const commandTimes: number[] = [];
      const clientOnlyTimes: number[] = [];
      const clientOnly = await buildClientOnly();
      for (let i = 0; i < Math.max(runs, 5); i++) {
        handTimes.push(await connectTimeByHand(lab));
        requestTimes.push(await connectTimeRequest(lab, burrow));
        const cliRun = await connectTimeBurrow(lab, burrow);
        cliTimes.push(cliRun.firstPacket);
        commandTimes.push(cliRun.command);
        clientOnlyTimes.push(await connectTimeClientOnly(lab, burrow, clientOnly));
      }
      const ms = (xs: number[]): string => `median ${median(xs).toFixed(0).padStart(4)} ms  (${xs.map((t) => t.toFixed(0)).join(', ')})`;
      const verdict = (ratio: number): string => `ratio ${ratio.toFixed(2)} (target ≤ 1.5: ${ratio <= 1.5 ? 'met' : 'MISSED'})`;
      lines.push(
        `connect → first reply through the tunnel:`,
        `  by hand (wireguard-go + wg + ip, as wg-quick)       ${ms(handTimes)}`,
        `  Burrow, from the request to the host (the app)      ${ms(requestTimes)}  ${verdict(median(requestTimes) / median(handTimes))}`,
        `  Burrow, from \`burrow connect\` (CLI start included) ${ms(cliTimes)}  ${verdict(median(cliTimes) / median(handTimes))}`,
        `  Burrow, from \`burrow-client connect\` (client-only) ${ms(clientOnlyTimes)}  ${verdict(median(clientOnlyTimes) / median(handTimes))}`,
        `  \`burrow connect --json\` until it answers connected: median ${median(commandTimes).toFixed(0)} ms`,
      );

      const apply = await firewallApplyTimes(burrow, lab, 100);
      lines.push(
        `firewall apply (policy change, verified), n=100: median ${median(apply.roundTrip).toFixed(1)} ms round trip, ${median(apply.inNetd).toFixed(1)} ms inside netd; p95 ${[...apply.roundTrip].sort((a, b) => a - b)[94]?.toFixed(1)} ms`,
      );

      await burrow.cliJson(['connect', 'lab']);
      await sleep(1000);
      const processes = clientProcesses(lab);
      // netd is whatever runs netd.mjs: `burrow netd` loads it in its own process (no launcher beside it).
      const netdProcesses = processes.filter((p) => p.cmdline.includes('netd.mjs') || p.cmdline.includes('burrow.mjs netd'));
      const netdMiB = netdProcesses.reduce((sum, p) => sum + rssMiB(p.pid), 0);
      const rss = (match: (cmdline: string) => boolean): string => {
        const proc = processes.find((p) => match(p.cmdline));
        return proc === undefined ? 'n/a' : `${rssMiB(proc.pid).toFixed(1)} MiB`;
      };
      lines.push(
        `RSS while connected: netd ${netdMiB.toFixed(1)} MiB in ${netdProcesses.length} process${netdProcesses.length === 1 ? '' : 'es'} (target: one process < 40 MiB: ${netdProcesses.length === 1 && netdMiB < 40 ? 'met' : 'MISSED'}), host ${rss((c) => c.includes('burrow.mjs host'))}, wireguard-go ${rss((c) => c.startsWith('wireguard-go'))}`,
      );
      await burrow.cliJson(['disconnect']);

      if (cycleCount > 0) {
        const result = await cycles(lab, burrow, cycleCount);
        lines.push(
          `${cycleCount} connect/disconnect cycles: ${result.dirty} left anything behind; median ${median(result.ms).toFixed(0)} ms per cycle, total ${(result.ms.reduce((a, b) => a + b, 0) / 1000).toFixed(1)} s`,
        );
      }
    } finally {
      await burrow.stop();
    }
  } finally {
    const report = await lab.stop();
    if (report.survivors.length + report.namespacesLeft.length > 0) lines.push(`lab teardown left ${JSON.stringify(report)}`);
  }
  return lines.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, cycles: { type: 'string', default: '0' } } });
  console.log(await benchWireguard(Math.max(1, Number(values.runs) || 5), Math.max(0, Number(values.cycles) || 0)));
}
