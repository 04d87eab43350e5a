// Which rung of the ladder each stored profile stands on. A WireGuard profile with an [Obfuscation] section
// is carried over its first one (the driver has netd run the transport helper), so it stands on that
// transport's rung; the plain WireGuard rung is a profile without one.
//
// Tor and Nym profiles in proxy mode stand on no rung. Proxy mode carries only the programs pointed at its
// SOCKS port and leaves the firewall open for every other program (tor/firewall-source.ts), so walking such
// a rung would let this machine talk to the censor's network in the clear while Smart connect tries, the
// opposite of its promise. They are named instead (`proxyOnlyRungs`), so the person learns why a rung was
// not tried and how to make it count (Mode system).
import { nymConfigFromRecord } from '../networks/nym/config.js';
import { torConfigFromRecord, transportsOf } from '../networks/tor/config.js';
import type { StoredProfile } from '../supervisor/driver.js';
import type { Rung } from './ladder.js';

interface Placement {
  rung: Rung;
  /** False for proxy mode: the kill switch does not hold around it. */
  systemWide: boolean;
}

function placementOf(profile: StoredProfile): Placement | undefined {
  if (profile.network === 'wireguard') {
    // Read loosely: a damaged profile still stands on a rung, and its connect says what is wrong with it.
    const obfuscation: unknown = profile.config.obfuscation;
    const type = Array.isArray(obfuscation) ? (obfuscation[0] as { type?: unknown } | undefined)?.type : undefined;
    return { rung: type === 'shadowsocks' ? 'wireguard-shadowsocks' : type === 'vless-ws-tls' ? 'wireguard-vless' : 'wireguard', systemWide: true };
  }
  try {
    if (profile.network === 'nym') return { rung: 'nym', systemWide: nymConfigFromRecord(profile.config).mode === 'system' };
    if (profile.network === 'tor') {
      const config = torConfigFromRecord(profile.config);
      const systemWide = config.mode === 'system';
      if (!config.useBridges) return { rung: 'tor', systemWide };
      return transportsOf(config).includes('obfs4') ? { rung: 'tor-obfs4', systemWide } : undefined;
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/** The rung a profile stands on; undefined for networks off the ladder and for proxy-mode profiles. */
export function rungOf(profile: StoredProfile): Rung | undefined {
  const placement = placementOf(profile);
  return placement?.systemWide === true ? placement.rung : undefined;
}

/** The first profile on each rung (profiles in the order the person has them). */
export function profilesByRung(profiles: readonly StoredProfile[]): Map<Rung, StoredProfile> {
  const out = new Map<Rung, StoredProfile>();
  for (const profile of profiles) {
    const rung = rungOf(profile);
    if (rung !== undefined && !out.has(rung)) out.set(rung, profile);
  }
  return out;
}

/** Rungs the person has only proxy-mode profiles for: not walked, and said why. */
export function proxyOnlyRungs(profiles: readonly StoredProfile[]): Rung[] {
  const usable = profilesByRung(profiles);
  const out: Rung[] = [];
  for (const profile of profiles) {
    const placement = placementOf(profile);
    if (placement !== undefined && !placement.systemWide && !usable.has(placement.rung) && !out.includes(placement.rung)) out.push(placement.rung);
  }
  return out;
}
