// IPv6 leak: a tunnel that carries only IPv4 leaves IPv6 to the physical network unless something blocks it
// — the classic leak. An IPv6 request to the leak server must fail then; through a tunnel that carries IPv6,
// it must arrive from an address that is not the person's own.
import type { NetworkKind } from '../domain/index.js';
import { canonicalIp, ipSet } from './addresses.js';
import type { ExitObservation } from './exit-ip.js';
import { leaked, notTested, passed, type Judgement } from './judgement.js';

export interface Ipv6Input {
  network: NetworkKind | null;
  /** The IPv6 request's outcome. */
  v6: ExitObservation;
  tunnelCarriesIpv6: boolean;
  /** The machine has an IPv6 address outside the tunnel that is not link-local. */
  machineHasIpv6: boolean;
  /** The machine's own IPv6 addresses and the baseline's. */
  ownV6: string[];
  expectedV6: string[];
}

export function judgeIpv6(input: Ipv6Input): Judgement {
  const evidence: Record<string, unknown> = {
    v6: 'ip' in input.v6 ? canonicalIp(input.v6.ip) : input.v6,
    tunnelCarriesIpv6: input.tunnelCarriesIpv6,
    machineHasIpv6: input.machineHasIpv6,
  };
  if ('skipped' in input.v6) return notTested(`IPv6 could not be tested: ${input.v6.skipped}.`, evidence);
  if ('error' in input.v6) {
    if (!input.machineHasIpv6) {
      return notTested('This machine has no IPv6 address outside the tunnel, so nothing can leak over IPv6 here (not tested).', evidence);
    }
    if (input.network === null) return notTested(`IPv6 did not reach the leak server (${input.v6.error}), so it could not be tested.`, evidence);
    return input.tunnelCarriesIpv6
      ? passed(`IPv6 requests fail (${input.v6.error}): none leave outside the tunnel, though IPv6 does not work through it.`, evidence)
      : passed('IPv6 requests are blocked while the tunnel carries only IPv4: none leave outside it.', evidence);
  }
  const ip = canonicalIp(input.v6.ip);
  if (input.network === null) return leaked(`No tunnel is up: sites reached over IPv6 see your own address ${ip}.`, evidence);
  if (!input.tunnelCarriesIpv6) {
    return leaked(`IPv6 goes around the tunnel, which carries only IPv4: sites see ${ip}.`, evidence);
  }
  if (ipSet(input.ownV6).has(ip)) return leaked(`IPv6 goes around the tunnel: sites see your own address ${ip}.`, evidence);
  const expected = ipSet(input.expectedV6).has(ip);
  return passed(`IPv6 goes through the tunnel: sites see ${ip}${expected ? ', the tunnel\'s exit' : ''}, not your own address.`, evidence);
}
