// Typed errors for the control port: tor's own status code and text are kept for the program, mapped to a
// Burrow error code for the UI. Secrets (password, cookie, hashes) are scrubbed from anything we keep.
import { BurrowError } from '../../../domain/errors.js';
import type { ErrorCode } from '../../../domain/errors.js';
import type { ControlReply } from './reply-parser.js';

export class TorControlError extends BurrowError {
  /** Tor's three-digit status code, e.g. 515 for bad authentication. */
  readonly torCode: number;
  /** Tor's reply text, secrets removed. */
  readonly torText: string;
  /** The command keyword (never its arguments, which may be secret). */
  readonly command: string;

  constructor(code: ErrorCode, message: string, torCode: number, torText: string, command: string) {
    super(code, message, { torCode, torText, command });
    this.name = 'TorControlError';
    this.torCode = torCode;
    this.torText = torText;
    this.command = command;
  }
}

function burrowCodeFor(torCode: number): ErrorCode {
  if (torCode === 514 || torCode === 515) return 'unauthorized';
  // 510 unrecognized command, 512 syntax, 513 unrecognized argument, 552 unrecognized entity,
  // 553 invalid configuration value, 555 unmanaged entity: the request was wrong, not tor.
  if ([510, 512, 513, 552, 553, 555].includes(torCode)) return 'invalid_request';
  return 'helper_failed';
}

/** Replaces every occurrence of each secret (and its hex form) with a marker. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length === 0) continue;
    for (const form of [secret, Buffer.from(secret, 'utf8').toString('hex')]) {
      out = out.split(form).join('[redacted]');
      out = out.split(form.toUpperCase()).join('[redacted]');
    }
  }
  return out;
}

/** The error for a non-2xx reply to `command`. */
export function replyError(command: string, reply: ControlReply, secrets: readonly string[] = []): TorControlError {
  const text = redact(reply.lines.map((line) => line.text).join(' / '), secrets);
  const human =
    reply.code === 515 || reply.code === 514
      ? `Tor refused the control-port credentials (${reply.code} ${text}). Check the password or cookie file.`
      : `Tor answered ${command} with ${reply.code} ${text}.`;
  return new TorControlError(burrowCodeFor(reply.code), human, reply.code, text, command);
}
