// A live connection's facts as a person reads them: the drivers report short keys (bytesIn,
// handshakeAge, ...) and raw numbers; here they become labels, bytes in KiB/MiB, and Tor's circuit
// becomes a list of hops (position, relay, country) for a small table. Pure, so it is tested without a browser.

const LABELS: Record<string, string> = {
  handshakeAge: 'Last handshake',
  bytesIn: 'Received',
  bytesOut: 'Sent',
  implementation: 'WireGuard program',
  mode: 'Mode',
  node: 'Node',
  price: 'Price',
  quality: 'Node quality',
  identity: 'Your identity',
  balance: 'Balance',
  helper: 'Helper process',
  gateway: 'Gateway',
  exit: 'Exit',
  exitHealth: 'Exit health',
  mixing: 'Mixing',
  state: 'State',
};

const BYTE_KEYS = new Set(['bytesIn', 'bytesOut']);
/** Shown as the hop table instead of as rows. */
const HOP_KEYS = new Set(['Circuit', 'Countries']);

/** 1536 → "1.5 KiB": binary units, as a person's file manager shows them. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return 'unknown';
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let scaled = bytes;
  let unit = 0;
  while (scaled >= 1024 && unit < units.length - 1) {
    scaled /= 1024;
    unit += 1;
  }
  if (unit === 0) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  return `${scaled >= 100 ? Math.round(scaled) : scaled.toFixed(1)} ${units[unit]}`;
}

/** "handshakeAge" → "Last handshake"; an unknown camelCase key → "Some key"; labels already readable stay. */
export function labelFor(key: string): string {
  const known = LABELS[key];
  if (known !== undefined) return known;
  if (/\s/.test(key) || /^[A-Z]/.test(key)) return key;
  const spaced = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

export function detailRows(extra: Record<string, string>): Array<[string, string]> {
  const rows: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(extra)) {
    if (HOP_KEYS.has(key)) continue;
    if (BYTE_KEYS.has(key) && /^\d+$/.test(value)) rows.push([labelFor(key), formatBytes(Number(value))]);
    else if (key === 'handshakeAge' && /^\d+ s$/.test(value)) rows.push([labelFor(key), `${value} ago`]);
    else rows.push([labelFor(key), value]);
  }
  return rows;
}

export interface Hop {
  position: string;
  relay: string;
  country: string;
}

/** Tor's "Circuit" ("a → b → c") and "Countries" ("DE → NL → ??") as hops: guard, middle(s), exit. */
export function hopsOf(extra: Record<string, string>): Hop[] {
  const relays = (extra.Circuit ?? '').split('→').map((s) => s.trim()).filter(Boolean);
  const countries = (extra.Countries ?? '').split('→').map((s) => s.trim());
  return relays.map((relay, i) => ({
    position: i === 0 ? 'Guard (entry)' : i === relays.length - 1 ? 'Exit' : 'Middle',
    relay,
    country: countries[i] === undefined || countries[i] === '' || countries[i] === '??' ? 'unknown' : (countries[i] ?? 'unknown'),
  }));
}
