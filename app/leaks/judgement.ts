// A judgement is a verdict before the suite stamps it with the test, the network and the time: what the pure
// judging functions return, so they can be tested without a clock or a network.
import type { LeakVerdict } from '../domain/index.js';

export interface Judgement {
  verdict: LeakVerdict['verdict'];
  summary: string;
  evidence: Record<string, unknown>;
}

export const passed = (summary: string, evidence: Record<string, unknown> = {}): Judgement => ({ verdict: 'passed', summary, evidence });
export const leaked = (summary: string, evidence: Record<string, unknown> = {}): Judgement => ({ verdict: 'leaked', summary, evidence });
export const notTested = (summary: string, evidence: Record<string, unknown> = {}): Judgement => ({ verdict: 'not_tested', summary, evidence });

/** "a", "a and b", "a, b and c" */
export function listOf(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1] ?? ''}`;
}

export function errorText(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return typeof code === 'string' && !err.message.includes(code) ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
}
