// Argument safety and QuotedString handling for the Tor control protocol. Every byte we put on the control
// socket passes through here: a CR or LF inside an argument would end the command line and let the rest
// run as a second command (the injection npm `tor-control` has), so such arguments never reach the wire.
import { BurrowError } from '../../../domain/errors.js';

const FORBIDDEN = /[\r\n\0]/;

/**
 * Throws `invalid_request` if `value` contains CR, LF or NUL. `what` names the argument in the error; the
 * value itself is never echoed, because it may be a password or a bridge line.
 */
export function assertSafeArgument(value: string, what: string): void {
  if (FORBIDDEN.test(value)) {
    throw new BurrowError('invalid_request', `The ${what} for the Tor control port contains a line break or NUL, which is never allowed.`, {
      argument: what,
    });
  }
}

// Keys, event names, signal names and the like are bare words on the command line; a space would smuggle a
// second argument in, so they get a stricter check than free-text values.
const KEYWORD = /^[A-Za-z0-9_]+$/;
const INFO_KEY = /^[A-Za-z0-9_\-./:$~=*<>@[\]]+$/;

export function assertKeyword(value: string, what: string): void {
  assertSafeArgument(value, what);
  if (!KEYWORD.test(value)) {
    throw new BurrowError('invalid_request', `The ${what} "${value}" is not a valid Tor keyword (letters, digits and _ only).`, { argument: what });
  }
}

/** GETINFO keys are paths like `ns/id/$FP` or `ip-to-country/1.2.3.4`: printable, no spaces, no quotes. */
export function assertInfoKey(value: string): void {
  assertSafeArgument(value, 'GETINFO key');
  if (!INFO_KEY.test(value)) {
    throw new BurrowError('invalid_request', `"${value}" is not a valid GETINFO key.`, { argument: 'GETINFO key' });
  }
}

/**
 * Encodes `value` as a control-spec QuotedString. Tor C-unescapes quoted values (`\n` becomes a newline in
 * SETCONF), so every backslash is doubled: what the caller wrote is exactly what tor stores.
 */
export function quoteString(value: string, what: string): string {
  assertSafeArgument(value, what);
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '\\': '\\', '"': '"', "'": "'" };

/**
 * Decodes a QuotedString starting at `start` (which must be a `"`). Returns the value and the index just
 * past the closing quote, or undefined if the string is unterminated. Handles the C escapes tor emits
 * (\n \t \r \\ \" \' and octal \NNN, hex \xHH); octal/hex bytes are collected then decoded as UTF-8.
 */
export function decodeQuoted(text: string, start: number): { value: string; end: number } | undefined {
  if (text[start] !== '"') return undefined;
  const bytes: number[] = [];
  const pushText = (s: string): void => {
    for (const b of Buffer.from(s, 'utf8')) bytes.push(b);
  };
  let i = start + 1;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === '"') return { value: Buffer.from(bytes).toString('utf8'), end: i + 1 };
    if (c !== '\\') {
      pushText(c);
      i += 1;
      continue;
    }
    const next = text[i + 1];
    if (next === undefined) return undefined;
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined) {
      pushText(simple);
      i += 2;
    } else if (next === 'x' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 2, i + 4))) {
      bytes.push(parseInt(text.slice(i + 2, i + 4), 16));
      i += 4;
    } else if (/^[0-7]{1,3}/.test(text.slice(i + 1))) {
      const octal = /^[0-7]{1,3}/.exec(text.slice(i + 1))?.[0] ?? '0';
      bytes.push(parseInt(octal, 8) & 0xff);
      i += 1 + octal.length;
    } else {
      // Unknown escape: keep the character, as tor's own unescaper does.
      pushText(next);
      i += 2;
    }
  }
  return undefined;
}

/** A value from a reply (`Key=Value` right-hand side): decoded if tor quoted it, verbatim otherwise. */
export function unquoteIfQuoted(raw: string): string {
  if (raw.length >= 2 && raw.startsWith('"')) {
    const decoded = decodeQuoted(raw, 0);
    if (decoded !== undefined && decoded.end === raw.length) return decoded.value;
  }
  return raw;
}

export interface ParsedArguments {
  /** Bare words in order, before/between the KEY=VALUE pairs. */
  readonly positional: string[];
  /** KEY=VALUE pairs; quoted values decoded. A repeated key keeps the last value. */
  readonly keyword: Record<string, string>;
}

/**
 * Splits a reply or event line into positional words and KEY=VALUE pairs, honouring QuotedStrings
 * (`SUMMARY="Loading relay descriptors"` is one pair, not three words).
 */
export function parseArguments(text: string): ParsedArguments {
  const positional: string[] = [];
  const keyword: Record<string, string> = {};
  let i = 0;
  while (i < text.length) {
    if (text[i] === ' ') {
      i += 1;
      continue;
    }
    if (text[i] === '"') {
      const quoted = decodeQuoted(text, i);
      if (quoted !== undefined) {
        positional.push(quoted.value);
        i = quoted.end;
        continue;
      }
    }
    const tokenStart = i;
    while (i < text.length && text[i] !== ' ' && text[i] !== '=') i += 1;
    if (text[i] !== '=' || i === tokenStart) {
      while (i < text.length && text[i] !== ' ') i += 1;
      positional.push(text.slice(tokenStart, i));
      continue;
    }
    const key = text.slice(tokenStart, i);
    i += 1;
    const quoted = text[i] === '"' ? decodeQuoted(text, i) : undefined;
    if (quoted !== undefined) {
      keyword[key] = quoted.value;
      i = quoted.end;
    } else {
      const valueStart = i;
      while (i < text.length && text[i] !== ' ') i += 1;
      keyword[key] = text.slice(valueStart, i);
    }
  }
  return { positional, keyword };
}
