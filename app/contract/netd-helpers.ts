// netd's commands for the proxy networks' helpers on a desktop: a host running as a person cannot start
// nym-socks5-client or myst under Burrow's own uids (burrow-nym, burrow-dvpn), and system-wide mode needs
// exactly that (the kill switch lets only that uid out). netd does it for the person: it picks the program
// (from its own PATH or its own environment, never from a request), the uid, the home and the environment;
// the request names the helper and gives arguments, which are checked here against the command lines Burrow
// itself builds (app/networks/nym/client-argv.ts, app/networks/dvpn/daemon.ts), so no request can make netd
// run another program, another subcommand or a flag that reads or writes a file of its choosing.
//
// The helper's home is the helper's alone (0700). The one file the host changes there, the Nym client's
// config.toml (for the mixing delay; the client makes it 0600: common/config/src/lib.rs,
// save_formatted_config_to_file, nym-binaries-v2026.9-venaco), it reads and rewrites through netd
// (helperReadConfig, helperWriteConfig), which does it as the helper's user.
import { z } from 'zod';
import { BURROW_USERS, type BurrowUserName } from './system-wide.js';

export const NETD_HELPER_NAMES = ['nym', 'myst'] as const;
export type NetdHelperName = (typeof NETD_HELPER_NAMES)[number];

/** What netd runs for each, as whom, and the variable in netd's own environment that may name the program. */
export const NETD_HELPERS: Record<NetdHelperName, { program: string; user: BurrowUserName; envName: string; what: string }> = {
  nym: { program: 'nym-socks5-client', user: BURROW_USERS.nym, envName: 'BURROW_NYM_SOCKS5_CLIENT', what: 'The Nym client' },
  myst: { program: 'myst', user: BURROW_USERS.dvpn, envName: 'BURROW_MYST', what: 'The dVPN client (myst)' },
};

/** Where netd keeps the helpers' homes (one per helper and caller uid), kept across reboots. */
export const DEFAULT_NETD_HELPERS_DIR = '/var/lib/burrow-netd/helpers';
/** The longest a one-shot run (`--version`, `init`) may take before netd stops it. */
export const MAX_HELPER_RUN_MS = 180_000;
/** Lines netd keeps of a running helper for the host to read (the host reads every few hundred ms). */
export const HELPER_KEPT_LINES = 500;

const Arg = z.string().min(1).max(2048);
const Args = z.array(Arg).min(1).max(24);
const Helper = z.enum(NETD_HELPER_NAMES);

// Values of the flags Burrow passes, as narrow as what Burrow itself builds.
const NYM_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;
/** A Nym recipient: <client id key>.<client enc key>@<gateway id key>, base58. */
const NYM_RECIPIENT = /^[1-9A-HJ-NP-Za-km-z]{20,60}\.[1-9A-HJ-NP-Za-km-z]{20,60}@[1-9A-HJ-NP-Za-km-z]{20,60}$/;
const NYM_KEY = /^[1-9A-HJ-NP-Za-km-z]{20,60}$/;
const PORT = /^(?:[1-9]\d{0,3}|[1-5]\d{4}|6[0-4]\d{3}|65[0-4]\d{2}|655[0-2]\d|6553[0-5])$/;
const HTTP_URL_LIST = /^https?:\/\/[A-Za-z0-9.:[\]-]{1,255}(?::\d{1,5})?(?:\/[A-Za-z0-9._~/-]{0,200})?(?:,https?:\/\/[A-Za-z0-9.:[\]-]{1,255}(?::\d{1,5})?(?:\/[A-Za-z0-9._~/-]{0,200})?){0,7}$/;

function refuse(helper: NetdHelperName, args: readonly string[], why: string): never {
  throw new Error(`netd runs ${NETD_HELPERS[helper].program} only with the arguments Burrow gives it (${why}): ${JSON.stringify(args).slice(0, 200)}`);
}

/** `--flag value` pairs from `args`, each flag once, only those in `allowed` (each with its pattern). */
function flagValues(helper: NetdHelperName, args: readonly string[], allowed: Record<string, RegExp>, bare: readonly string[] = []): Map<string, string> {
  const seen = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const flag = args[i] ?? '';
    if (seen.has(flag)) refuse(helper, args, `${flag} twice`);
    if (bare.includes(flag)) {
      seen.set(flag, '');
      continue;
    }
    const pattern = allowed[flag];
    const value = args[i + 1];
    if (pattern === undefined) refuse(helper, args, `${flag} is not one of them`);
    if (value === undefined || !pattern.test(value)) refuse(helper, args, `a bad value for ${flag}`);
    seen.set(flag, value);
    i++;
  }
  return seen;
}

/**
 * Throws unless `args` is a command line Burrow builds for `helper`:
 * - nym: `--version`; `init --id ID --provider RECIPIENT [--gateway KEY] [--nym-apis URLS] -o json`;
 *   `--no-banner run --id ID --port PORT --host 127.0.0.1 [--no-cover]`.
 * - myst: the consumer proxy daemon, `--proxymode --consumer --proxy.bind.address=127.0.0.1
 *   --tequilapi.port=PORT --ui.enable=false daemon`.
 */
export function checkHelperArgs(helper: NetdHelperName, args: readonly string[]): void {
  if (helper === 'myst') {
    const [mode, consumer, bind, tequilapi, ui, command, ...rest] = args;
    const ok =
      mode === '--proxymode' &&
      consumer === '--consumer' &&
      bind === '--proxy.bind.address=127.0.0.1' &&
      /^--tequilapi\.port=\d{1,5}$/.test(tequilapi ?? '') &&
      PORT.test((tequilapi ?? '').split('=')[1] ?? '') &&
      ui === '--ui.enable=false' &&
      command === 'daemon' &&
      rest.length === 0;
    if (!ok) refuse(helper, args, 'the consumer proxy daemon on loopback, its web UI off');
    return;
  }
  if (args.length === 1 && args[0] === '--version') return;
  if (args[0] === 'init') {
    if (args.at(-2) !== '-o' || args.at(-1) !== 'json') refuse(helper, args, 'init ends with -o json');
    const flags = flagValues(helper, args.slice(1, -2), { '--id': NYM_ID, '--provider': NYM_RECIPIENT, '--gateway': NYM_KEY, '--nym-apis': HTTP_URL_LIST });
    if (!flags.has('--id') || !flags.has('--provider')) refuse(helper, args, 'init needs --id and --provider');
    return;
  }
  if (args[0] === '--no-banner' && args[1] === 'run') {
    const flags = flagValues(helper, args.slice(2), { '--id': NYM_ID, '--port': PORT, '--host': /^127\.0\.0\.1$/ }, ['--no-cover']);
    if (!flags.has('--id') || !flags.has('--port') || !flags.has('--host')) refuse(helper, args, 'run needs --id, --port and --host 127.0.0.1');
    return;
  }
  refuse(helper, args, 'only --version, init and run');
}

/** The schema-level form of checkHelperArgs, so a bad command line is refused as an invalid request. */
function checkedArgs(helper: NetdHelperName, args: readonly string[], ctx: z.RefinementCtx): void {
  try {
    checkHelperArgs(helper, args);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error), path: ['args'] });
  }
}

const HelperRequest = z.strictObject({ helper: Helper });
/** The Nym client's config: `<home>/.nym/socks5-clients/<clientId>/config/config.toml`. */
export const NymClientIdSchema = z.string().regex(NYM_ID, 'a Nym client id (letters, digits, "-", "_")');
/** Printable text and newlines: a TOML file, nothing that could end a line netd writes early. */
// eslint-disable-next-line no-control-regex -- control characters other than tab and newline are refused
const ConfigText = z.string().max(32_768).regex(/^[^\u0000-\u0008\u000b-\u001f\u007f]*$/, 'printable text');

/** The path of the Nym client's config inside its home (the same place nym-socks5-client keeps it). */
export function nymClientConfigPath(home: string, clientId: string): string {
  return `${home}/.nym/socks5-clients/${clientId}/config/config.toml`;
}
const HelperArgsRequest = z.strictObject({ helper: Helper, args: Args }).superRefine((value, ctx) => checkedArgs(value.helper, value.args, ctx));

export const HelperPrepareResultSchema = z.object({
  user: z.string(),
  uid: z.number().int(),
  gid: z.number().int(),
  /** The helper's HOME: its own, 0700 (the host never opens anything in it). */
  home: z.string(),
});
export type HelperPrepareResult = z.infer<typeof HelperPrepareResultSchema>;

const Exit = { code: z.number().int().nullable(), signal: z.string().nullable() };

export const HelperReadResultSchema = z.object({
  /** Lines printed after `after` (stdout and stderr, in order of arrival); older ones may have been dropped. */
  lines: z.array(z.string()),
  /** Pass as `after` next time. */
  next: z.number().int(),
  running: z.boolean(),
  ...Exit,
});
export type HelperReadResult = z.infer<typeof HelperReadResultSchema>;

function helperCommand<Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res, summary: string) {
  return { request, response, summary };
}

export const netdHelperCommands = {
  helperPrepare: helperCommand(HelperRequest, HelperPrepareResultSchema, "Make the helper's home for the caller and say who the helper runs as"),
  helperRun: helperCommand(
    z.strictObject({ helper: Helper, args: Args, timeoutMs: z.number().int().min(1000).max(MAX_HELPER_RUN_MS) }).superRefine((value, ctx) => checkedArgs(value.helper, value.args, ctx)),
    z.object({ ...Exit, lines: z.array(z.string()) }),
    'Run the helper to completion (--version, init) under its own user; its output and exit',
  ),
  helperStart: helperCommand(HelperArgsRequest, z.object({ pid: z.number().int(), uid: z.number().int(), user: z.string() }), 'Start the helper under its own user for the caller'),
  helperRead: helperCommand(z.strictObject({ helper: Helper, after: z.number().int().min(0) }), HelperReadResultSchema, "The helper's new lines and whether it runs"),
  helperStop: helperCommand(HelperRequest, z.object({ stopped: z.boolean() }), 'Stop the helper the caller started (its clean-stop signal, then SIGKILL)'),
  helperReadConfig: helperCommand(
    z.strictObject({ helper: z.literal('nym'), clientId: NymClientIdSchema }),
    z.object({ text: z.string() }),
    "The Nym client's config.toml in the caller's home, read as the helper's user",
  ),
  helperWriteConfig: helperCommand(
    z.strictObject({ helper: z.literal('nym'), clientId: NymClientIdSchema, text: ConfigText }),
    z.object({ written: z.literal(true) }),
    "Replace the Nym client's config.toml in the caller's home (written as the helper's user, 0600, by rename)",
  ),
};
