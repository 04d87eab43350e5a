// Which networks this build can use, and in a sentence why not; a network running against a lab
// stand-in (the demo) carries a "stand-in" badge, so nobody mistakes it for the real network.
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import type { NetworkAvailability } from '../../../../app/contract/index.js';

export function NetworkList({ networks }: { networks: NetworkAvailability[] }) {
  if (networks.length === 0) return null;
  const unavailable = networks.filter((network) => !network.available);
  return (
    <Box component="section" aria-labelledby="networks-title">
      <Typography id="networks-title" variant="subtitle2" color="text.secondary" sx={{ mb: 1 }}>
        Networks in this build
      </Typography>
      <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 1 }}>
        {networks.map((network) => (
          <Tooltip key={network.network} title={network.standIn ?? (network.available ? 'Available' : (network.reason ?? 'Not available'))}>
            <Chip
              label={network.standIn ? `${network.label} · stand-in` : network.label}
              data-testid={`network-${network.network}`}
              data-stand-in={network.standIn ? 'true' : undefined}
              color={network.available ? 'success' : 'default'}
              variant={network.available ? 'filled' : 'outlined'}
              aria-label={`${network.label}: ${network.available ? 'available' : `not available${network.reason ? `, ${network.reason}` : ''}`}${network.standIn ? ` (${network.standIn})` : ''}`}
            />
          </Tooltip>
        ))}
      </Box>
      {networks.some((network) => network.standIn) ? (
        <Box component="ul" sx={{ pl: 2.5, mt: 1.5, mb: 0 }}>
          {networks.filter((network) => network.standIn).map((network) => (
            <Typography key={network.network} component="li" variant="body2" color="warning.main">
              {network.label}: {network.standIn}
            </Typography>
          ))}
        </Box>
      ) : null}
      {unavailable.length > 0 ? (
        <Box component="ul" sx={{ pl: 2.5, mt: 1.5, mb: 0 }}>
          {unavailable.map((network) => (
            <Typography key={network.network} component="li" variant="body2" color="text.secondary">
              {network.label}: {network.reason ?? 'not available in this build.'}
            </Typography>
          ))}
        </Box>
      ) : null}
    </Box>
  );
}
