// A verdict's evidence as a person reads it: addresses and resolvers one per line, candidates as
// "srflx udp 203.0.113.7 (from 192.168.1.4)", nested records as "key: value" — never raw JSON.
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { humanizeKey } from '../../lib/format.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function scalar(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** One line for a record: its address first (ip/address), the rest after it. */
function recordLine(record: Record<string, unknown>): string {
  const { ip, address, type, protocol, related, ...rest } = record;
  const main = [type, protocol, ip ?? address].filter((part) => part !== undefined).map(scalar).join(' ');
  const extras = [
    ...(related !== undefined ? [`from ${scalar(related)}`] : []),
    ...Object.entries(rest).map(([key, value]) => `${humanizeKey(key).toLowerCase()} ${isRecord(value) || Array.isArray(value) ? JSON.stringify(value) : scalar(value)}`),
  ];
  if (main === '') return extras.join(', ') || '—';
  return extras.length > 0 ? `${main} (${extras.join(', ')})` : main;
}

/** Evidence values as lines of text. */
export function evidenceLines(value: unknown): string[] {
  if (Array.isArray(value)) return value.length === 0 ? ['none'] : value.map((item) => (isRecord(item) ? recordLine(item) : scalar(item)));
  if (isRecord(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return ['none'];
    if ('ip' in value || 'address' in value) return [recordLine(value)];
    return entries.map(([key, item]) => `${key}: ${Array.isArray(item) ? item.map(scalar).join(', ') : isRecord(item) ? recordLine(item) : scalar(item)}`);
  }
  return [scalar(value)];
}

export function LeakEvidence({ evidence }: { evidence: Record<string, unknown> }) {
  const entries = Object.entries(evidence);
  if (entries.length === 0) return null;
  return (
    <Box component="dl" data-testid="leak-evidence" sx={{ display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: 2, rowGap: 0.5, my: 1 }}>
      {entries.map(([key, value]) => (
        <Box key={key} sx={{ display: 'contents' }}>
          <Typography component="dt" variant="caption" color="text.secondary">
            {humanizeKey(key)}
          </Typography>
          <Typography component="dd" variant="caption" data-testid={`evidence-${key}`} sx={{ m: 0, fontFamily: 'monospace', wordBreak: 'break-all' }}>
            {evidenceLines(value).map((line, i) => (
              <Box component="span" key={i} sx={{ display: 'block' }}>
                {line}
              </Box>
            ))}
          </Typography>
        </Box>
      ))}
    </Box>
  );
}
