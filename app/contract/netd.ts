// The protocol between the host and netd, Burrow's privileged helper: a short list of narrow commands, each
// with a request and a response schema, as JSON lines on a root-owned Unix socket. netd checks every request
// against these before acting and refuses everything else; the host checks every answer.
//
// The firewall policy travels as an opaque object here: the contract stays independent of app/firewall, and
// netd validates it with app/firewall's own schema (the one layer exception netd has, see eslint.config.js).
import { z } from 'zod';
import { ErrorInfoSchema } from '../domain/index.js';
import { netdHelperCommands } from './netd-helpers.js';
import { netdObfsCommands } from './netd-obfs.js';
import { netdPauseCommands } from './netd-pause.js';
import { netdRedirectCommands } from './netd-redirect.js';
import { netdTorCommands } from './netd-tor.js';

export * from './netd-helpers.js';
export * from './netd-obfs.js';
export * from './netd-pause.js';
export * from './netd-redirect.js';
export * from './netd-tor.js';
export * from './system-wide.js';

export const NETD_PROTOCOL_VERSION = 1;
/** netd's requests are small (a policy, a tunnel); anything larger is refused before it is parsed. */
export const MAX_NETD_MESSAGE_BYTES = 64 * 1024;
/**
 * Burrow's own fwmark for its tunnel's socket ("bu", the same number as its routing table, as wg-quick pairs
 * them). Not wg-quick's and NetworkManager's default 51820: a wg-quick tunnel next to Burrow's would share
 * the mark, and each one's `not fwmark` rule would let the other's packets skip its tunnel.
 */
export const BURROW_WG_FWMARK = 0x6275;
/** Burrow's routing table for a tunnel with a default route (not wg-quick's 51820). */
export const BURROW_WG_TABLE = 0x6275;
/**
 * What one tunnel may carry, agreed end to end: the profile parser refuses more at import, the firewall's
 * tunnel policy and netd's wgUp accept exactly this much, so a profile that imports can always be applied.
 */
export const WG_LIMITS = { addresses: 8, peers: 16, allowedIpsPerPeer: 64 } as const;

/** Only interfaces netd creates: a request can never name eth0, lo or someone else's tunnel. */
export const NetdInterfaceNameSchema = z
  .string()
  .regex(/^burrow[a-z0-9]{0,9}$/, 'netd manages only interfaces named "burrow" plus up to 9 lower-case letters or digits');

const Base64Key = z.string().regex(/^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/, 'a WireGuard key is 44 characters of base64 ending in "="');
const Ip = z.union([z.ipv4(), z.ipv6()]);
const Cidr = z.union([z.cidrv4(), z.cidrv6()]);
const Port = z.number().int().min(1).max(65_535);
const HostName = z.string().regex(/^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/, 'a DNS search domain');
/** 0 means "no mark"; 253–255 are the kernel's own routing tables (default, main, local). */
const MarkAndTable = z
  .number()
  .int()
  .min(1)
  .max(0xffff_ffff)
  .refine((value) => value < 253 || value > 255, 'routing tables 253–255 belong to the kernel');

const Empty = z.strictObject({});

export const WgPeerRequestSchema = z.strictObject({
  publicKey: Base64Key,
  presharedKey: Base64Key.optional(),
  /** Resolved by the host: netd never looks a name up (a resolver on the LAN could steer it). */
  endpoint: z.strictObject({ ip: Ip, port: Port }),
  allowedIps: z.array(Cidr).min(1).max(WG_LIMITS.allowedIpsPerPeer),
  persistentKeepalive: z.number().int().min(1).max(65_535).optional(),
});

export const WgUpRequestSchema = z.strictObject({
  ifname: NetdInterfaceNameSchema,
  privateKey: Base64Key,
  listenPort: z.number().int().min(1).max(65_535).optional(),
  /** The tunnel socket's mark, also used as the number of the tunnel's routing table (as wg-quick does). */
  fwmark: MarkAndTable,
  mtu: z.number().int().min(1280).max(9000),
  addresses: z.array(Cidr).min(1).max(WG_LIMITS.addresses),
  peers: z.array(WgPeerRequestSchema).min(1).max(WG_LIMITS.peers),
});
export type WgUpRequest = z.infer<typeof WgUpRequestSchema>;

export const WgPeerStatusSchema = z.object({
  publicKey: Base64Key,
  endpoint: z.string().optional(),
  /** Unix seconds; 0 until the first handshake. */
  lastHandshakeSec: z.number().int().nonnegative(),
  rxBytes: z.number().int().nonnegative(),
  txBytes: z.number().int().nonnegative(),
});

export const WgStatusSchema = z.object({
  ifname: NetdInterfaceNameSchema,
  /** The link exists in the kernel. */
  exists: z.boolean(),
  implementation: z.enum(['kernel', 'userspace']).nullable(),
  /** wireguard-go's process (userspace only): why it is gone, when it is. */
  process: z
    .object({ pid: z.number().int(), alive: z.boolean(), exitCode: z.number().int().nullable(), signal: z.string().nullable() })
    .nullable(),
  peers: z.array(WgPeerStatusSchema),
});
export type WgStatus = z.infer<typeof WgStatusSchema>;

export const FirewallStatusSchema = z.object({
  exists: z.boolean(),
  /** The kind of the policy netd last applied in this run ('none' if it applied nothing yet). */
  policyKind: z.string(),
  chains: z.record(z.string(), z.object({ policy: z.string().optional(), rules: z.number().int() })),
  counters: z.record(z.string(), z.object({ packets: z.number(), bytes: z.number() })),
  /** netd's watch on its own table (absent until it first had to act): how often it put the table back. */
  watch: z
    .object({
      repairs: z.number().int().nonnegative(),
      /** True while the last repair failed: the table is not as meant and netd could not put it back. */
      broken: z.boolean(),
      lastProblem: z.string().nullable(),
    })
    .optional(),
});
export type FirewallStatus = z.infer<typeof FirewallStatusSchema>;

/** The kill-switch probe may hold a tunnel paused this long at most; netd resumes it by itself after that. */
export const MAX_WG_PAUSE_MS = 30_000;

export const WgPauseResultSchema = z.object({
  ifname: NetdInterfaceNameSchema,
  paused: z.boolean(),
  /** The helper that was stopped (wireguard-go's pid), or null for a kernel interface (nothing to stop). */
  helperPid: z.number().int().nullable(),
  /** Address families whose tunnel routing rules were lifted while paused. */
  liftedFamilies: z.array(z.enum(['-4', '-6'])),
});

function netdCommand<Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res, summary: string) {
  return { request, response, summary };
}

export const netdCommands = {
  ping: netdCommand(Empty, z.object({ protocol: z.number().int(), version: z.string(), pid: z.number().int(), uptimeMs: z.number() }), 'Is netd there, and which version.'),
  applyFirewall: netdCommand(
    z.strictObject({ policy: z.record(z.string(), z.unknown()) }),
    z.object({ applied: z.string(), verified: z.literal(true), ms: z.number() }),
    'Replace table inet burrow with the ruleset of this policy in one atomic batch, then read it back.',
  ),
  clearFirewall: netdCommand(Empty, z.object({ cleared: z.literal(true) }), 'Remove table inet burrow (explicit only: netd never clears on its own).'),
  firewallStatus: netdCommand(Empty, FirewallStatusSchema, 'The table as nft reports it, with the named counters.'),
  wgUp: netdCommand(
    WgUpRequestSchema,
    z.object({ ifname: NetdInterfaceNameSchema, implementation: z.enum(['kernel', 'userspace']), ms: z.number() }),
    'Create and configure a WireGuard interface with wg-quick-style routing (replacing one of the same name).',
  ),
  wgDown: netdCommand(z.strictObject({ ifname: NetdInterfaceNameSchema }), z.object({ removed: z.boolean() }), 'Remove the interface, its rules and routes, and stop its process.'),
  wgStatus: netdCommand(z.strictObject({ ifname: NetdInterfaceNameSchema }), WgStatusSchema, 'Handshakes, bytes and the process of one interface.'),
  setDns: netdCommand(
    z.strictObject({ servers: z.array(Ip).min(1).max(8), search: z.array(HostName).max(6) }),
    z.object({ set: z.literal(true) }),
    'Point the system resolver at these servers (the first call keeps the original to restore).',
  ),
  restoreDns: netdCommand(Empty, z.object({ restored: z.boolean() }), 'Put back the resolver configuration setDns replaced.'),
  setLockdownFlag: netdCommand(
    z.strictObject({ lockdown: z.boolean(), allowLan: z.boolean() }),
    z.object({ lockdown: z.boolean(), changed: z.boolean() }),
    'Write (atomically, root 0644) or remove the lockdown flag the early-boot blocking unit reads.',
  ),
  wgPause: netdCommand(
    z.strictObject({ ifname: NetdInterfaceNameSchema, maxMs: z.number().int().min(100).max(MAX_WG_PAUSE_MS) }),
    WgPauseResultSchema,
    'Kill-switch probe: stop wireguard-go (SIGSTOP) and lift the tunnel routing rules, so only the firewall holds traffic in; resumed after maxMs at the latest.',
  ),
  wgResume: netdCommand(z.strictObject({ ifname: NetdInterfaceNameSchema }), WgPauseResultSchema, 'Put back what wgPause lifted and let wireguard-go run again.'),
  ...netdTorCommands,
  ...netdRedirectCommands,
  ...netdPauseCommands,
  ...netdObfsCommands,
  ...netdHelperCommands,
} as const;

export type NetdCommands = typeof netdCommands;
export type NetdCommandName = keyof NetdCommands;
export const NETD_COMMAND_NAMES = Object.keys(netdCommands) as NetdCommandName[];
export type NetdRequest<N extends NetdCommandName> = z.input<NetdCommands[N]['request']>;
export type ValidNetdRequest<N extends NetdCommandName> = z.output<NetdCommands[N]['request']>;
export type NetdResponse<N extends NetdCommandName> = z.output<NetdCommands[N]['response']>;

export function isNetdCommandName(value: unknown): value is NetdCommandName {
  return typeof value === 'string' && Object.hasOwn(netdCommands, value);
}

export const NetdRequestEnvelopeSchema = z.strictObject({
  id: z.number().int().nonnegative(),
  method: z.string().max(64),
  params: z.unknown().optional(),
});

export const NetdResponseEnvelopeSchema = z.union([
  z.object({ id: z.number().int().nonnegative().nullable(), ok: z.literal(true), result: z.unknown() }),
  z.object({ id: z.number().int().nonnegative().nullable(), ok: z.literal(false), error: ErrorInfoSchema }),
]);
export type NetdResponseEnvelope = z.infer<typeof NetdResponseEnvelopeSchema>;

/**
 * Evidence on a netd_unavailable that may mend itself: no socket, a refused or dropped connection — what a
 * host sees while systemd restarts netd. An attempt that fails so is retried (app/supervisor/backoff.ts);
 * an answer that is not netd's protocol is not.
 */
export const NETD_AWAY = { netd: 'away' } as const;
