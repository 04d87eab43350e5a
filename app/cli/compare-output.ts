// `burrow compare` as text: the measured numbers side by side (one line per network), the findings, and
// with --facts every privacy fact with its source. `--json` prints the contract's Comparison as it is.
import type { Comparison, ComparisonRow, MeasureAllResultInfo, MeasureProgressInfo } from '../contract/index.js';

const NOT_MEASURED = '—';

export function formatMs(value: number | null): string {
  if (value === null) return NOT_MEASURED;
  if (value >= 10_000) return `${(value / 1000).toFixed(1)} s`;
  return value < 10 ? `${value.toFixed(1)} ms` : `${Math.round(value)} ms`;
}

export function formatBps(value: number | null): string {
  if (value === null) return NOT_MEASURED;
  const mbit = value / 1e6;
  if (mbit >= 1000) return `${(mbit / 1000).toFixed(2)} Gbit/s`;
  return mbit >= 100 ? `${Math.round(mbit)} Mbit/s` : `${mbit.toFixed(1)} Mbit/s`;
}

function table(head: string[], body: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

function measuredCells(row: ComparisonRow, comparison: Comparison): string[] {
  const m = row.measured;
  const scale = comparison.privacyScale?.levels.length;
  const privacy = row.privacyRank === null || row.privacyRank === undefined ? NOT_MEASURED : `${row.privacyRank}${scale ? `/${scale - 1}` : ''}`;
  const throughput = m.throughputBps === null ? NOT_MEASURED : `${formatBps(m.throughputBps)}${m.throughputMethod ? ` (${m.throughputMethod})` : ''}`;
  return [
    row.label,
    privacy,
    formatMs(m.connectTimeMs),
    m.rttMedianMs === null ? NOT_MEASURED : `${formatMs(m.rttMedianMs)} / ${formatMs(m.rttP95Ms)}`,
    throughput,
    formatMs(m.bootstrapTimeMs),
    m.measuredAt ?? 'never',
  ];
}

export function formatComparison(comparison: Comparison, withFacts: boolean): string {
  const parts: string[] = [];
  parts.push(
    table(
      ['Network', 'Privacy', 'Connect', 'RTT median / p95', 'Download', 'Bootstrap', 'Measured at'],
      comparison.rows.map((row) => measuredCells(row, comparison)),
    ),
  );
  if (comparison.privacyScale) {
    parts.push(`Privacy: ${comparison.privacyScale.question.toLowerCase()} — ${comparison.privacyScale.levels.map((l) => `${l.rank} ${l.label}`).join('; ')}.`);
  }
  if (comparison.findings && comparison.findings.length > 0) parts.push(comparison.findings.join('\n'));
  if (comparison.rows.every((row) => row.measured.measuredAt === null)) parts.push('Nothing measured on this machine yet: burrow compare --measure');
  if (withFacts) {
    const labels = comparison.factLabels ?? [];
    for (const row of comparison.rows) {
      const lines = [`${row.label}`];
      for (const [key, fact] of Object.entries(row.facts)) {
        const label = labels.find((l) => l.key === key)?.label ?? key;
        lines.push(`  ${label}: ${fact.text}${fact.source ? ` <${fact.source}>` : ''}`);
      }
      parts.push(lines.join('\n'));
    }
  } else {
    parts.push('The privacy facts and their sources: burrow compare --facts (or --json).');
  }
  return parts.join('\n\n');
}

export function formatProgress(progress: MeasureProgressInfo): string {
  const where = progress.profileName ? ` ${progress.profileName}` : '';
  const percent = progress.percent === undefined ? '' : ` ${progress.percent}%`;
  return `[${progress.step}/${progress.of}]${where} ${progress.phase}${percent}: ${progress.message}`;
}

export function formatMeasureResult(result: MeasureAllResultInfo): string {
  const lines = [`${result.cancelled ? 'Cancelled' : 'Done'}: ${result.measurements.length} measurements stored.`];
  for (const skip of result.skipped) lines.push(`Skipped ${skip.profileId}: ${skip.reason}`);
  for (const leak of result.leaks ?? []) lines.push(`Leak tests on ${leak.profileId}: ${leak.passed} passed, ${leak.leaked} leaked, ${leak.notTested} not tested.`);
  for (const problem of result.problems) lines.push(`${problem.profileId ?? 'no profile'} ${problem.kind}: ${problem.message}`);
  return lines.join('\n');
}
