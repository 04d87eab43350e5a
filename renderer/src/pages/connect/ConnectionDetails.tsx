// What is known about a live connection: exit address, endpoint, interface and the network's own facts,
// with labels a person reads (detail-rows.ts), bytes in KiB/MiB and Tor's circuit as a small hop table.
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import type { TunnelState } from '../../../../app/domain/index.js';
import { NETWORK_LABELS } from '../../../../app/domain/index.js';
import { formatSince } from '../../lib/format.js';
import { useNow } from '../../lib/use-now.js';
import { useSnapshot } from '../../store/store-context.js';
import { detailRows, hopsOf } from './detail-rows.js';

type Connected = Extract<TunnelState, { state: 'connected' }>;

const MONOSPACE = new Set(['Exit IP', 'Endpoint', 'Interface']);

export function ConnectionDetails({ state }: { state: Connected }) {
  const now = useNow(1000);
  const { networks } = useSnapshot();
  const { details, target } = state;
  const standIn = networks.find((n) => n.network === target.network)?.standIn;
  const rows: Array<[string, string]> = [
    ['Network', NETWORK_LABELS[target.network]],
    ['Profile', target.profileName],
    ['Exit IP', details.exitIp ?? 'not known yet'],
  ];
  if (details.endpoint) rows.push(['Endpoint', details.endpoint]);
  if (details.interface) rows.push(['Interface', details.interface]);
  const extra = details.extra ?? {};
  rows.push(...detailRows(extra));
  rows.push(['Connected for', formatSince(state.since, now)]);
  const hops = hopsOf(extra);

  return (
    <Box sx={{ mt: 2 }}>
      {standIn ? <Chip label={`${NETWORK_LABELS[target.network]}: stand-in`} size="small" color="warning" variant="outlined" title={standIn} data-testid="stand-in-badge" sx={{ mb: 1 }} /> : null}
      <Box component="dl" aria-label="Connection details" sx={{ display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: 3, rowGap: 0.75, m: 0 }}>
        {rows.map(([label, value]) => (
          <Box key={label} sx={{ display: 'contents' }}>
            <Typography component="dt" variant="body2" color="text.secondary">
              {label}
            </Typography>
            <Typography component="dd" variant="body2" sx={{ m: 0, fontFamily: MONOSPACE.has(label) ? 'monospace' : undefined, overflowWrap: 'anywhere' }}>
              {value}
            </Typography>
          </Box>
        ))}
      </Box>
      {hops.length > 0 ? (
        <Table size="small" aria-label="Circuit hops" sx={{ mt: 2, maxWidth: 460 }}>
          <TableHead>
            <TableRow>
              <TableCell>Hop</TableCell>
              <TableCell>Relay</TableCell>
              <TableCell>Country</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {hops.map((hop, i) => (
              <TableRow key={`${i}-${hop.relay}`}>
                <TableCell>{hop.position}</TableCell>
                <TableCell sx={{ fontFamily: 'monospace' }}>{hop.relay}</TableCell>
                <TableCell>{hop.country}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : null}
    </Box>
  );
}
