// Lab benchmark (a printed report, not a timed test): lab up with every network ready (Tor consensus
// listing all relays, bridge bootstrapped), lab down, a fresh Tor client's bootstrap to 100% inside the
// lab (direct, and through the censor with the obfs4 bridge), and a hand-made WireGuard tunnel's first
// echo. Targets from issue 3: lab up < 60 s, Tor bootstrap < 20 s on a 2-core machine.
// Run: node --import tsx tests/bench/lab-bench.ts [--runs N]
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { echo } from '../lab/http.js';
import { startLab } from '../lab/lab.js';
import { startTorClient } from '../lab/tor-client.js';
import { wgQuickUp } from '../lab/wg-quick.js';

export interface LabBenchResult {
  name: string;
  unit: 'ms';
  samples: number[];
  target?: number;
}

const since = (t: number): number => Date.now() - t;

async function once(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  let left: number;
  let t = Date.now();
  const lab = await startLab({ tor: true, vpn: true });
  out.labUp = since(t);
  try {
    t = Date.now();
    const tor = startTorClient(lab);
    await tor.waitForBootstrap(120_000);
    out.torBootstrap = since(t);
    await tor.stop();

    await lab.censor.blockTor();
    t = Date.now();
    const bridged = startTorClient(lab, { bridges: [lab.tor?.bridgeLine ?? ''] });
    await bridged.waitForBootstrap(120_000);
    out.torBootstrapObfs4Censored = since(t);
    await bridged.stop();
    await lab.censor.clear();

    t = Date.now();
    const tunnel = await wgQuickUp(lab, 'client', lab.wireguard?.clientConf ?? '');
    const seen = await echo(lab);
    out.wireguardFirstEcho = since(t);
    if (seen.ip !== lab.addresses.vpn) throw new Error(`echo saw ${seen.ip} through WireGuard, expected ${lab.addresses.vpn}`);
    await tunnel.down();
  } finally {
    t = Date.now();
    const report = await lab.stop();
    out.labDown = since(t);
    left = report.survivors.length + report.namespacesLeft.length;
  }
  // A teardown that leaves things behind would make every later sample wrong.
  if (left > 0) throw new Error(`lab ${lab.prefix} left ${left} processes or namespaces behind`);
  return out;
}

const TARGETS: Record<string, number> = { labUp: 60_000, torBootstrap: 20_000 };
const LABELS: Record<string, string> = {
  labUp: 'lab up (all networks ready)',
  labDown: 'lab down',
  torBootstrap: 'Tor client bootstrap to 100%',
  torBootstrapObfs4Censored: 'Tor bootstrap via obfs4 bridge, relays censored',
  wireguardFirstEcho: 'WireGuard by hand: start to first echo',
};

export async function benchLab(runs = 1): Promise<LabBenchResult[]> {
  const samples: Record<string, number[]> = {};
  for (let i = 0; i < runs; i += 1) {
    for (const [k, v] of Object.entries(await once())) (samples[k] ??= []).push(v);
  }
  return Object.keys(LABELS)
    .filter((k) => samples[k] !== undefined)
    .map((k) => {
      const target = TARGETS[k];
      return { name: LABELS[k] ?? k, unit: 'ms' as const, samples: samples[k] ?? [], ...(target === undefined ? {} : { target }) };
    });
}

export function formatLabBench(results: LabBenchResult[]): string {
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
  const rows = results.map((r) => {
    const m = median(r.samples);
    const verdict = r.target === undefined ? '' : m <= r.target ? `  (target < ${r.target / 1000} s: met)` : `  (target < ${r.target / 1000} s: MISSED)`;
    return `${r.name.padEnd(50)} median ${(m / 1000).toFixed(2).padStart(6)} s   min ${(Math.min(...r.samples) / 1000).toFixed(2)} s   max ${(Math.max(...r.samples) / 1000).toFixed(2)} s   n=${r.samples.length}${verdict}`;
  });
  return ['Lab benchmark (noisy 2-core machine; compare runs on the same machine only)', ...rows].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '1' } } });
  const results = await benchLab(Math.max(1, Number(values.runs) || 1));
  console.log(formatLabBench(results));
}
