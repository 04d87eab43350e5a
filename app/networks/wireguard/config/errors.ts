// Import errors for wg-quick files: one sentence a person can act on, the line it is about, and never a
// private or preshared key, even when the file is malformed in ways the parser did not foresee.
import { BurrowError } from '../../../domain/errors.js';

const SECRET_KEYS = new Set(['privatekey', 'presharedkey']);
/** Anything shaped like a key (or a long base64 blob) is hidden from messages, whatever key it sat under. */
const KEY_LIKE = /[A-Za-z0-9+/]{32,}={0,2}/g;
const HIDDEN = '[hidden]';

export class ConfigErrors {
  private readonly secrets: string[];

  /** Collects the raw secret values first, so a later error can be scrubbed of them whatever its text. */
  constructor(
    text: string,
    private readonly fileName?: string,
  ) {
    this.secrets = [];
    for (const raw of text.split(/\r?\n/)) {
      const line = stripComment(raw);
      const eq = line.indexOf('=');
      if (eq < 0) continue;
      const key = line.slice(0, eq).trim().toLowerCase();
      const value = line.slice(eq + 1).trim();
      if (SECRET_KEYS.has(key) && value.length >= 8) this.secrets.push(value);
    }
  }

  /** Throws `invalid_profile`; `line` is 1-based, or absent when the problem is the file as a whole. */
  fail(line: number | undefined, message: string, extra: Record<string, unknown> = {}): never {
    const text = line === undefined ? message : `Line ${line}: ${message}`;
    const evidence: Record<string, unknown> = { ...extra };
    if (line !== undefined) evidence.line = line;
    if (this.fileName !== undefined) evidence.file = this.fileName;
    throw new BurrowError('invalid_profile', this.redact(text), evidence);
  }

  redact(message: string): string {
    let result = message;
    for (const secret of this.secrets) result = result.split(secret).join(HIDDEN);
    return result.replace(KEY_LIKE, HIDDEN);
  }
}

/** wg and wg-quick both treat everything from `#` to the end of the line as a comment. */
export function stripComment(line: string): string {
  const hash = line.indexOf('#');
  return hash < 0 ? line : line.slice(0, hash);
}
