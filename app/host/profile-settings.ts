// The host's `updateProfile` and `nymSettings`: a profile's own settings changed through the contract (the
// dVPN node and country, the Nym mixing delay and cover traffic), re-checked by the network's own schema so
// the store never holds a configuration its driver would refuse, and the Nym settings' stated and measured cost.
import type { NymSettings } from '../contract/profile-settings.js';
import { BurrowError, type Measurement, type ProfileSummary } from '../domain/index.js';
import { dvpnConfigFromRecord, summarizeDvpn } from '../networks/dvpn/index.js';
import { LOOP_COVER_MEAN_MS, MESSAGE_STREAM_MEAN_MS, mixingCost, nymConfigFromRecord } from '../networks/nym/config.js';
import { summarizeNym } from '../networks/nym/profile.js';
import type { StoredProfile } from '../supervisor/driver.js';

export interface ProfileChange {
  dvpn?: { node?: string | null | undefined; country?: string | null | undefined } | undefined;
  nym?: { averagePacketDelayMs?: number | undefined; coverTraffic?: boolean | undefined } | undefined;
}

function without<T extends Record<string, unknown>>(record: T, key: string): T {
  return Object.fromEntries(Object.entries(record).filter(([name]) => name !== key)) as T;
}

/** The new configuration and facts for a change, or the error that names what does not fit. */
export function changedProfile(name: string, profile: StoredProfile | undefined, change: ProfileChange): { config: Record<string, unknown>; details: ProfileSummary['details'] } {
  if (profile === undefined) throw new BurrowError('not_found', `There is no profile "${name}". See the list with: burrow profile list`);
  if (change.dvpn !== undefined) {
    if (profile.network !== 'dvpn') throw new BurrowError('invalid_request', `"${profile.name}" is not a dVPN profile: it has no node to choose.`);
    let config: Record<string, unknown> = { ...dvpnConfigFromRecord(profile.config) };
    const { node, country } = change.dvpn;
    if (node === null) config = without(config, 'node');
    else if (node !== undefined) config.node = node.toLowerCase();
    if (country === null) config = without(config, 'country');
    else if (country !== undefined) config.country = country;
    const checked = dvpnConfigFromRecord(config);
    return { config: checked, details: summarizeDvpn(checked, profile.secrets) };
  }
  if (change.nym !== undefined) {
    if (profile.network !== 'nym') throw new BurrowError('invalid_request', `"${profile.name}" is not a Nym profile: it has no mixing settings.`);
    const checked = nymConfigFromRecord({ ...nymConfigFromRecord(profile.config), ...definedOnly(change.nym) });
    return { config: checked, details: summarizeNym(checked) };
  }
  throw new BurrowError('invalid_request', 'Name the changes: dvpn (node, country) or nym (averagePacketDelayMs, coverTraffic).');
}

function definedOnly(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}

/** The newest measurement of a kind for a profile (or the no-tunnel baseline), among `measurements` (newest first). */
function newest(measurements: Measurement[], kind: Measurement['kind'], profileId: string | null): Measurement | undefined {
  return measurements.find((m) => m.kind === kind && m.profileId === profileId && (profileId !== null || m.network === null));
}

/** `nymSettings`: the profile's mixing settings, what they should cost, and what Burrow measured through it. */
export function nymSettings(name: string, profile: StoredProfile | undefined, measurements: Measurement[]): NymSettings {
  if (profile === undefined) throw new BurrowError('not_found', `There is no profile "${name}". See the list with: burrow profile list`);
  if (profile.network !== 'nym') throw new BurrowError('invalid_request', `"${profile.name}" is not a Nym profile.`);
  const config = nymConfigFromRecord(profile.config);
  const cost = mixingCost(config);
  const packets = config.coverTraffic ? Math.round(1000 / MESSAGE_STREAM_MEAN_MS + 1000 / LOOP_COVER_MEAN_MS) : 0;
  const rtt = newest(measurements, 'rtt', profile.id);
  const throughput = newest(measurements, 'throughput', profile.id);
  const at = [rtt?.measuredAt, throughput?.measuredAt].filter((value): value is string => value !== undefined).sort().at(-1);
  return {
    profileId: profile.id,
    averagePacketDelayMs: config.averagePacketDelayMs,
    coverTraffic: config.coverTraffic,
    stated: { addedRoundTripMs: cost.roundTripMs, coverPacketsPerSecond: packets, coverKibPerSecond: Math.round(cost.coverBytesPerSecond / 1024), summary: cost.summary },
    measured:
      at === undefined
        ? null
        : {
            rttMs: rtt?.value ?? null,
            baselineRttMs: newest(measurements, 'rtt', null)?.value ?? null,
            throughputMbps: throughput === undefined ? null : Math.round(throughput.value / 1e4) / 100,
            measuredAt: at,
          },
  };
}
