// The firewall policy: what the host asks netd to enforce. Every field is checked before it can reach the
// ruleset text, because that text is run as root: names, addresses and numbers only, nothing free-form.
import { isIP } from 'node:net';
import { z } from 'zod';
import { WG_LIMITS } from '../contract/netd.js';
import { BurrowError } from '../domain/errors.js';
import { isLanAddress } from './ranges.js';

/** Linux interface names (IFNAMSIZ 16 with the NUL); no quotes, spaces or `*` wildcards can reach nft. */
const InterfaceName = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{1,15}$/, 'an interface name is 1–15 letters, digits, "_", "." or "-"')
  .refine((name) => name !== '.' && name !== '..', 'an interface name cannot be "." or ".."');

/** A plain unicast-capable IP: no zone index, not the unspecified address. */
const IpAddress = z.string().refine((ip) => {
  if (ip.includes('%') || isIP(ip) === 0) return false;
  return ip !== '0.0.0.0' && !/^[0:]+$/.test(ip);
}, 'not an IP address');

const Port = z.number().int().min(1).max(65_535);
/** uid 0 is refused: exempting root would exempt every root daemon from the kill switch. */
const Uid = z.number().int().min(1).max(4_294_967_294);
const Protocol = z.enum(['udp', 'tcp']);

export const EndpointSchema = z.strictObject({ ip: IpAddress, port: Port, proto: Protocol });
export type FirewallEndpoint = z.infer<typeof EndpointSchema>;

export const OpenPolicySchema = z.strictObject({ kind: z.literal('open') });

/** Kill switch holding: connecting without a tunnel yet, disconnecting, error, lockdown. */
export const BlockPolicySchema = z.strictObject({ kind: z.literal('block'), allowLan: z.boolean() });

export const TunnelPolicySchema = z
  .strictObject({
    kind: z.literal('tunnel'),
    tunnelInterface: InterfaceName,
    /** The server(s) the tunnel's own socket talks to; only packets carrying `fwmark` may reach them. */
    endpoints: z.array(EndpointSchema).min(1).max(WG_LIMITS.peers),
    fwmark: z.number().int().min(1).max(0xffff_ffff),
    /** Resolvers reached through the tunnel; port 53 anywhere else is refused. */
    dnsServers: z.array(IpAddress).max(8),
    /** A custom resolver on the LAN (Mullvad's "custom DNS" case): needs allowLan and a private address. */
    lanDnsServers: z.array(IpAddress.refine(isLanAddress, 'a LAN DNS server must have a private address')).max(8).optional(),
    allowLan: z.boolean(),
    ipv6InTunnel: z.boolean(),
    /** 'none' while connecting: the interface exists but carries nothing until the handshake is done. */
    tunnelTraffic: z.enum(['all', 'none']).optional(),
    /** The tunnel's own addresses: packets for them arriving on another interface are dropped (CVE-2019-14899). */
    tunnelAddresses: z.array(IpAddress).max(WG_LIMITS.addresses).optional(),
    /**
     * WireGuard over an obfuscating transport: the endpoints are the helper's port on loopback, and only the
     * helper's uid may reach the transport server, at exactly this address, protocol and port.
     */
    transport: z.strictObject({ uid: Uid, ip: IpAddress, port: Port, proto: Protocol }).optional(),
  })
  .refine((policy) => policy.allowLan || (policy.lanDnsServers ?? []).length === 0, {
    message: 'lanDnsServers needs allowLan',
    path: ['lanDnsServers'],
  });

/** System-wide Tor (Tails-style): other uids' TCP to TransPort, their DNS to DNSPort, the rest refused. */
export const TorSystemPolicySchema = z
  .strictObject({
    kind: z.literal('tor-system'),
    torUid: Uid,
    transPort: Port,
    dnsPort: Port,
    allowLan: z.boolean().optional(),
  })
  .refine((policy) => policy.transPort !== policy.dnsPort, { message: 'transPort and dnsPort must differ', path: ['dnsPort'] });

export const GatewaySchema = z.strictObject({ ip: IpAddress, port: Port.optional(), proto: Protocol.optional() });

/** Nym or a dVPN behind a local SOCKS/HTTP proxy, reached through redsocks (issue 8). */
export const SocksRedirectPolicySchema = z
  .strictObject({
    kind: z.literal('socks-redirect'),
    /** The uid running the proxy client: the only one allowed out, and only to its gateways. */
    proxyUid: Uid,
    /** redsocks' listening port on 127.0.0.1. */
    redirectPort: Port,
    /** The local DNS stub that resolves through the proxy. */
    dnsStubPort: Port,
    allowedGateways: z.array(GatewaySchema).min(1).max(64),
    allowLan: z.boolean().optional(),
  })
  .refine((policy) => policy.redirectPort !== policy.dnsStubPort, { message: 'redirectPort and dnsStubPort must differ', path: ['dnsStubPort'] });

export const FirewallPolicySchema = z.union([
  OpenPolicySchema,
  BlockPolicySchema,
  TunnelPolicySchema,
  TorSystemPolicySchema,
  SocksRedirectPolicySchema,
]);
export type FirewallPolicy = z.infer<typeof FirewallPolicySchema>;
export type OpenPolicy = z.infer<typeof OpenPolicySchema>;
export type BlockPolicy = z.infer<typeof BlockPolicySchema>;
export type TunnelPolicy = z.infer<typeof TunnelPolicySchema>;
export type TorSystemPolicy = z.infer<typeof TorSystemPolicySchema>;
export type SocksRedirectPolicy = z.infer<typeof SocksRedirectPolicySchema>;

const SCHEMAS = {
  open: OpenPolicySchema,
  block: BlockPolicySchema,
  tunnel: TunnelPolicySchema,
  'tor-system': TorSystemPolicySchema,
  'socks-redirect': SocksRedirectPolicySchema,
} as const;

/** Check a policy from anywhere (a socket, a test); throws BurrowError('invalid_request') naming each bad field. */
export function validateFirewallPolicy(input: unknown): FirewallPolicy {
  const kind = typeof input === 'object' && input !== null ? (input as { kind?: unknown }).kind : undefined;
  const schema = typeof kind === 'string' && Object.hasOwn(SCHEMAS, kind) ? SCHEMAS[kind as keyof typeof SCHEMAS] : undefined;
  if (schema === undefined) {
    throw new BurrowError('invalid_request', `Unknown firewall policy kind; expected one of ${Object.keys(SCHEMAS).join(', ')}.`);
  }
  const result = schema.safeParse(input);
  if (!result.success) {
    // Paths and zod's messages only: a rejected value may be attacker-chosen text and is not echoed.
    const problems = result.error.issues.map((issue) => `${issue.path.map(String).join('.') || '(policy)'}: ${issue.message}`);
    throw new BurrowError('invalid_request', `Refused firewall policy (${String(kind)}): ${problems.join('; ')}.`, { problems });
  }
  return result.data;
}
