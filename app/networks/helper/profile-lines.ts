// The line syntax of Burrow's Nym and dVPN profile files: an optional `[section]` header first, then
// `Key = value` lines (or `Key value`), `#` comments, blank lines. Every problem names its line. Keys are
// matched case-insensitively against a closed list: nothing unknown is ever passed on. The nym and dvpn
// parsers both read their files with it.
import { BurrowError } from '../../domain/errors.js';

export interface ProfileLine {
  line: number;
  key: string;
  value: string;
}

// eslint-disable-next-line no-control-regex -- a profile line must not carry control characters (tabs aside)
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;
const MAX_LINE = 1024;

export class ProfileProblems {
  constructor(
    private readonly kind: string,
    private readonly fileName: string | undefined,
  ) {}

  fail(line: number | undefined, message: string): never {
    const evidence: Record<string, unknown> = {};
    if (line !== undefined) evidence.line = line;
    if (this.fileName !== undefined) evidence.file = this.fileName;
    throw new BurrowError('invalid_profile', line === undefined ? `${this.kind} profile: ${message}` : `Line ${line}: ${message}`, evidence);
  }
}

function meaningful(text: string): { number: number; text: string }[] {
  return text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((raw, index) => ({ number: index + 1, text: raw.replace(/(^|\s)#.*$/, '').trim() }))
    .filter((line) => line.text.length > 0);
}

/** The first meaningful line, for cheap detection. */
export function firstLine(text: string): string {
  return meaningful(text)[0]?.text ?? '';
}

/**
 * Lines of a profile whose header (when present) is `[section]`. `keys` maps lower-case keys to their
 * canonical spelling; `repeatable` lists the canonical keys that may appear more than once.
 */
export function readProfileLines(text: string, section: string, keys: Record<string, string>, repeatable: readonly string[], problems: ProfileProblems): ProfileLine[] {
  const out: ProfileLine[] = [];
  const seen = new Map<string, number>();
  const lines = meaningful(text);
  if (lines.length === 0) problems.fail(undefined, 'the file is empty.');
  for (const [index, { number, text: line }] of lines.entries()) {
    if (CONTROL.test(line)) problems.fail(number, 'the line contains a control character.');
    if (line.length > MAX_LINE) problems.fail(number, `the line is longer than ${MAX_LINE} characters.`);
    if (line.startsWith('[')) {
      if (line.toLowerCase().replace(/\s+/g, '') !== `[${section}]`) problems.fail(number, `${line.slice(0, 40)} is not a section of this profile (only [${section}] is).`);
      if (index !== 0) problems.fail(number, `[${section}] must be the first line of the profile.`);
      continue;
    }
    const match = /^([A-Za-z][A-Za-z0-9]*)\s*(?:=\s*|\s+)(.*)$/.exec(line);
    if (match === null) problems.fail(number, `"${line.slice(0, 40)}" is not a "Key = value" line.`);
    const key = keys[(match[1] ?? '').toLowerCase()];
    if (key === undefined) {
      problems.fail(number, `"${(match[1] ?? '').slice(0, 40)}" is not a setting of this profile. It may set ${[...new Set(Object.values(keys))].join(', ')}.`);
    }
    const value = (match[2] ?? '').trim();
    if (value === '') problems.fail(number, `${key} needs a value.`);
    const before = seen.get(key);
    if (before !== undefined && !repeatable.includes(key)) problems.fail(number, `${key} is already set on line ${before}.`);
    seen.set(key, number);
    out.push({ line: number, key, value });
  }
  return out;
}

export function parseOnOff(value: string, key: string, line: number, problems: ProfileProblems): boolean {
  const v = value.toLowerCase();
  if (['on', 'true', 'yes', '1'].includes(v)) return true;
  if (['off', 'false', 'no', '0'].includes(v)) return false;
  return problems.fail(line, `${key} is on or off, not "${value.slice(0, 20)}".`);
}

export function parsePort(value: string, key: string, line: number, problems: ProfileProblems): number {
  const port = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  if (!(port >= 1024 && port <= 65_535)) problems.fail(line, `${key} takes a port number from 1024 to 65535 (the helper listens on 127.0.0.1 only).`);
  return port;
}

/** `15ms`, `0.05s`, `15` (ms) → milliseconds. */
export function parseDelayMs(value: string, key: string, line: number, problems: ProfileProblems): number {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s)?$/i.exec(value);
  if (match === null) problems.fail(line, `${key} is a delay such as 15ms or 0.05s, not "${value.slice(0, 20)}".`);
  const ms = match[2]?.toLowerCase() === 's' ? Number(match[1]) * 1000 : Number(match[1]);
  if (!(ms >= 0 && ms <= 1000)) problems.fail(line, `${key} must be between 0 and 1000 ms.`);
  return ms;
}

// eslint-disable-next-line no-control-regex -- names must not carry control characters
const CONTROL_ALL = /[\u0000-\u001f\u007f]/g;

export function suggestName(name: string | undefined, fileName: string | undefined, fallback: string): string {
  const fromName = (name ?? '').replace(CONTROL_ALL, ' ').trim();
  if (fromName !== '') return fromName.slice(0, 64);
  const base = (fileName ?? '').split(/[\\/]/).pop() ?? '';
  const fromFile = base.replace(/\.(conf|txt|ini|nym|dvpn|myst|profile)$/i, '').replace(CONTROL_ALL, ' ').trim().slice(0, 64).trim();
  return fromFile !== '' ? fromFile : fallback;
}
