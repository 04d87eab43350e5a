// What is known about a live connection: exit address, endpoint, interface and the network's own facts.
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import type { TunnelState } from '../../../../app/domain/index.js';
import { NETWORK_LABELS } from '../../../../app/domain/index.js';
import { formatSince } from '../../lib/format.js';
import { useNow } from '../../lib/use-now.js';

type Connected = Extract<TunnelState, { state: 'connected' }>;

export function ConnectionDetails({ state }: { state: Connected }) {
  const now = useNow(1000);
  const { details, target } = state;
  const rows: Array<[string, string]> = [
    ['Network', NETWORK_LABELS[target.network]],
    ['Profile', target.profileName],
    ['Exit IP', details.exitIp ?? 'not known yet'],
  ];
  if (details.endpoint) rows.push(['Endpoint', details.endpoint]);
  if (details.interface) rows.push(['Interface', details.interface]);
  for (const [label, value] of Object.entries(details.extra ?? {})) rows.push([label, value]);
  rows.push(['Connected for', formatSince(state.since, now)]);

  return (
    <Box
      component="dl"
      aria-label="Connection details"
      sx={{ display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: 3, rowGap: 0.75, mt: 2, mb: 0 }}
    >
      {rows.map(([label, value]) => (
        <Box key={label} sx={{ display: 'contents' }}>
          <Typography component="dt" variant="body2" color="text.secondary">
            {label}
          </Typography>
          <Typography component="dd" variant="body2" sx={{ m: 0, fontFamily: label === 'Exit IP' || label === 'Endpoint' ? 'monospace' : undefined }}>
            {value}
          </Typography>
        </Box>
      ))}
    </Box>
  );
}
