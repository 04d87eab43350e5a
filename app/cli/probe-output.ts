// `burrow probe` and `burrow connect --smart` as text: one line per path or rung, the verdict first.
import type { ProbeVerdict, SmartConnectResult } from '../contract/probe.js';

const MARK: Record<ProbeVerdict['outcome'], string> = { reachable: 'OK     ', blocked: 'BLOCKED', unreachable: 'DOWN   ', untested: '-      ' };

export function formatProbe(verdicts: readonly ProbeVerdict[]): string {
  if (verdicts.length === 0) return 'No profiles to probe. Import one first: burrow profile import FILE';
  return verdicts.map((v) => `${MARK[v.outcome]} ${v.profile.padEnd(16)} ${v.transport.padEnd(14)} ${v.sentence}`).join('\n');
}

/** `burrow connect --smart`: the ladder as it was walked, then the outcome. */
export function formatSmart(result: SmartConnectResult): string {
  const lines = result.steps.filter((s) => s.status !== 'trying').map((s) => `${s.status === 'through' ? '✓' : '✗'} ${s.index + 1}/${s.of} ${s.sentence}${s.ms === undefined ? '' : ` (${(s.ms / 1000).toFixed(1)} s)`}`);
  return [...lines, result.sentence].join('\n');
}
