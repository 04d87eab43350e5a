// Nym benchmark (a printed report, not a timed test), in one lab run, through Burrow's host, against the
// STAND-IN client and lab mixnet: what the mixing delay costs in time to first byte. For each
// AveragePacketDelay (per hop) Burrow connects a proxy-mode profile and curl fetches the echo through the
// SOCKS port --samples times; the report sets the median against the model (3 hops each way, so about
// 6 × the mean per round trip, plus the stream opening). The stand-in draws delays as Sphinx does (the sender
// picks them per packet) but has no Poisson rate limiter: real throughput is far lower.
// Run: node --import tsx tests/bench/nym-latency.ts [--samples 20] [--delays 0,15,50]
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startBurrowInLab } from '../lab/burrow-in-lab.js';
import { startLab } from '../lab/lab.js';
import { startNymStandin } from '../lab/standins/install.js';

const { values } = parseArgs({ options: { samples: { type: 'string', default: '20' }, delays: { type: 'string', default: '0,15,50' } }, strict: true });
const samples = Number(values.samples);
const delays = values.delays.split(',').map(Number);
const quantile = (xs: number[], q: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))] ?? Number.NaN;

const lab = await startLab({ tor: false, vpn: false });
try {
  const nym = await startNymStandin(lab);
  const burrow = await startBurrowInLab(lab, { name: 'nym-bench', env: { BURROW_NYM_SOCKS5_CLIENT: nym.client } });
  const rows: string[] = [];
  for (const delay of delays) {
    const name = `delay-${delay}`;
    const file = join(burrow.dir, `${name}.nym`);
    writeFileSync(file, ['[nym]', `Provider = ${nym.exitAddress}`, `Gateway = ${nym.gateway.id}`, `AveragePacketDelay = ${delay}ms`, 'CoverTraffic = off', ''].join('\n'));
    await burrow.cli(['profile', 'import', file, '--name', name]);
    const { data } = await burrow.cliJson<{ state: string }>(['connect', name]);
    if (data.state !== 'connected') throw new Error(`connect ${name}: ${JSON.stringify(data)}`);
    const ttfb: number[] = [];
    for (let i = 0; i < samples; i++) {
      const { stdout } = await lab.exec('client', ['curl', '-sS', '--fail', '-o', '/dev/null', '-w', '%{time_starttransfer}', '--max-time', '20', '--socks5-hostname', '127.0.0.1:1080', `${lab.leakd.url}/json`]);
      ttfb.push(Number(stdout.trim()) * 1000);
    }
    const model = 6 * delay;
    rows.push(`${String(delay).padStart(4)} ms/hop   median ${quantile(ttfb, 0.5).toFixed(0).padStart(5)} ms   p95 ${quantile(ttfb, 0.95).toFixed(0).padStart(5)} ms   model ≥ ${model} ms per round trip`);
    await burrow.cliJson(['disconnect']);
  }
  process.stdout.write(`Nym stand-in, time to first byte through the SOCKS port (${samples} samples each):\n${rows.join('\n')}\n`);
  await burrow.stop();
  await nym.stop();
} finally {
  await lab.stop();
}
