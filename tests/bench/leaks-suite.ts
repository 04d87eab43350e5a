// Leak-suite benchmark (a printed report, not a timed test): the full suite without the kill-switch probe,
// run inside the lab's client namespace, with no tunnel and through a hand-made WireGuard tunnel guarded by
// Burrow's kill-switch ruleset. Target from issue 6: under 3 s. "suite" is runLeakSuite's own wall time (what
// the host pays, in-process); "with start-up" adds node + tsx starting the runner in the namespace.
// Run: node --import tsx tests/bench/leaks-suite.ts [--runs N]
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { baselineFromVerdicts } from '../../app/leaks/index.js';
import { startLab } from '../lab/lab.js';
import {
  applyLabKillSwitch, clearLabFirewall, labWebrtc, labWireguardContext, runLeakSuiteIn, setLabResolver, type RunnerOutput,
} from '../lab/leak-runner.js';
import { wgQuickUp } from '../lab/wg-quick.js';

export interface LeakBenchResult {
  name: string;
  unit: 'ms';
  samples: number[];
  target?: number;
  /** Verdicts of the last run, test → verdict. */
  verdicts: Record<string, string>;
}

const TARGET_MS = 3000;

export async function benchLeakSuite(runs = 5): Promise<LeakBenchResult[]> {
  const lab = await startLab({ tor: false });
  const results: Record<string, LeakBenchResult> = {};
  const record = (name: string, ms: number, out: RunnerOutput, target?: number): void => {
    const r = (results[name] ??= { name, unit: 'ms', samples: [], verdicts: {}, ...(target !== undefined ? { target } : {}) });
    r.samples.push(ms);
    r.verdicts = Object.fromEntries(out.verdicts.map((v) => [v.test, v.verdict]));
  };
  try {
    const server = { leakServerUrl: lab.leakd.url, leakServerUrlV6: lab.leakd.urlV6 };
    let baseline;
    for (let i = 0; i < runs; i += 1) {
      const t = Date.now();
      const out = await runLeakSuiteIn(lab, { suite: { ...server, context: { network: null } }, webrtc: labWebrtc(lab) });
      record('no tunnel: suite', out.ms, out, TARGET_MS);
      record('no tunnel: with start-up', Date.now() - t, out);
      baseline = baselineFromVerdicts(out.verdicts);
    }
    const tunnel = await wgQuickUp(lab, 'client', lab.wireguard?.clientConf ?? '');
    try {
      await applyLabKillSwitch(lab, { ipv6InTunnel: true });
      await setLabResolver(lab, lab.addresses.publicResolver);
      for (let i = 0; i < runs; i += 1) {
        const t = Date.now();
        const out = await runLeakSuiteIn(lab, { suite: { ...server, context: labWireguardContext(lab, { baseline }) }, webrtc: labWebrtc(lab) });
        record('WireGuard + kill switch: suite', out.ms, out, TARGET_MS);
        record('WireGuard + kill switch: with start-up', Date.now() - t, out);
      }
    } finally {
      await clearLabFirewall(lab);
      await setLabResolver(lab, lab.addresses.ispResolver);
      await tunnel.down();
    }
  } finally {
    await lab.stop();
  }
  return Object.values(results);
}

export function formatLeakBench(results: LeakBenchResult[]): string {
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
  const rows = results.map((r) => {
    const m = median(r.samples);
    const verdict = r.target === undefined ? '' : `  (target < ${r.target / 1000} s: ${m <= r.target ? 'met' : 'MISSED'})`;
    return `${r.name.padEnd(40)} median ${(m / 1000).toFixed(2).padStart(5)} s   min ${(Math.min(...r.samples) / 1000).toFixed(2)} s   max ${(Math.max(...r.samples) / 1000).toFixed(2)} s   n=${r.samples.length}${verdict}`;
  });
  const verdicts = results
    .filter((r) => r.target !== undefined)
    .map((r) => `  ${r.name.replace(/: suite$/, '')}: ${Object.entries(r.verdicts).map(([t, v]) => `${t} ${v}`).join(', ')}`);
  return ['Leak suite benchmark (exitIp, dns, ipv6, webrtc, outOfTunnel; no kill-switch probe), in the lab', ...rows, 'Verdicts of the last run:', ...verdicts].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
  console.log(formatLeakBench(await benchLeakSuite(Math.max(1, Number(values.runs) || 5))));
}
