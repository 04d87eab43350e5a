// The networks side by side: the host's privacy facts (with sources) and the numbers measured here.
import Link from '@mui/material/Link';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import type { ComparisonRow } from '../../../../app/contract/index.js';
import { formatBitsPerSecond, formatDateTime, formatMs, humanizeKey } from '../../lib/format.js';

type Measured = ComparisonRow['measured'];

const MEASURED_ROWS: Array<[string, (measured: Measured) => string]> = [
  ['Connect time', (m) => formatMs(m.connectTimeMs)],
  ['Round trip (median)', (m) => formatMs(m.rttMedianMs)],
  ['Round trip (95th percentile)', (m) => formatMs(m.rttP95Ms)],
  ['Download throughput', (m) => formatBitsPerSecond(m.throughputBps)],
  ['Bootstrap time', (m) => formatMs(m.bootstrapTimeMs)],
  ['Measured at', (m) => formatDateTime(m.measuredAt)],
];

function factKeys(rows: ComparisonRow[]): string[] {
  const keys: string[] = [];
  for (const row of rows) for (const key of Object.keys(row.facts)) if (!keys.includes(key)) keys.push(key);
  return keys;
}

export function CompareTable({ rows }: { rows: ComparisonRow[] }) {
  const keys = factKeys(rows);
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
                {humanizeKey(key)}
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
          <TableRow>
            <TableCell colSpan={rows.length + 1} sx={{ fontWeight: 700, pt: 2 }}>
              Measured on this machine
            </TableCell>
          </TableRow>
          {MEASURED_ROWS.map(([label, show]) => (
            <TableRow key={label}>
              <TableCell component="th" scope="row" sx={{ color: 'text.secondary', whiteSpace: 'nowrap' }}>
                {label}
              </TableCell>
              {rows.map((row) => (
                <TableCell key={row.network} sx={{ fontVariantNumeric: 'tabular-nums' }}>
                  {show(row.measured)}
                </TableCell>
              ))}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
