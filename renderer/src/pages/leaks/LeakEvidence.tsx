// A verdict's evidence as a person reads it: addresses and resolvers one per line, candidates as
// "srflx udp 203.0.113.7 (from 192.168.1.4)", the out-of-tunnel probe's hops as a small table of what
// happened to each packet (ping's own output only as a tooltip), the exit IP's roles in words, nested
// records as "key: value" — never raw JSON.
import Box from '@mui/material/Box';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { humanizeKey } from '../../lib/format.js';

/** What happened to one out-of-tunnel probe packet, in words. */
export const HOP_OUTCOMES: Record<string, string> = {
  'time-exceeded': 'a router answered: the packet left the machine outside the tunnel',
  reply: 'the endpoint answered: the packet got around the tunnel',
  blocked: 'blocked on this machine (the kill switch stopped it)',
  'no-answer': 'no answer: nothing came back',
  error: 'could not be sent',
};

const ROLE_WORDS: Record<string, string> = {
  own: 'your own address',
  expected: 'the tunnel’s exit',
  'other-known-not-own': 'not your address',
  unknown: 'not known',
};

const LABELS: Record<string, string> = {
  v4: 'Seen over IPv4',
  v6: 'Seen over IPv6',
  roles: 'What each address is',
  expected: 'Expected exit',
  baseline: 'Your own address (no tunnel)',
  hops: 'Probe packets',
};

interface Hop {
  ttl: number;
  outcome: string;
  from?: string;
  detail?: string;
}

function isHops(value: unknown): value is Hop[] {
  return Array.isArray(value) && value.length > 0 && value.every((item) => isRecord(item) && typeof item.ttl === 'number' && typeof item.outcome === 'string');
}

function HopTable({ hops }: { hops: Hop[] }) {
  return (
    <Table size="small" aria-label="Probe packets" sx={{ '& td, & th': { fontSize: 12, py: 0.25, px: 1 } }}>
      <TableHead>
        <TableRow>
          <TableCell>Hop limit</TableCell>
          <TableCell>What happened</TableCell>
          <TableCell>Answered by</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {hops.map((hop) => (
          <TableRow key={hop.ttl} data-testid="evidence-hop" title={hop.detail}>
            <TableCell>{hop.ttl}</TableCell>
            <TableCell>{HOP_OUTCOMES[hop.outcome] ?? hop.outcome}</TableCell>
            <TableCell sx={{ fontFamily: 'monospace' }}>{hop.from ?? '—'}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** The exit IP's roles ({ip: role}) as "203.0.113.7 — the tunnel's exit". */
function roleLines(value: unknown): string[] | undefined {
  if (!isRecord(value) || !Object.values(value).every((role) => typeof role === 'string' && role in ROLE_WORDS)) return undefined;
  return Object.entries(value).map(([ip, role]) => `${ip} — ${ROLE_WORDS[role as string] ?? String(role)}`);
}

/** An observation ({error} / {skipped}) as a sentence. */
function observationLine(value: unknown): string | undefined {
  if (!isRecord(value)) return undefined;
  if (typeof value.error === 'string' && Object.keys(value).length === 1) return `no answer (${value.error})`;
  if (typeof value.skipped === 'string' && Object.keys(value).length === 1) return `not asked: ${value.skipped}`;
  return undefined;
}

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
export function evidenceLines(value: unknown, key?: string): string[] {
  if (key === 'roles') {
    const lines = roleLines(value);
    if (lines !== undefined) return lines.length === 0 ? ['none'] : lines;
  }
  if (key === 'baseline' && isRecord(value)) {
    const known = Object.entries(value).filter(([, ip]) => typeof ip === 'string' && ip !== '');
    return known.length === 0 ? ['not known yet (Burrow learns it whenever you are disconnected)'] : known.map(([family, ip]) => `${String(ip)} (${family === 'v6' ? 'IPv6' : 'IPv4'})`);
  }
  const observed = observationLine(value);
  if (observed !== undefined) return [observed];
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
            {LABELS[key] ?? humanizeKey(key)}
          </Typography>
          {isHops(value) ? (
            <Box component="dd" data-testid={`evidence-${key}`} sx={{ m: 0 }}>
              <HopTable hops={value} />
            </Box>
          ) : (
            <Typography component="dd" variant="caption" data-testid={`evidence-${key}`} sx={{ m: 0, fontFamily: 'monospace', wordBreak: 'break-all' }}>
              {evidenceLines(value, key).map((line, i) => (
                <Box component="span" key={i} sx={{ display: 'block' }}>
                  {line}
                </Box>
              ))}
            </Typography>
          )}
        </Box>
      ))}
    </Box>
  );
}
