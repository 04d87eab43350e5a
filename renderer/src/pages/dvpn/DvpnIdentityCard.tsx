// The Mysterium identity of the chosen dVPN profile: its registration state and balance as the host read
// them from myst, the next step, and Register with each step of the free registration as the host pushes it.
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useEffect, useState } from 'react';
import type { DvpnIdentity } from '../../../../app/contract/index.js';
import { useCommand } from '../../notify/use-command.js';
import { useStore } from '../../store/store-context.js';
import { formatMyst } from './dvpn-format.js';
import { ImportIdentityDialog } from './ImportIdentityDialog.js';

/** How long Register waits for myst to say Registered before it answers "in progress". */
const REGISTER_WAIT_SECONDS = 120;

export function DvpnIdentityCard({ profileId, identity, onChange }: { profileId: string; identity: DvpnIdentity; onChange: (identity: DvpnIdentity) => void }) {
  const store = useStore();
  const command = useCommand();
  const [step, setStep] = useState<string | undefined>(undefined);
  const [importing, setImporting] = useState(false);

  useEffect(() => {
    return store.client().on('dvpnRegistration', (progress) => {
      if (progress.profileId === profileId) setStep(progress.message);
    });
  }, [store, profileId]);

  const register = async (): Promise<void> => {
    setStep('Starting the Mysterium node…');
    const result = await command.run((client) => client.registerDvpnIdentity({ profile: profileId, waitSeconds: REGISTER_WAIT_SECONDS }), 'Could not register the Mysterium identity');
    setStep(undefined);
    if (result) onChange(result.identity);
  };

  const registered = identity.registrationStatus === 'Registered';
  return (
    <Box component="section" aria-label="Mysterium identity" data-testid="dvpn-identity">
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
        <Typography sx={{ fontWeight: 600 }}>Identity</Typography>
        <Typography component="span" sx={{ fontFamily: 'monospace', wordBreak: 'break-all' }} data-testid="dvpn-identity-id">
          {identity.id}
        </Typography>
        <Chip size="small" label={identity.registrationStatus} color={identity.mayConnect ? 'success' : 'warning'} data-testid="dvpn-registration" />
      </Stack>
      <Typography variant="body2" sx={{ mt: 0.5 }}>
        Balance: <span data-testid="dvpn-balance">{formatMyst(identity.balanceMyst)}</span>
        {identity.source === 'profile' ? ' · the identity this profile names' : ' · myst\'s own identity for this profile'}
      </Typography>
      <Alert severity={identity.mayConnect ? 'info' : 'warning'} sx={{ mt: 1 }} data-testid="dvpn-hint">
        {identity.hint}
      </Alert>
      <Stack direction="row" spacing={1} sx={{ mt: 1 }}>
        {registered ? null : (
          <Button variant="contained" onClick={() => void register()} disabled={command.pending}>
            Register (free)
          </Button>
        )}
        <Button onClick={() => setImporting(true)} disabled={command.pending}>
          Use my own identity
        </Button>
      </Stack>
      <ImportIdentityDialog profileId={profileId} open={importing} onClose={() => setImporting(false)} onImported={onChange} />
      {step === undefined ? null : (
        <Box sx={{ mt: 1 }} role="status" aria-live="polite">
          <LinearProgress />
          <Typography variant="body2" sx={{ mt: 0.5 }} data-testid="dvpn-register-progress">
            {step}
          </Typography>
        </Box>
      )}
    </Box>
  );
}
