// netd's commands for system-wide Tor: start tor under its own uid with a torrc netd writes itself, stop
// it, say whether it runs. The host sends only checked data (bridge lines, authorities, allowlisted
// options, a *hashed* control password); netd adds every privileged line (User, directories, ports,
// transport programs) on its own, so no request can make tor run a program or write a file as root.
import { z } from 'zod';
import { SYSTEM_PORTS } from './system-wide.js';

/** The ports system-wide tor listens on (127.0.0.1), which the firewall's tor-system policy redirects to. */
export const TOR_SYSTEM_PORTS = { transPort: SYSTEM_PORTS.torTransPort, dnsPort: SYSTEM_PORTS.torDnsPort } as const;

/** The torrc options a Tor profile may carry (app/networks/tor/profile-options.ts checks their values). */
export const TOR_PROFILE_OPTION_NAMES = [
  'TestingTorNetwork',
  'PathsNeededToBuildCircuits',
  'ClientUseIPv4',
  'ClientUseIPv6',
  'ClientPreferIPv6ORPort',
  'ReachableAddresses',
  'EntryNodes',
  'MiddleNodes',
  'ExitNodes',
  'ExcludeNodes',
  'ExcludeExitNodes',
  'StrictNodes',
  'NumEntryGuards',
  'ConnectionPadding',
  'ReducedConnectionPadding',
  'CircuitBuildTimeout',
  'LearnCircuitBuildTimeout',
] as const;

/** One torrc value: printable ASCII, no quote, backslash or '#', no leading or trailing space. */
const TorrcValue = z
  .string()
  .min(1)
  .max(2048)
  .regex(/^[\x21\x24-\x5b\x5d-\x7e](?:[\x20\x21\x24-\x5b\x5d-\x7e]*[\x21\x24-\x5b\x5d-\x7e])?$/, 'printable ASCII without quotes, backslashes or "#"');

export const TorSystemStartRequestSchema = z.strictObject({
  /** The host's uid: the control socket's directory becomes its own (mode 0770, group of tor's user). */
  controllerUid: z.number().int().min(0).max(4_294_967_294),
  /** tor's HashedControlPassword; the password itself never leaves the host. */
  hashedControlPassword: z.string().regex(/^16:[0-9A-F]{58}$/, "a hashed control password in tor's 16:… form"),
  /** Names the data directory kept between runs (the profile, and the network it points at). */
  stateKey: z.string().regex(/^[a-z0-9][a-z0-9-]{0,79}$/, 'lower-case letters, digits and dashes'),
  socksPort: z.number().int().min(1024).max(65_535),
  useBridges: z.boolean(),
  /** Bridge lines without the `Bridge` keyword. */
  bridges: z.array(TorrcValue).max(64),
  /** `DirAuthority` values of a private Tor network. */
  dirAuthorities: z.array(TorrcValue.max(512)).max(16),
  options: z.partialRecord(z.enum(TOR_PROFILE_OPTION_NAMES), TorrcValue),
});
export type TorSystemStartRequest = z.infer<typeof TorSystemStartRequestSchema>;

export const TorSystemStatusSchema = z.object({
  running: z.boolean(),
  pid: z.number().int().nullable(),
  exitCode: z.number().int().nullable(),
  signal: z.string().nullable(),
  /** tor's last warning or error line, when it stopped on its own. */
  lastProblem: z.string().nullable(),
});
export type TorSystemStatus = z.infer<typeof TorSystemStatusSchema>;

function torCommand<Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res, summary: string) {
  return { request, response, summary };
}

export const netdTorCommands = {
  torSystemStart: torCommand(
    TorSystemStartRequestSchema,
    z.object({
      pid: z.number().int(),
      controlSocket: z.string(),
      /** Who owns the control socket (tor's uid): the host refuses a socket owned by anyone else. */
      torUid: z.number().int(),
      user: z.string(),
      socksPort: z.number().int(),
      transPort: z.number().int(),
      dnsPort: z.number().int(),
    }),
    'Start system-wide tor under its own uid (replacing a running one); answers once its control socket exists.',
  ),
  torSystemStop: torCommand(z.strictObject({}), z.object({ stopped: z.boolean() }), 'Stop system-wide tor.'),
  torSystemStatus: torCommand(z.strictObject({}), TorSystemStatusSchema, 'Whether system-wide tor runs, and how it stopped.'),
} as const;
