// How the CLI answers: one JSON document with --json, readable text otherwise; errors the same way.
import { toErrorInfo, type ErrorInfo } from '../domain/index.js';

export const EXIT = { ok: 0, failed: 1, usage: 2, unreachable: 3 } as const;

export class UsageError extends Error {}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function exitCodeFor(error: ErrorInfo): number {
  if (error.code === 'host_unreachable') return EXIT.unreachable;
  return EXIT.failed;
}

/** Print an error (JSON on stdout with --json, a sentence on stderr otherwise) and return the exit code. */
export function reportError(error: unknown, json: boolean): number {
  if (error instanceof UsageError) {
    if (json) printJson({ error: { code: 'invalid_request', message: error.message } });
    else process.stderr.write(`burrow: ${error.message}\nSee: burrow --help\n`);
    return EXIT.usage;
  }
  const info = toErrorInfo(error);
  if (json) printJson({ error: info });
  else process.stderr.write(`burrow: ${info.message}\n`);
  return exitCodeFor(info);
}
