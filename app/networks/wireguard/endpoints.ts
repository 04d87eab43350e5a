// Endpoint host names become addresses here, in the host, before anything reaches netd (which never
// resolves names). The answers are kept for the session so that the firewall, which must allow exactly the
// address the tunnel talks to, and the tunnel itself agree on it.
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { BurrowError } from '../../domain/index.js';
import type { WireGuardConfig } from './config/index.js';

export type Lookup = (host: string) => Promise<string>;

const systemLookup: Lookup = async (host) => (await lookup(host, { verbatim: true })).address;

export class EndpointResolver {
  private readonly cache = new Map<string, string>();

  constructor(
    private readonly resolve: Lookup = systemLookup,
    private readonly timeoutMs = 5000,
  ) {}

  /** The address already known for `host` (an IP is its own answer). */
  known(host: string): string | undefined {
    return isIP(host) !== 0 ? host : this.cache.get(host);
  }

  /** Host name → address for every peer of `config` and its transport server; rejects with a retriable error a person can read. */
  async resolveAll(config: WireGuardConfig): Promise<Record<string, string>> {
    const answers: Record<string, string> = {};
    const hosts = config.peers.filter((peer) => peer.endpoint.hostKind === 'name').map((peer) => peer.endpoint.host);
    const transport = config.obfuscation?.[0]?.server.host;
    if (transport !== undefined && isIP(transport) === 0) hosts.push(transport);
    for (const host of hosts) {
      answers[host] = this.cache.get(host) ?? (await this.lookupOne(host));
      this.cache.set(host, answers[host]);
    }
    return answers;
  }

  private async lookupOne(host: string): Promise<string> {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        this.resolve(host),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('timed out')), this.timeoutMs);
        }),
      ]);
    } catch (error) {
      throw new BurrowError(
        'host_unreachable',
        `The VPN server's name ${host} could not be resolved (${error instanceof Error ? error.message : String(error)}). With the kill switch blocking, only a name resolved before can be used; an endpoint written as an IP address always works.`,
        { host },
      );
    } finally {
      clearTimeout(timer);
    }
  }
}
