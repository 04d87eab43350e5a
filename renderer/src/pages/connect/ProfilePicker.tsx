// Which profile Connect uses. The choice is the person's (local); what is connected is the host's.
import Alert from '@mui/material/Alert';
import Chip from '@mui/material/Chip';
import Link from '@mui/material/Link';
import ListSubheader from '@mui/material/ListSubheader';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import type { ReactElement } from 'react';
import type { NetworkAvailability } from '../../../../app/contract/index.js';
import { NETWORK_KINDS, NETWORK_LABELS, type ProfileSummary } from '../../../../app/domain/index.js';
import { hrefFor } from '../../lib/routes.js';

export interface ProfilePickerProps {
  profiles: ProfileSummary[];
  networks: NetworkAvailability[];
  value: string;
  onChange: (id: string) => void;
  disabled: boolean;
}

export function ProfilePicker({ profiles, networks, value, onChange, disabled }: ProfilePickerProps) {
  if (profiles.length === 0) {
    return (
      <Alert severity="info">
        No profiles yet. <Link href={hrefFor('profiles')}>Import one on the Profiles page</Link> (a WireGuard .conf, for
        example).
      </Alert>
    );
  }
  const items: ReactElement[] = [];
  for (const network of NETWORK_KINDS) {
    const group = profiles.filter((profile) => profile.network === network);
    if (group.length === 0) continue;
    const availability = networks.find((entry) => entry.network === network);
    const unavailable = availability !== undefined && !availability.available;
    const standIn = availability?.standIn;
    items.push(
      <ListSubheader key={`h-${network}`}>
        {NETWORK_LABELS[network]}
        {standIn ? ' (stand-in)' : ''}
        {unavailable ? ' (not available in this build)' : ''}
      </ListSubheader>,
    );
    for (const profile of group) {
      items.push(
        <MenuItem key={profile.id} value={profile.id} data-testid={`profile-option-${profile.id}`}>
          {profile.name}
          {standIn ? <Chip label="stand-in" size="small" color="warning" variant="outlined" title={standIn} sx={{ ml: 1 }} data-testid="stand-in-badge" /> : null}
        </MenuItem>,
      );
    }
  }
  return (
    <TextField
      select
      fullWidth
      label="Profile"
      value={value}
      disabled={disabled}
      onChange={(event) => onChange(event.target.value)}
    >
      {items}
    </TextField>
  );
}
