// The chosen profile's own settings under the Connect button: the Mysterium node picker for a dVPN
// profile, the mixing settings for a Nym profile; nothing for the others.
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import type { ProfileSummary } from '../../../../app/domain/index.js';
import { DvpnNodePicker } from '../dvpn/DvpnNodePicker.js';
import { NymSettingsPanel } from '../nym/NymSettingsPanel.js';

export function ProfileOptions({ profile }: { profile: ProfileSummary | undefined }) {
  if (profile === undefined || (profile.network !== 'dvpn' && profile.network !== 'nym')) return null;
  return (
    <Paper variant="outlined" sx={{ p: { xs: 2.5, sm: 3 } }} data-testid={`profile-options-${profile.network}`}>
      <Typography variant="h6" component="h2" sx={{ mb: 2 }}>
        {profile.network === 'dvpn' ? `Mysterium node for ${profile.name}` : `Nym settings for ${profile.name}`}
      </Typography>
      {profile.network === 'dvpn' ? <DvpnNodePicker key={profile.id} profile={profile} /> : <NymSettingsPanel key={profile.id} profile={profile} />}
    </Paper>
  );
}
