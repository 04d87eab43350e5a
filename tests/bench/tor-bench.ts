// Tor benchmark (a printed report, not a timed test), in one lab run, through Burrow's host:
//   bootstrap: connect request → connected, cold (a new profile: empty data directory) against warm (the
//     same profile again: cached consensus, descriptors and guards), median of --runs each; target warm ÷
//     cold ≤ 0.3
//   time to first byte: curl to the echo server as an ordinary uid with no proxy settings (system-wide:
//     TransPort, and DNSPort for a name) against curl through the same tor's SocksPort, alternating,
//     median of --samples each; target system ÷ SOCKS ≤ 1.1
// Run: node --import tsx tests/bench/tor-bench.ts [--runs 5] [--samples 30]
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { connectControl } from '../../app/cli/control-client.js';
import { startBurrowInLab, type BurrowInLab } from '../lab/burrow-in-lab.js';
import { startLab, type Lab } from '../lab/lab.js';

const NOBODY = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--'];
const SOCKS = 9150;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const fmt = (ms: number): string => `${ms.toFixed(0)} ms`;

function profile(lab: Lab, mode: 'proxy' | 'system'): string {
  return ['[tor]', `Mode ${mode}`, `SocksPort ${SOCKS}`, ...lab.tor!.dirAuthorityLines, 'TestingTorNetwork 1', 'PathsNeededToBuildCircuits 0.67', ''].join('\n');
}

async function importProfile(burrow: BurrowInLab, lab: Lab, name: string, mode: 'proxy' | 'system'): Promise<void> {
  const file = join(burrow.dir, `${name}.conf`);
  writeFileSync(file, profile(lab, mode), { mode: 0o600 });
  const { code } = await burrow.cliJson(['profile', 'import', file, '--name', name]);
  if (code !== 0) throw new Error(`could not import ${name}`);
}

/** From the connect request reaching the host's control socket to `connected` (what the Connect button costs). */
async function connectMs(burrow: BurrowInLab, name: string): Promise<number> {
  const control = await connectControl(burrow.controlSocket);
  try {
    const started = performance.now();
    const state = await control.client.connect({ profile: name });
    const ms = performance.now() - started;
    if (state.state !== 'connected') throw new Error(`connect ${name} answered ${JSON.stringify(state)}`);
    return ms;
  } finally {
    control.close();
  }
}

interface Timing {
  /** Name looked up (curl's time_namelookup), TCP connected, request about to be sent, first byte: ms from start. */
  lookup: number;
  connect: number;
  pretransfer: number;
  ttfb: number;
}

async function timing(lab: Lab, url: string, socks: boolean): Promise<Timing> {
  const format = '%{time_namelookup} %{time_connect} %{time_pretransfer} %{time_starttransfer}';
  const argv = ['curl', '-sS', '--fail', '-o', '/dev/null', '--max-time', '20', '-w', format, ...(socks ? ['--socks5-hostname', `127.0.0.1:${SOCKS}`] : []), url];
  const { stdout } = await lab.exec('client', [...NOBODY, ...argv], { timeoutMs: 30_000 });
  const [lookup = NaN, connect = NaN, pretransfer = NaN, ttfb = NaN] = stdout.trim().split(/\s+/).map((t) => Number(t) * 1000);
  return { lookup, connect, pretransfer, ttfb };
}

async function ttfbMs(lab: Lab, url: string, socks: boolean): Promise<number> {
  return (await timing(lab, url, socks)).ttfb;
}

/** Where the time goes: the median of each phase, so a gap shows up where it is (lookup, connect, or after the request). */
function phases(samples: Timing[]): string {
  const m = (pick: (t: Timing) => number): string => median(samples.map(pick)).toFixed(1);
  return `lookup ${m((t) => t.lookup)}, connected ${m((t) => t.connect)}, request sent ${m((t) => t.pretransfer)}, first byte ${m((t) => t.ttfb)} ms`;
}

export async function benchTor(runs: number, samples: number): Promise<string> {
  const lines: string[] = [];
  const lab = await startLab({ tor: true, vpn: false });
  try {
    const burrow = await startBurrowInLab(lab, { name: 'tor-bench' });
    try {
      const cold: number[] = [];
      const warm: number[] = [];
      for (let i = 0; i < runs; i += 1) {
        const name = `bench-${i}`;
        await importProfile(burrow, lab, name, 'proxy');
        cold.push(await connectMs(burrow, name));
        await burrow.cliJson(['disconnect']);
        warm.push(await connectMs(burrow, name));
        await burrow.cliJson(['disconnect']);
      }
      lines.push(
        `bootstrap (request → connected, proxy mode, ${runs} runs): cold median ${fmt(median(cold))} [${cold.map(fmt).join(', ')}], warm median ${fmt(median(warm))} [${warm.map(fmt).join(', ')}]; warm ÷ cold = ${(median(warm) / median(cold)).toFixed(2)} (target ≤ 0.3)`,
      );

      await importProfile(burrow, lab, 'bench-system', 'system');
      await connectMs(burrow, 'bench-system');
      const byIp = `${lab.leakd.url}/json`;
      for (const [label, url] of [['an IP address', byIp], ['a name (DNSPort vs the exit)', `http://ttfb.${lab.leakd.zone}/json`]] as const) {
        const systemRuns: Timing[] = [];
        const socksRuns: Timing[] = [];
        // Warm-up: circuits built, the name cached, so both sides start equal.
        await ttfbMs(lab, url, false);
        await ttfbMs(lab, url, true);
        for (let i = 0; i < samples; i += 1) {
          systemRuns.push(await timing(lab, url, false));
          socksRuns.push(await timing(lab, url, true));
        }
        const system = systemRuns.map((t) => t.ttfb);
        const socks = socksRuns.map((t) => t.ttfb);
        lines.push(
          `time to first byte to ${label}, ${samples} alternating samples: system-wide median ${median(system).toFixed(1)} ms, SocksPort ${median(socks).toFixed(1)} ms; system ÷ SOCKS = ${(median(system) / median(socks)).toFixed(3)} (target ≤ 1.1)`,
          `  phases, system-wide: ${phases(systemRuns)}`,
          `  phases, SocksPort:   ${phases(socksRuns)}`,
        );
      }
      await burrow.cliJson(['disconnect']);
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
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, samples: { type: 'string', default: '30' } } });
  console.log(await benchTor(Math.max(1, Number(values.runs) || 5), Math.max(1, Number(values.samples) || 30)));
}
