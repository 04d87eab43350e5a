// STAND-IN: how nym-socks5-client 1.1.76 reads the mixing delay from its config.toml (nymtech/nym
// nym-binaries-v2026.9-venaco, common/client-core/config-types/src/lib.rs): `[core.debug.traffic]` is
// optional (`#[serde(default)]`, 15 ms per hop); `average_packet_delay` is a plain `Duration`, which serde
// reads only as a table `{ secs = N, nanos = M }` — a humantime string such as '15ms' is refused and the
// client does not start. Shared by the stand-in and the conformance tests.

export const UPSTREAM_DEFAULT_PACKET_DELAY_MS = 15;

export type DelayReading = { ok: true; delayMs: number; fromDefault: boolean } | { ok: false; error: string };

/** The lines of one `[section]` (undefined when the file has no such section). */
function section(text: string, name: string): string[] | undefined {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.trim() === `[${name}]`);
  if (start < 0) return undefined;
  const end = lines.findIndex((line, index) => index > start && /^\s*\[/.test(line));
  return lines.slice(start + 1, end < 0 ? lines.length : end);
}

export function readAveragePacketDelay(text: string): DelayReading {
  const traffic = section(text, 'core.debug.traffic');
  const sub = section(text, 'core.debug.traffic.average_packet_delay');
  if (sub !== undefined) {
    const secs = /^\s*secs\s*=\s*(\d+)\s*$/m.exec(sub.join('\n'));
    const nanos = /^\s*nanos\s*=\s*(\d+)\s*$/m.exec(sub.join('\n'));
    if (secs === null || nanos === null) return { ok: false, error: 'missing field `secs` or `nanos` in `core.debug.traffic.average_packet_delay`' };
    return { ok: true, delayMs: Number(secs[1]) * 1000 + Number(nanos[1]) / 1e6, fromDefault: false };
  }
  const line = traffic?.find((candidate) => /^\s*average_packet_delay\s*=/.test(candidate));
  if (line === undefined) return { ok: true, delayMs: UPSTREAM_DEFAULT_PACKET_DELAY_MS, fromDefault: true };
  const value = line.replace(/^\s*average_packet_delay\s*=\s*/, '').replace(/\s+#.*$/, '').trim();
  const table = /^\{\s*(secs|nanos)\s*=\s*(\d+)\s*,\s*(secs|nanos)\s*=\s*(\d+)\s*\}$/.exec(value);
  if (table !== null && table[1] !== table[3]) {
    const get = (key: string): number => Number(table[1] === key ? table[2] : table[4]);
    return { ok: true, delayMs: get('secs') * 1000 + get('nanos') / 1e6, fromDefault: false };
  }
  if (/^['"]/.test(value)) return { ok: false, error: `invalid type: string ${JSON.stringify(value.slice(1, -1))}, expected struct Duration for key \`core.debug.traffic.average_packet_delay\`` };
  return { ok: false, error: `invalid type for key \`core.debug.traffic.average_packet_delay\`: expected struct Duration` };
}
