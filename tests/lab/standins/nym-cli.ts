// STAND-IN: the command-line surface of nym-socks5-client 1.1.76 as clap builds it from upstream's
// structs (nymtech/nym nym-binaries-v2026.9-venaco: clients/socks5/src/commands/mod.rs `Cli`, init.rs
// `Init` + client-core's CommonClientInitArgs, run.rs `Run` + CommonClientRunArgs). Global flags come before
// the subcommand; a flag of another level, an unknown flag or a missing required one is clap's error on
// stderr with exit code 2. Shared by the stand-in and the conformance tests so both speak of one surface.

type Kind = 'value' | 'bool';
interface Level {
  name: string;
  flags: Record<string, Kind>;
  short: Record<string, string>;
  required: string[];
}

const TOP: Level = { name: 'nym-socks5-client', flags: { 'config-env-file': 'value', 'no-banner': 'bool', help: 'bool', version: 'bool' }, short: { c: 'config-env-file', h: 'help', V: 'version' }, required: [] };

const COMMON_INIT: Record<string, Kind> = { id: 'value', gateway: 'value', 'force-tls-gateway': 'bool', 'latency-based-selection': 'bool', 'nyxd-urls': 'value', 'nym-apis': 'value', 'custom-mixnet': 'value', 'enabled-credentials-mode': 'value', 'minimum-gateway-performance': 'value', fastmode: 'bool', 'no-cover': 'bool', 'stats-reporting-address': 'value', 'forget-me': 'bool' };
const COMMON_RUN: Record<string, Kind> = { id: 'value', gateway: 'value', 'nyxd-urls': 'value', 'nym-apis': 'value', 'custom-mixnet': 'value', 'enabled-credentials-mode': 'value', fastmode: 'bool', 'no-cover': 'bool', 'stats-reporting-address': 'value', 'forget-me': 'bool' };

const COMMANDS: Record<string, Level> = {
  init: { name: 'init', flags: { ...COMMON_INIT, provider: 'value', 'use-reply-surbs': 'value', port: 'value', host: 'value', output: 'value', help: 'bool' }, short: { p: 'port', o: 'output', h: 'help' }, required: ['id', 'provider'] },
  run: { name: 'run', flags: { ...COMMON_RUN, 'use-anonymous-replies': 'value', provider: 'value', port: 'value', host: 'value', 'medium-toggle': 'bool', outfox: 'bool', help: 'bool' }, short: { p: 'port', h: 'help' }, required: ['id'] },
};

export type ClapResult =
  | { ok: true; global: Record<string, string | true>; command: string | undefined; flags: Record<string, string | true> }
  | { ok: false; code: 2; stderr: string };

function usage(level: Level): string {
  if (level === TOP) return 'Usage: nym-socks5-client [OPTIONS] <COMMAND>';
  return `Usage: nym-socks5-client ${level.name} [OPTIONS]${level.required.map((flag) => ` --${flag} <${flag.toUpperCase().replace(/-/g, '_')}>`).join('')}`;
}

function error(level: Level, message: string, tip?: string): ClapResult {
  return { ok: false, code: 2, stderr: `error: ${message}\n\n${tip === undefined ? '' : `  tip: ${tip}\n\n`}${usage(level)}\n\nFor more information, try '--help'.\n` };
}

function parseLevel(level: Level, args: string[], stopAtCommand: boolean): { flags: Record<string, string | true>; rest: string[] } | ClapResult {
  const flags: Record<string, string | true> = {};
  let i = 0;
  for (; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (!arg.startsWith('-')) {
      if (stopAtCommand) break;
      return error(level, `unexpected argument '${arg}' found`);
    }
    const long = /^--([a-z0-9-]+)(?:=(.*))?$/.exec(arg);
    const name = long?.[1] ?? level.short[arg.slice(1)];
    const kind = name === undefined ? undefined : level.flags[name];
    if (name === undefined || kind === undefined) return error(level, `unexpected argument '${arg}' found`, `to pass '${arg}' as a value, use '-- ${arg}'`);
    if (kind === 'bool') flags[name] = true;
    else {
      const value = long?.[2] ?? args[++i];
      if (value === undefined) return error(level, `a value is required for '--${name} <${name.toUpperCase().replace(/-/g, '_')}>' but none was supplied`);
      flags[name] = value;
    }
  }
  return { flags, rest: args.slice(i) };
}

/** argv (without the program name) as clap would take it, or clap's refusal. */
export function parseNymCli(argv: readonly string[]): ClapResult {
  const top = parseLevel(TOP, [...argv], true);
  if ('ok' in top) return top;
  if (top.flags.help === true || top.flags.version === true) return { ok: true, global: top.flags, command: undefined, flags: {} };
  const [command, ...rest] = top.rest;
  if (command === undefined) return error(TOP, "'nym-socks5-client' requires a subcommand but one was not provided");
  const level = COMMANDS[command];
  if (level === undefined) return error(TOP, `unrecognized subcommand '${command}'`);
  const parsed = parseLevel(level, rest, false);
  if ('ok' in parsed) return parsed;
  const missing = level.required.filter((flag) => parsed.flags[flag] === undefined);
  if (missing.length > 0 && parsed.flags.help !== true) {
    return error(level, `the following required arguments were not provided:\n  ${missing.map((flag) => `--${flag} <${flag.toUpperCase().replace(/-/g, '_')}>`).join('\n  ')}`);
  }
  return { ok: true, global: top.flags, command, flags: parsed.flags };
}
