// The tunnel state in a few words, coloured, shown in the top bar on every page.
import LockIcon from '@mui/icons-material/Lock';
import Chip from '@mui/material/Chip';
import { useSnapshot } from '../store/store-context.js';
import { describeTunnel } from '../lib/tunnel-look.js';

export function StateChip() {
  const { state } = useSnapshot();
  const look = describeTunnel(state);
  return (
    <Chip
      data-testid="state-chip"
      color={look.tone}
      icon={look.blocking ? <LockIcon fontSize="small" /> : undefined}
      label={look.blocking ? `${look.label} · blocking` : look.label}
      sx={{ fontWeight: 600 }}
    />
  );
}
