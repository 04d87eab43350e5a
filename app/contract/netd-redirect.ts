// netd's commands for system-wide proxy networks (Nym, dVPN): run redsocks, which takes every other uid's
// TCP (redirected by the firewall's socks-redirect or tor-system policy) into the helper's SOCKS5 or HTTP
// CONNECT port, and a DNS stub that answers every other uid's queries by asking a resolver over TCP through
// the same proxy. The host names only the proxy's port on 127.0.0.1 and the resolver; netd picks the
// listening ports, the config and the user redsocks runs as.
import { z } from 'zod';
import { SYSTEM_PORTS } from './system-wide.js';

/** redsocks' and the DNS stub's ports on 127.0.0.1, which the firewall policies redirect to. */
export const REDIRECT_PORTS = { redirectPort: SYSTEM_PORTS.redirectPort, dnsStubPort: SYSTEM_PORTS.dnsStubPort } as const;

const Ip = z.union([z.ipv4(), z.ipv6()]);

export const RedirectStartRequestSchema = z.strictObject({
  /** socks5 for nym-socks5-client, http-connect for myst's proxy. */
  proxyType: z.enum(['socks5', 'http-connect']),
  /** The helper's proxy port on 127.0.0.1. */
  proxyPort: z.number().int().min(1024).max(65_535),
  /** The resolver the stub asks through the proxy, over TCP. */
  dnsUpstream: z.strictObject({ ip: Ip, port: z.number().int().min(1).max(65_535) }),
});
export type RedirectStartRequest = z.infer<typeof RedirectStartRequestSchema>;

export const RedirectStatusSchema = z.object({
  running: z.boolean(),
  pid: z.number().int().nullable(),
  exitCode: z.number().int().nullable(),
  signal: z.string().nullable(),
  dnsQueries: z.number().int(),
  dnsFailures: z.number().int(),
  lastProblem: z.string().nullable(),
});
export type RedirectStatus = z.infer<typeof RedirectStatusSchema>;

function redirectCommand<Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res, summary: string) {
  return { request, response, summary };
}

export const netdRedirectCommands = {
  redirectStart: redirectCommand(
    RedirectStartRequestSchema,
    z.object({ pid: z.number().int(), redirectPort: z.number().int(), dnsStubPort: z.number().int(), user: z.string() }),
    'Start redsocks and the DNS stub in front of a local proxy (replacing running ones); answers once both listen.',
  ),
  redirectStop: redirectCommand(z.strictObject({}), z.object({ stopped: z.boolean() }), 'Stop redsocks and the DNS stub.'),
  redirectStatus: redirectCommand(z.strictObject({}), RedirectStatusSchema, 'Whether redsocks runs, and the stub\'s counts.'),
} as const;
