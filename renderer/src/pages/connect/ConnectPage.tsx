// Connect: the state the host pushed, the profile picker and one big button (Mullvad's single-panel idea),
// then the chosen profile's own settings (the Mysterium node, the Nym mixing).
import Divider from '@mui/material/Divider';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import { useState } from 'react';
import { useSnapshot } from '../../store/store-context.js';
import { ConnectActions } from './ConnectActions.js';
import { NetworkList } from './NetworkList.js';
import { ProfileOptions } from './ProfileOptions.js';
import { ProfilePicker } from './ProfilePicker.js';
import { StatusPanel } from './StatusPanel.js';

export function ConnectPage() {
  const { state, profiles, networks } = useSnapshot();
  const [chosen, setChosen] = useState<string | undefined>(undefined);

  // The picker follows the host's target until the person picks something else.
  const targetId = state.state === 'disconnected' ? undefined : state.target?.profileId;
  const selected =
    profiles.find((profile) => profile.id === chosen) ?? profiles.find((profile) => profile.id === targetId) ?? profiles[0];
  const busy = state.state === 'connecting' || state.state === 'disconnecting';

  return (
    <Stack spacing={3} sx={{ maxWidth: 640, mx: 'auto' }}>
      <Paper variant="outlined" sx={{ p: { xs: 2.5, sm: 4 } }}>
        <Stack spacing={3}>
          <StatusPanel state={state} />
          <Divider />
          <ProfilePicker profiles={profiles} networks={networks} value={selected?.id ?? ''} onChange={setChosen} disabled={busy} />
          <ConnectActions state={state} selected={selected} />
        </Stack>
      </Paper>
      <ProfileOptions profile={selected} />
      <NetworkList networks={networks} />
    </Stack>
  );
}
