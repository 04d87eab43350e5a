// Smart connect benchmark (a printed report, not a timed test), per censor profile in the lab:
//   best by hand  — the person already knows which way gets through here and starts it: that way's
//                   time to connected (the fastest way that got through, measured in this run);
//   ladder by hand — the person tries WireGuard, then each obfuscation, then Tor, obfs4, in order, waiting
//                   for each to fail as Smart connect does (same time-outs): the sum until one works;
//   smart (first)  — walkLadder on a network it has not seen (equals the ladder by hand, minus nothing);
//   smart (again)  — walkLadder on the same network a second time: it starts at what worked.
// Targets from issue 16: smart ÷ best by hand ≤ 1.5, smart ÷ ladder by hand < 1 (both for "again").
// Run: node --import tsx tests/bench/smart-connect.ts [--runs N]
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openSmartMemory, walkLadder, type Rung } from '../../app/smart/index.js';
import { CENSOR_PROFILE_NAMES } from '../lab/censor-profiles.js';
import { startTransportServers } from '../lab/censor-transports.js';
import { attempt, WAYS, type Way } from '../lab/censor-ways.js';
import { startLab } from '../lab/lab.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '1' } } });
const runs = Number(values.runs);
const timeoutOf = (way: Way): number => (way.startsWith('tor') ? 25_000 : 8_000);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

const lab = await startLab({ log: (m) => process.stderr.write(`${m}\n`) });
const rows: string[] = [];
try {
  const transports = await startTransportServers(lab);
  const memory = openSmartMemory(mkdtempSync(join(lab.dir, 'smart-bench-')));
  for (const [n, profile] of CENSOR_PROFILE_NAMES.entries()) {
    await lab.censor.use(profile);
    const best: number[] = [];
    const ladder: number[] = [];
    const first: number[] = [];
    const again: number[] = [];
    for (let run = 0; run < runs; run += 1) {
      const byWay = new Map<Way, number>();
      for (const way of WAYS) {
        const a = await attempt(lab, way, { timeoutMs: timeoutOf(way), transports });
        if (a.through) byWay.set(way, a.ms);
      }
      best.push(Math.min(...byWay.values()));
      // The ladder by hand, from this run's own attempts: every rung before the first working one failed
      // after its full time-out.
      let sum = 0;
      for (const way of WAYS) {
        const ms = byWay.get(way);
        sum += ms ?? timeoutOf(way);
        if (ms !== undefined) break;
      }
      ladder.push(sum);
      const key = `mac:02:00:00:00:0${run % 10}:0${n + 1}`;
      // Timed like `best` and `ladder`: each attempt's own time to connected (or to giving up), summed.
      // (The first run of this bench timed the walk by wall clock, which also counted each attempt's
      // throttling probe and teardown, and so compared unlike things.)
      const walk = async (): Promise<number> => {
        let total = 0;
        const out = await walkLadder({
          goal: 'fastest', available: new Set<Rung>(WAYS), networkKey: key, memory,
          attempt: async (rung) => {
            const a = await attempt(lab, rung as Way, { timeoutMs: timeoutOf(rung as Way), transports });
            total += a.ms;
            return a.through;
          },
        });
        if (out.rung === undefined) throw new Error(`nothing got through under ${profile}`);
        return total;
      };
      first.push(await walk());
      again.push(await walk());
    }
    const [b, l, f, g] = [median(best), median(ladder), median(first), median(again)];
    rows.push([profile.padEnd(14), `${b}`.padStart(8), `${l}`.padStart(10), `${f}`.padStart(10), `${g}`.padStart(10),
      (g / b).toFixed(2).padStart(10), (g / l).toFixed(2).padStart(10), (f / b).toFixed(2).padStart(12)].join(' '));
    await lab.censor.clear();
  }
} finally {
  await lab.stop();
}
console.log(`Smart connect, ms (median of ${runs}); targets: again ÷ best ≤ 1.5, again ÷ ladder < 1`);
console.log(['profile'.padEnd(14), 'best'.padStart(8), 'ladder'.padStart(10), 'first'.padStart(10), 'again'.padStart(10), 'again/best'.padStart(10), 'again/ladd'.padStart(10), 'first/best'.padStart(12)].join(' '));
rows.forEach((r) => console.log(r));
