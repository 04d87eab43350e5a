// The networks side by side: the host's privacy facts (with sources), where each sits on the privacy
// scale, and the numbers measured here (with how the download was measured and the leak-test summary).
import Link from '@mui/material/Link';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import type { Comparison, ComparisonRow } from '../../../../app/contract/index.js';
import { formatBitsPerSecond, formatDateTime, humanizeKey } from '../../lib/format.js';
import { formatMeasuredMs as formatMs } from './compare-format.js';

type Measured = ComparisonRow['measured'];

const MEASURED_ROWS: Array<[string, string, (measured: Measured) => string]> = [
  ['connectTime', 'Connect time', (m) => formatMs(m.connectTimeMs)],
  ['rttMedian', 'Round trip (median)', (m) => formatMs(m.rttMedianMs)],
  ['rttP95', 'Round trip (95th percentile)', (m) => formatMs(m.rttP95Ms)],
  ['throughput', 'Download throughput', (m) => `${formatBitsPerSecond(m.throughputBps)}${m.throughputBps !== null && m.throughputMethod ? ` (${m.throughputMethod})` : ''}`],
  ['bootstrapTime', 'Bootstrap time', (m) => formatMs(m.bootstrapTimeMs)],
  ['measuredAt', 'Measured at', (m) => formatDateTime(m.measuredAt)],
];

function leaksText(row: ComparisonRow): string {
  const leaks = row.leaks;
  if (!leaks) return 'not tested';
  const parts = [`${leaks.passed} passed`];
  if (leaks.leaked > 0) parts.push(`${leaks.leaked} leaked`);
  if (leaks.notTested > 0) parts.push(`${leaks.notTested} not tested`);
  return parts.join(', ');
}

function factKeys(rows: ComparisonRow[]): string[] {
  const keys: string[] = [];
  for (const row of rows) for (const key of Object.keys(row.facts)) if (!keys.includes(key)) keys.push(key);
  return keys;
}

export function CompareTable({ comparison }: { comparison: Comparison }) {
  const rows = comparison.rows;
  const labels = new Map((comparison.factLabels ?? []).map((f) => [f.key, f.label]));
  const keys = comparison.factLabels?.map((f) => f.key) ?? factKeys(rows);
  const levels = comparison.privacyScale?.levels ?? [];
  return (
    <TableContainer sx={{ border: 1, borderColor: 'divider', borderRadius: 2 }}>
      <Table size="small" aria-label="Networks compared">
        <TableHead>
          <TableRow>
            <TableCell component="th" scope="col" />
            {rows.map((row) => (
              <TableCell key={row.network} component="th" scope="col" sx={{ fontWeight: 700 }}>
                {row.label}
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {keys.map((key) => (
            <TableRow key={key}>
              <TableCell component="th" scope="row" sx={{ color: 'text.secondary', whiteSpace: 'nowrap' }}>
                {labels.get(key) ?? humanizeKey(key)}
              </TableCell>
              {rows.map((row) => {
                const fact = row.facts[key];
                return (
                  <TableCell key={row.network} sx={{ verticalAlign: 'top' }}>
                    {fact ? fact.text : '—'}
                    {fact?.source ? (
                      <Typography component="span" variant="caption">
                        {' '}
                        <Link href={fact.source} target="_blank" rel="noreferrer noopener">
                          source
                        </Link>
                      </Typography>
                    ) : null}
                  </TableCell>
                );
              })}
            </TableRow>
          ))}
          {comparison.privacyScale ? (
            <TableRow>
              <TableCell component="th" scope="row" sx={{ color: 'text.secondary' }}>
                {comparison.privacyScale.question}
              </TableCell>
              {rows.map((row) => (
                <TableCell key={row.network} sx={{ verticalAlign: 'top' }} data-testid={`privacy-${row.network}`}>
                  {row.privacyRank === null || row.privacyRank === undefined
                    ? '—'
                    : `${row.privacyRank} — ${levels.find((l) => l.rank === row.privacyRank)?.label ?? ''}`}
                </TableCell>
              ))}
            </TableRow>
          ) : null}
          <TableRow>
            <TableCell colSpan={rows.length + 1} sx={{ fontWeight: 700, pt: 2 }}>
              Measured on this machine
            </TableCell>
          </TableRow>
          {MEASURED_ROWS.map(([id, label, show]) => (
            <TableRow key={id} data-testid={`measured-${id}`}>
              <TableCell component="th" scope="row" sx={{ color: 'text.secondary', whiteSpace: 'nowrap' }}>
                {label}
              </TableCell>
              {rows.map((row) => (
                <TableCell key={row.network} sx={{ fontVariantNumeric: 'tabular-nums' }} data-network={row.network}>
                  {show(row.measured)}
                </TableCell>
              ))}
            </TableRow>
          ))}
          <TableRow data-testid="measured-getsThrough">
            <TableCell component="th" scope="row" sx={{ color: 'text.secondary', whiteSpace: 'nowrap' }}>
              Gets through here?
            </TableCell>
            {rows.map((row) => (
              <TableCell key={row.network} data-network={row.network}>
                {row.getsThrough ? `${row.getsThrough.text}${row.getsThrough.at ? ` (${formatDateTime(row.getsThrough.at)})` : ''}` : '—'}
              </TableCell>
            ))}
          </TableRow>
          <TableRow data-testid="measured-leaks">
            <TableCell component="th" scope="row" sx={{ color: 'text.secondary', whiteSpace: 'nowrap' }}>
              Leak tests (latest)
            </TableCell>
            {rows.map((row) => (
              <TableCell key={row.network} data-network={row.network}>
                {leaksText(row)}
              </TableCell>
            ))}
          </TableRow>
        </TableBody>
      </Table>
    </TableContainer>
  );
}
