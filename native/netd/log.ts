// netd's log: one JSON line per event on stderr. Requests are logged by what they are (method, interface,
// outcome, time), never by their content; and as a last line of defence every message is scrubbed of
// anything shaped like a WireGuard key before it is written, whatever code produced it.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, string | number | boolean | null | undefined | string[]>;

/** 32 bytes in base64 (a key) or 64 hex digits (the UAPI's form of one). */
const KEY_LIKE = /[A-Za-z0-9+/]{42,}[A-Za-z0-9+/=]{2}|[0-9a-fA-F]{64}/g;
const MAX_TEXT = 500;

export function redact(text: string): string {
  const scrubbed = text.replace(KEY_LIKE, '[hidden]');
  return scrubbed.length > MAX_TEXT ? `${scrubbed.slice(0, MAX_TEXT)}…` : scrubbed;
}

export interface Logger {
  log(level: LogLevel, message: string, fields?: LogFields): void;
}

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export function createLogger(minLevel: LogLevel = 'info', write: (line: string) => void = (line) => process.stderr.write(line)): Logger {
  return {
    log(level, message, fields = {}) {
      if (RANK[level] < RANK[minLevel]) return;
      const clean: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(fields)) {
        if (value === undefined) continue;
        clean[key] = typeof value === 'string' ? redact(value) : Array.isArray(value) ? value.map(redact) : value;
      }
      write(`${JSON.stringify({ at: new Date().toISOString(), level, msg: redact(message), ...clean })}\n`);
    },
  };
}
