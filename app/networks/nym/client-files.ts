// What Burrow reads and writes around nym-socks5-client: the init summary (`init -o json`), the refusal of
// a second init, the log lines that matter, the debug delays in config.toml, and Burrow's own record of
// each client's gateway (the real client keeps it in a database Burrow does not read).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { NymProfileConfig } from './config.js';

// `address` is left out on purpose: upstream prints it as the Recipient's 96 raw bytes (a JSON array of
// numbers, common/nymsphinx/addressing/src/clients.rs); `client_address` is the same address as a string.
export const InitResultsSchema = z.object({
  id: z.string(),
  gateway_id: z.string(),
  gateway_listener: z.string(),
  client_address: z.string().optional(),
});
export type InitResults = z.infer<typeof InitResultsSchema>;

/**
 * The client id Burrow uses for a profile: a change of exit or gateway makes a new client, and so does a
 * new generation (Burrow retires a client whose gateway is gone: the real client keeps its gateway for good).
 */
export function clientIdFor(profileId: string, config: Pick<NymProfileConfig, 'provider' | 'gateway'>, generation = 0): string {
  const tag = createHash('sha256').update(`${config.provider}|${config.gateway ?? ''}`).digest('hex').slice(0, 8);
  return generation === 0 ? `burrow-${profileId}-${tag}` : `burrow-${profileId}-${tag}-g${generation}`;
}

export function clientPaths(home: string, id: string): { root: string; config: string } {
  const root = join(home, '.nym', 'socks5-clients', id);
  return { root, config: join(root, 'config', 'config.toml') };
}

/** The JSON object `init -o json` printed, among whatever else it wrote (stdout and stderr interleave). */
export function parseInitOutput(output: string): InitResults | undefined {
  for (const line of output.split('\n').reverse()) {
    const text = line.trim();
    if (!text.startsWith('{')) continue;
    try {
      const parsed = InitResultsSchema.safeParse(JSON.parse(text));
      if (parsed.success) return parsed.data;
    } catch {
      // not this line
    }
  }
  return undefined;
}

/** Both wordings the client has used for refusing a second init of the same id. */
export function saysAlreadyInitialised(output: string): boolean {
  return /already (been )?initiali[sz]ed/i.test(output);
}

export type ClientEvent =
  | { kind: 'startup-finished' }
  | { kind: 'listening'; host: string; port: number }
  | { kind: 'bind-failed'; text: string }
  | { kind: 'exit-failed'; connection: number; text: string }
  | { kind: 'gateway-lost'; text: string };

/** The lines of `run` Burrow acts on; everything else only goes to the log. */
export function classifyLine(line: string): ClientEvent | undefined {
  if (line.includes('Client startup finished!')) return { kind: 'startup-finished' };
  const listening = /Listening on (\S+?):(\d+)\s*$/.exec(line);
  if (listening !== null) return { kind: 'listening', host: listening[1] ?? '', port: Number(listening[2]) };
  if (/fail(ed)? to bind|Address already in use|could not bind/i.test(line)) return { kind: 'bind-failed', text: tail(line) };
  const exit = /Network requester failed on connection id (\d+)(?: with error)?:?\s*(.*)$/.exec(line);
  if (exit !== null) return { kind: 'exit-failed', connection: Number(exit[1]), text: (exit[2] ?? '').slice(0, 200) };
  if (GATEWAY_GONE.test(line) || (/(connection to|with) the gateway|gateway connection/i.test(line) && /(ERROR|lost|closed|fail)/i.test(line))) return { kind: 'gateway-lost', text: tail(line) };
  return undefined;
}

/** client-core's errors (common/client-core/src/error.rs) for a gateway that cannot be reached or is gone. */
const GATEWAY_GONE = /failed to establish connection to gateway|timed out while trying to establish gateway connection|gateway connection was abruptly closed|gateway client error \(|no gateway with id/i;

/** The message of a log line: after env_logger's `target >` or tracing's `file.rs:LINE:`. */
function tail(line: string): string {
  return line.replace(/^.*?(>|\.rs:\d+:)\s*/, '').slice(0, 200);
}

/**
 * config.toml with `key = value` set in `[section]` (the key added when missing, the section too). The
 * real template's keys are used; nothing else in the file changes.
 */
export function setTomlValue(text: string, section: string, key: string, value: string): string {
  const lines = text.split('\n');
  let start = lines.findIndex((line) => line.trim() === `[${section}]`);
  if (start < 0) {
    lines.push('', `[${section}]`, `${key} = ${value}`);
    return lines.join('\n');
  }
  let end = lines.findIndex((line, index) => index > start && /^\s*\[/.test(line));
  if (end < 0) end = lines.length;
  for (let i = start + 1; i < end; i++) {
    if (new RegExp(`^\\s*${key.replace(/\./g, '\\.')}\\s*=`).test(lines[i] ?? '')) {
      lines[i] = `${key} = ${value}`;
      return lines.join('\n');
    }
  }
  start += 1;
  lines.splice(start, 0, `${key} = ${value}`);
  return lines.join('\n');
}

/**
 * A Rust `Duration` as serde reads it from TOML: `{ secs = S, nanos = N }`. Since 1.1.56 the client's
 * `Traffic.average_packet_delay` has no humantime_serde, so '15ms' would be refused and the client not start.
 */
export function durationToml(ms: number): string {
  const secs = Math.floor(ms / 1000);
  const nanos = Math.round((ms - secs * 1000) * 1e6);
  return `{ secs = ${secs}, nanos = ${nanos} }`;
}

/** The client's config.toml text with the profile's mixing delay in it. */
export function withMixing(text: string, config: Pick<NymProfileConfig, 'averagePacketDelayMs'>): string {
  return setTomlValue(text, 'core.debug.traffic', 'average_packet_delay', durationToml(config.averagePacketDelayMs));
}

/** Puts the profile's mixing delay into the client's config.toml (its mode and owner stay). */
export function applyMixing(configFile: string, config: Pick<NymProfileConfig, 'averagePacketDelayMs'>): void {
  const before = readFileSync(configFile, 'utf8');
  const after = withMixing(before, config);
  if (after !== before) writeFileSync(configFile, after, { mode: statSync(configFile).mode & 0o777 });
}

/** Burrow's record of a client it initialised: which gateway (and so which address the kill switch allows). */
export class ClientRecords {
  constructor(private readonly dir: string) {}

  private file(id: string): string {
    return join(this.dir, `${id}.json`);
  }

  read(id: string): InitResults | undefined {
    const file = this.file(id);
    if (!existsSync(file)) return undefined;
    try {
      const parsed = InitResultsSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  write(results: InitResults): void {
    writeFileSync(this.file(results.id), JSON.stringify(results), { mode: 0o600 });
  }

  /** How many clients of this profile Burrow retired because their gateway was gone. */
  generation(profileId: string): number {
    try {
      const value = Number(readFileSync(join(this.dir, `${profileId}.generation`), 'utf8'));
      return Number.isInteger(value) && value >= 0 ? value : 0;
    } catch {
      return 0;
    }
  }

  /** The next connect of this profile initialises a new client (a new gateway). */
  retire(profileId: string): number {
    const next = this.generation(profileId) + 1;
    writeFileSync(join(this.dir, `${profileId}.generation`), String(next), { mode: 0o600 });
    return next;
  }
}

/** `ws://1.2.3.4:9000`, `wss://gw.example:443` → host and port. */
export function listenerEndpoint(listener: string): { host: string; port: number } | undefined {
  try {
    const url = new URL(listener);
    const port = url.port === '' ? (url.protocol === 'wss:' ? 443 : 80) : Number(url.port);
    return { host: url.hostname.replace(/^\[|\]$/g, ''), port };
  } catch {
    return undefined;
  }
}
