// Whole-system proxying: every other uid's TCP is redirected into a local proxy port and its DNS into a
// local resolver; only the proxy's own uid leaves the machine. Tor (shared/LAB.md "System-wide Tor", 8 of 8
// checks) and the SOCKS/HTTP-CONNECT clients behind redsocks (Nym, dVPN) share this shape.
import { filterChain, natOutputChain, postroutingChain, ALL_COUNTERS, type TableModel } from './model.js';
import type { SocksRedirectPolicy, TorSystemPolicy } from './policy.js';
import { COUNTERS } from './ranges.js';
import {
  blockDns,
  dropIn,
  family,
  lanForward,
  lanIn,
  lanOut,
  lanReturn,
  linkIn,
  linkOut,
  loopbackIn,
  loopbackOut,
  rejectForward,
  rejectOut,
} from './rules-common.js';

interface Redirect {
  /** The uid whose own traffic is neither redirected nor refused by the catch-all. */
  exemptUid: number;
  /** Output rules for that uid (all of it for tor, only its gateways for a SOCKS client). */
  exemptRules: string[];
  tcpPort: number;
  dnsPort: number;
  allowLan: boolean;
  /**
   * The one resolver address programs may ask (what resolv.conf names while the policy holds): only DNS to
   * it is redirected into the local resolver; port 53 anywhere else is refused, so a program that asks a
   * resolver of its choice fails instead of being answered by another one. Unset: all DNS is redirected.
   */
  systemResolver?: string;
}

/** The address netd writes into resolv.conf for system-wide Tor; the nat chain sends it to tor's DNSPort. */
export const TOR_SYSTEM_RESOLVER = '127.0.0.1';
/** systemd-resolved's stub listener, which resolv.conf names on resolved desktops (Debian, Ubuntu). */
const RESOLVED_STUB = '127.0.0.53';

export function torSystemTable(policy: TorSystemPolicy): TableModel {
  return redirectTable({
    exemptUid: policy.torUid,
    // tor picks its guards, bridges and (with snowflake) UDP peers itself: its uid goes anywhere.
    exemptRules: [`meta skuid ${policy.torUid} accept`],
    tcpPort: policy.transPort,
    dnsPort: policy.dnsPort,
    allowLan: policy.allowLan ?? false,
    systemResolver: TOR_SYSTEM_RESOLVER,
  });
}

export function socksRedirectTable(policy: SocksRedirectPolicy): TableModel {
  const uid = policy.proxyUid;
  return redirectTable({
    exemptUid: uid,
    exemptRules: policy.allowedGateways.map((gateway) => {
      const match = [`meta skuid ${uid}`, `${family(gateway.ip)} daddr ${gateway.ip}`];
      if (gateway.port !== undefined) match.push(`${gateway.proto === undefined ? 'meta l4proto { tcp, udp } th' : gateway.proto} dport ${gateway.port}`);
      else if (gateway.proto !== undefined) match.push(`meta l4proto ${gateway.proto}`);
      return `${match.join(' ')} accept`;
    }),
    tcpPort: policy.redirectPort,
    dnsPort: policy.dnsStubPort,
    allowLan: policy.allowLan ?? false,
  });
}

function redirectTable(redirect: Redirect): TableModel {
  const lan = redirect.allowLan;
  const resolver = redirect.systemResolver;
  const dnsAny = 'meta l4proto { tcp, udp } th dport 53';
  const nat = [
    `meta skuid ${redirect.exemptUid} return`,
    // Before the loopback returns: the system resolver is a loopback address. systemd-resolved's stub
    // (127.0.0.53, what resolv.conf names on a resolved desktop) goes to the same place; refused as
    // "another resolver", it made every lookup fail (found by the VM suite's system-wide Tor).
    ...(resolver === undefined ? [] : [`ip daddr { ${resolver}, ${RESOLVED_STUB} } ${dnsAny} redirect to :${redirect.dnsPort}`]),
    'ip daddr 127.0.0.0/8 return',
    'oifname "lo" return',
    // The proxies listen on 127.0.0.1 only; IPv6 is refused by the filter chain below instead.
    'meta nfproto ipv6 return',
    // DNS to any other resolver: left alone here (not even sent to the TransPort) and refused by the filter.
    resolver === undefined ? `${dnsAny} redirect to :${redirect.dnsPort}` : `${dnsAny} return`,
    ...(lan ? lanReturn() : []),
    `meta l4proto tcp redirect to :${redirect.tcpPort}`,
  ];
  const redirected = [
    // A redirected packet keeps the outgoing interface it was routed to before the nat chain rewrote its
    // destination, so `oifname "lo"` does not match it: accept it by its new destination and port.
    `ip daddr 127.0.0.1 meta l4proto { tcp, udp } th dport ${redirect.dnsPort} accept`,
    `ip daddr 127.0.0.1 tcp dport ${redirect.tcpPort} accept`,
  ];
  const output =
    resolver === undefined
      ? [...loopbackOut(), ...redirect.exemptRules, ...redirected, ...linkOut(), ...blockDns()]
      : // Port 53 that was not redirected is refused even on loopback (127.0.0.54, ::1): no other resolver.
        [...redirect.exemptRules, ...redirected, ...blockDns(), ...loopbackOut(), ...linkOut()];
  output.push(
    ...(lan ? lanOut() : []),
    // Everything else (UDP, ICMP, IPv6, anything the redirect did not catch) fails fast.
    ...rejectOut(),
  );
  const input = [
    ...loopbackIn(),
    // The proxy's replies; nothing else is allowed out, so established flows are only the allowed ones.
    'ct state established,related accept',
    ...linkIn(),
    ...(lan ? lanIn() : []),
    ...dropIn(),
  ];
  // Forwarded traffic (containers, VMs) cannot be proxied by a local redirect: it is refused, not leaked.
  const forward = [...blockDns(), ...(lan ? lanForward() : []), ...rejectForward()];
  // A socket bound to the physical interface (SO_BINDTODEVICE: `curl --interface eth0`, some VPN-unaware
  // daemons) keeps that interface when the nat chain redirects it, and the output chain, which still sees
  // the old interface, accepts it by its new destination: its SYN left the NIC addressed to 127.0.0.1, with
  // the person's own address as source (the reliability suite's wire saw it, issue 12 item 11). Only
  // postrouting sees the interface a packet really leaves by: a loopback destination never leaves by another.
  const postrouting = [
    `oifname != "lo" ip daddr 127.0.0.0/8 counter name "${COUNTERS.blockedOut}" drop`,
    `oifname != "lo" ip6 daddr ::1 counter name "${COUNTERS.blockedOut}" drop`,
  ];
  return {
    counters: ALL_COUNTERS,
    chains: [
      natOutputChain(nat),
      filterChain('output', output),
      filterChain('input', input),
      filterChain('forward', forward),
      postroutingChain(postrouting),
    ],
  };
}
