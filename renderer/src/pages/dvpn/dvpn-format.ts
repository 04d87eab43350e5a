// How the node picker says amounts and nodes. Unknown is said as unknown, never as zero.
export function formatMyst(value: number | null, unit = 'MYST'): string {
  return value === null ? 'unknown' : `${Number(value.toFixed(6))} ${unit}`;
}

export function shortId(id: string): string {
  return id.length > 12 ? `${id.slice(0, 6)}…${id.slice(-4)}` : id;
}

export function formatQuality(quality: number | null): string {
  return quality === null ? 'unknown' : `${quality.toFixed(1)} of 3`;
}

export function formatLatency(ms: number | null): string {
  return ms === null ? 'unknown' : `${Math.round(ms)} ms`;
}
