// `npm run bench`: every benchmark in this folder, one after another, each in its own Node process (a
// bench that fails or leaves state behind must not spoil the next one's numbers), their reports printed
// as they finish and the lines that carry a target gathered at the end. Needs root (the lab builds
// network namespaces) and the whole machine: on a shared machine run it as
// `flock /tmp/burrow-heavy.lock npm run bench`.
//   npm run bench                      every bench with its defaults
//   npm run bench -- --only tor,wireguard   some of them
//   npm run bench -- --quick           fewer runs and samples (a smoke run, not numbers to quote)
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

interface Bench {
  name: string;
  file: string;
  args: string[];
  quickArgs: string[];
}

const BENCHES: Bench[] = [
  { name: 'lab', file: 'lab-bench.ts', args: ['--runs', '1'], quickArgs: ['--runs', '1'] },
  { name: 'leaks', file: 'leaks-suite.ts', args: ['--runs', '5'], quickArgs: ['--runs', '1'] },
  { name: 'wireguard', file: 'wireguard-bench.ts', args: ['--runs', '5'], quickArgs: ['--runs', '1'] },
  { name: 'tor', file: 'tor-bench.ts', args: ['--runs', '3', '--samples', '30'], quickArgs: ['--runs', '1', '--samples', '5'] },
  { name: 'nym', file: 'nym-latency.ts', args: ['--samples', '20'], quickArgs: ['--samples', '3', '--delays', '0,15'] },
];

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');

function runOne(bench: Bench, quick: boolean): Promise<{ code: number; output: string; seconds: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, bench.file), ...(quick ? bench.quickArgs : bench.args)], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      output += chunk;
      process.stdout.write(chunk);
    });
    child.once('exit', (code, signal) => resolve({ code: code ?? (signal === null ? 1 : 128), output, seconds: (Date.now() - started) / 1000 }));
  });
}

const { values } = parseArgs({ options: { only: { type: 'string' }, quick: { type: 'boolean', default: false } }, strict: true });
const wanted = values.only === undefined ? BENCHES : BENCHES.filter((b) => values.only?.split(',').includes(b.name));
if (wanted.length === 0) {
  process.stderr.write(`--only takes a comma-separated list of ${BENCHES.map((b) => b.name).join(', ')}\n`);
  process.exit(2);
}
if (process.getuid?.() !== 0) {
  process.stderr.write('The benchmarks build network namespaces: run them as root (sudo npm run bench).\n');
  process.exit(2);
}

const summary: string[] = [];
let failed = 0;
for (const bench of wanted) {
  process.stdout.write(`\n=== ${bench.name} (tests/bench/${bench.file}) ===\n`);
  const result = await runOne(bench, values.quick);
  if (result.code !== 0) failed += 1;
  const targets = result.output.split('\n').filter((line) => /target/i.test(line));
  summary.push(`${bench.name}: ${result.code === 0 ? 'ran' : `FAILED (exit ${result.code})`} in ${result.seconds.toFixed(0)} s`, ...targets.map((line) => `  ${line.trim()}`));
}
process.stdout.write(`\n=== targets, side by side ===\n${summary.join('\n')}\n`);
process.exitCode = failed === 0 ? 0 : 1;
