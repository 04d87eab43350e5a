// What the person sees about a running Tor: the circuit (relay nicknames, countries where tor's GeoIP
// data knows them), the exit's address (what websites see), the SOCKS address and tor's version.
import type { ConnectionDetails } from '../../domain/tunnel-state.js';
import type { BridgeLine } from './bridge-line.js';
import type { CircuitInfo, TorControlClient } from './control/index.js';
import { parseCircuitStatus } from './control/index.js';

export interface HopInfo {
  nickname: string;
  fingerprint: string | undefined;
  address: string | undefined;
  country: string | undefined;
}

/** Purposes of circuits that carry the person's streams (tor 0.4.8+ links exit circuits with conflux). */
const USER_PURPOSES = new Set(['GENERAL', 'CONFLUX_LINKED', 'CONFLUX_UNLINKED']);

/** A circuit for the person's own traffic: built, general purpose, not internal (directory, onion). */
export function isUserCircuit(circuit: CircuitInfo): boolean {
  return (
    circuit.status === 'BUILT' &&
    (circuit.purpose === undefined || USER_PURPOSES.has(circuit.purpose)) &&
    !circuit.buildFlags.includes('IS_INTERNAL') &&
    !circuit.buildFlags.includes('ONEHOP_TUNNEL') &&
    circuit.path.length >= 2
  );
}

/**
 * The circuit to show: the one the latest stream used, while it is still built; else the newest user
 * circuit (ids grow), or undefined.
 */
export function currentUserCircuit(circuits: readonly CircuitInfo[], lastStreamCircuit?: string): CircuitInfo | undefined {
  const usable = circuits.filter(isUserCircuit);
  return usable.find((circuit) => circuit.id === lastStreamCircuit) ?? usable.sort((a, b) => Number(b.id) - Number(a.id))[0];
}

/** `r nickname identity digest date time IP ORPort DirPort` in a GETINFO ns/id/… answer. */
export function addressFromRouterStatus(text: string): string | undefined {
  const match = /^r \S+ \S+ \S+ \S+ \S+ (\d{1,3}(?:\.\d{1,3}){3}) \d+ \d+$/m.exec(text);
  return match?.[1];
}

async function optionalInfo(client: TorControlClient, key: string): Promise<string | undefined> {
  try {
    return await client.getInfo(key);
  } catch {
    return undefined;
  }
}

export async function describeHops(client: TorControlClient, circuit: CircuitInfo, bridges: readonly BridgeLine[]): Promise<HopInfo[]> {
  return Promise.all(
    circuit.path.map(async (hop) => {
      const fingerprint = hop.fingerprint;
      const bridge = fingerprint === undefined ? undefined : bridges.find((candidate) => candidate.fingerprint === fingerprint);
      let address = bridge === undefined ? undefined : bridge.address.replace(/^\[?([^\]]*)\]?:\d+$/, '$1');
      if (address === undefined && fingerprint !== undefined) address = addressFromRouterStatus((await optionalInfo(client, `ns/id/${fingerprint}`)) ?? '');
      const code = address === undefined ? undefined : (await optionalInfo(client, `ip-to-country/${address}`))?.trim();
      const country = code !== undefined && /^[a-z]{2}$/i.test(code) && code !== '??' ? code.toUpperCase() : undefined;
      return { nickname: hop.nickname ?? fingerprint?.slice(0, 8) ?? '?', fingerprint, address, country };
    }),
  );
}

export interface DetailsInput {
  mode: 'proxy' | 'system';
  socks: string;
  torVersion: string | undefined;
  hops: readonly HopInfo[] | undefined;
  bridges: readonly BridgeLine[];
  transPort?: number;
  dnsPort?: number;
}

export function connectionDetails(input: DetailsInput): ConnectionDetails {
  const extra: Record<string, string> = {
    Mode: input.mode === 'proxy' ? 'Proxy: only programs set to use the SOCKS proxy go through Tor' : 'System-wide: every program goes through Tor',
    'SOCKS proxy': input.socks,
  };
  if (input.mode === 'system' && input.transPort !== undefined && input.dnsPort !== undefined) {
    extra['Transparent ports'] = `TCP 127.0.0.1:${input.transPort}, DNS 127.0.0.1:${input.dnsPort}`;
  }
  if (input.torVersion !== undefined) extra['Tor version'] = input.torVersion;
  const details: ConnectionDetails = { extra };
  const hops = input.hops;
  if (hops !== undefined && hops.length > 0) {
    extra.Circuit = hops.map((hop) => hop.nickname).join(' → ');
    if (hops.some((hop) => hop.country !== undefined)) extra.Countries = hops.map((hop) => hop.country ?? '??').join(' → ');
    const exit = hops[hops.length - 1];
    const guard = hops[0];
    if (exit?.address !== undefined) {
      details.exitIp = exit.address;
      extra['Exit relay'] = `${exit.nickname} (${exit.address}${exit.country === undefined ? '' : `, ${exit.country}`})`;
    }
    if (guard?.address !== undefined) details.endpoint = guard.address;
  }
  if (input.bridges.length > 0) {
    const transports = [...new Set(input.bridges.map((bridge) => bridge.transport))];
    extra.Bridges = `${input.bridges.length} (${transports.join(', ')})`;
  }
  return details;
}

/** The current user circuit, described; undefined when tor has none yet. */
export async function currentHops(client: TorControlClient, bridges: readonly BridgeLine[], lastStreamCircuit?: string): Promise<HopInfo[] | undefined> {
  const status = await optionalInfo(client, 'circuit-status');
  const circuit = status === undefined ? undefined : currentUserCircuit(parseCircuitStatus(status), lastStreamCircuit);
  return circuit === undefined ? undefined : describeHops(client, circuit, bridges);
}
