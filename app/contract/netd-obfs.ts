// netd's commands for WireGuard over an obfuscating transport: start the transport helper (shadowsocks-libev's
// ss-tunnel, or v2ray for VLESS over WebSocket+TLS) under Burrow's own helper uid, stop it, say whether it
// runs. The host sends typed fields only (server, method, secret, the WireGuard endpoint it relays to); netd
// writes the helper's config itself from them with transportHelperPlan() below, picks the program, the uid
// and the local port, so no request can make root run another program or write a file of its choosing.
// The firewall's tunnel policy then lets exactly this uid reach exactly the transport server (`transport`).
import { z } from 'zod';
import { BURROW_USERS } from './system-wide.js';

/** Burrow's own account for transport helpers: the one uid the tunnel policy lets reach the transport server. */
export const OBFS_HELPER_USER = BURROW_USERS.obfs;
/** Where the helper listens on 127.0.0.1 for WireGuard's UDP; the peer's endpoint points here. */
export const OBFS_LOCAL_PORT = 51_900;

/** AEAD only: the stream ciphers are detectable (and shadowsocks-libev deprecates them). */
export const SHADOWSOCKS_METHODS = ['chacha20-ietf-poly1305', 'xchacha20-ietf-poly1305', 'aes-256-gcm', 'aes-128-gcm'] as const;
export type ShadowsocksMethod = (typeof SHADOWSOCKS_METHODS)[number];

const Ip = z.union([z.ipv4(), z.ipv6()]);
const Port = z.number().int().min(1).max(65_535);
const Address = z.strictObject({ ip: Ip, port: Port });
const HostName = z.string().regex(/^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/, 'a host name');
// eslint-disable-next-line no-control-regex -- a secret is printable text; control characters are refused
const Secret = z.string().min(1).max(256).regex(/^[^\u0000-\u001f\u007f]+$/, 'printable text');

export const ObfsStartRequestSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('shadowsocks'),
    server: Address,
    method: z.enum(SHADOWSOCKS_METHODS),
    password: Secret,
    /** The WireGuard server the helper relays WireGuard's datagrams to (through the transport server). */
    target: Address,
  }),
  z.strictObject({
    type: z.literal('vless-ws-tls'),
    server: Address,
    id: z.uuid(),
    path: z.string().regex(/^\/[A-Za-z0-9._~/-]{0,100}$/, 'a URL path such as /ws'),
    serverName: HostName,
    /** The provider's own CA (PEM), trusted for this connection only; absent: the system's roots. */
    caPem: z.string().max(16_384).startsWith('-----BEGIN CERTIFICATE-----').optional(),
    target: Address,
  }),
]);
export type ObfsStartRequest = z.infer<typeof ObfsStartRequestSchema>;

export const ObfsStartResultSchema = z.object({
  pid: z.number().int(),
  program: z.string(),
  uid: z.number().int(),
  user: z.string(),
  localPort: z.number().int(),
});

export const ObfsStatusSchema = z.object({
  running: z.boolean(),
  pid: z.number().int().nullable(),
  exitCode: z.number().int().nullable(),
  signal: z.string().nullable(),
  lastProblem: z.string().nullable(),
});
export type ObfsStatus = z.infer<typeof ObfsStatusSchema>;

/** A transport as the plan needs it: the server may still be a name where a test passes one through. */
export type TransportSpec =
  | { type: 'shadowsocks'; server: { ip: string; port: number }; method: ShadowsocksMethod; password: string; target: { ip: string; port: number } }
  | { type: 'vless-ws-tls'; server: { ip: string; port: number }; id: string; path: string; serverName: string; target: { ip: string; port: number } };

export const CONFIG_PLACEHOLDER = '{config}';

export interface TransportHelperPlan {
  /** Program and arguments; `{config}` stands for the config file's path. */
  argv: string[];
  /** Contents of the config file (0600 or 0400: it holds the secret, never argv). */
  config: string;
}

const hostPort = (a: { ip: string; port: number }): string => `${a.ip.includes(':') ? `[${a.ip}]` : a.ip}:${a.port}`;

/** The helper's argv and config: WireGuard talks to 127.0.0.1:<localPort>, the helper relays to `target`. */
export function transportHelperPlan(spec: TransportSpec, localPort: number, caFile?: string): TransportHelperPlan {
  if (!Number.isInteger(localPort) || localPort < 1024 || localPort > 65535) throw new Error(`local port out of range: ${localPort}`);
  if (spec.type === 'shadowsocks') {
    const config = JSON.stringify({
      server: spec.server.ip,
      server_port: spec.server.port,
      local_address: '127.0.0.1',
      local_port: localPort,
      password: spec.password,
      method: spec.method,
      timeout: 60,
      mode: 'udp_only',
    }, null, 2);
    // ss-tunnel: -U relays UDP only (WireGuard has no TCP); -L is where ss-server sends the datagrams on.
    return { argv: ['ss-tunnel', '-c', CONFIG_PLACEHOLDER, '-U', '-L', hostPort(spec.target)], config };
  }
  const tlsSettings: Record<string, unknown> = { serverName: spec.serverName, allowInsecure: false };
  // A provider's own CA (or the lab's) is trusted for this connection only, never added system-wide.
  if (caFile !== undefined) tlsSettings.certificates = [{ usage: 'verify', certificateFile: caFile }];
  const config = JSON.stringify({
    log: { loglevel: 'warning' },
    inbounds: [{
      listen: '127.0.0.1', port: localPort, protocol: 'dokodemo-door',
      settings: { address: spec.target.ip, port: spec.target.port, network: 'udp' },
    }],
    outbounds: [{
      protocol: 'vless',
      settings: { vnext: [{ address: spec.server.ip, port: spec.server.port, users: [{ id: spec.id, encryption: 'none' }] }] },
      streamSettings: { network: 'ws', security: 'tls', tlsSettings, wsSettings: { path: spec.path, headers: { Host: spec.serverName } } },
    }],
  }, null, 2);
  return { argv: ['v2ray', '-config', CONFIG_PLACEHOLDER], config };
}

function obfsCommand<Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res, summary: string) {
  return { request, response, summary };
}

export const netdObfsCommands = {
  obfsStart: obfsCommand(
    ObfsStartRequestSchema,
    ObfsStartResultSchema,
    `Start the transport helper (ss-tunnel or v2ray) as ${OBFS_HELPER_USER} on 127.0.0.1:${OBFS_LOCAL_PORT}, routed around the tunnel (replacing a running one); answers once it listens.`,
  ),
  obfsStop: obfsCommand(z.strictObject({}), z.object({ stopped: z.boolean() }), 'Stop the transport helper and remove its routing rule.'),
  obfsStatus: obfsCommand(z.strictObject({}), ObfsStatusSchema, 'Whether the transport helper runs, and why it stopped.'),
} as const;
