// Get through: when the network blocks the way out, the probe says what is blocked and how it looks,
// and Smart connect walks the ladder (one rung at a time, through the kill switch) and shows where it is.
// Everything here comes from the host (probe, smartConnect, state events); the page owns no tunnel state.
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import Paper from '@mui/material/Paper';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import type { ProbeVerdict, SmartConnectResult } from '../../../../app/contract/probe.js';
import { useNotify } from '../../notify/NotifyProvider.js';
import { useSnapshot, useStore } from '../../store/store-context.js';
import { LadderView } from './LadderView.js';
import { ProbeList } from './ProbeList.js';

type Goal = 'fastest' | 'anonymous';

export function GetThroughPage() {
  const store = useStore();
  const notify = useNotify();
  const { state } = useSnapshot();
  const [goal, setGoal] = useState<Goal>('fastest');
  const [verdicts, setVerdicts] = useState<ProbeVerdict[] | undefined>(undefined);
  const [result, setResult] = useState<SmartConnectResult | undefined>(undefined);
  const [busy, setBusy] = useState<'probe' | 'smart' | undefined>(undefined);

  const probe = async (): Promise<void> => {
    setBusy('probe');
    try {
      setVerdicts((await store.client().probe({})).verdicts);
    } catch (error) {
      notify.error(error, 'The probe could not run');
    } finally {
      setBusy(undefined);
    }
  };
  const smart = async (): Promise<void> => {
    setBusy('smart');
    setResult(undefined);
    try {
      setResult(await store.client().smartConnect({ goal }));
    } catch (error) {
      notify.error(error, 'Smart connect could not run');
    } finally {
      setBusy(undefined);
    }
  };
  const trying = state.state === 'connecting' ? state.target.profileName : undefined;

  return (
    <Box sx={{ display: 'grid', gap: 2 }}>
      <Paper sx={{ p: 2 }}>
        <Typography variant="h6" component="h2">Smart connect</Typography>
        <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
          Burrow tries each way out you have a profile for, one at a time, with the kill switch holding in between,
          and starts with what worked on this network last time.
        </Typography>
        <Box sx={{ display: 'flex', gap: 2, alignItems: 'center', flexWrap: 'wrap' }}>
          <ToggleButtonGroup exclusive size="small" value={goal} onChange={(_event, value: Goal | null) => value && setGoal(value)} aria-label="Goal">
            <ToggleButton value="fastest">Fastest private path</ToggleButton>
            <ToggleButton value="anonymous">Most anonymous</ToggleButton>
          </ToggleButtonGroup>
          <Button variant="contained" disabled={busy !== undefined} onClick={() => void smart()}>
            {busy === 'smart' ? 'Getting through…' : 'Get me out'}
          </Button>
        </Box>
        {busy === 'smart' && trying !== undefined && (
          <Alert severity="info" sx={{ mt: 2 }}>Trying {trying}…</Alert>
        )}
        {result !== undefined && <LadderView result={result} />}
      </Paper>
      <Paper sx={{ p: 2 }}>
        <Box sx={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', mb: 1 }}>
          <Typography variant="h6" component="h2">What this network blocks</Typography>
          <Button disabled={busy !== undefined || state.state !== 'disconnected'} onClick={() => void probe()}>
            {busy === 'probe' ? 'Probing…' : 'Probe'}
          </Button>
        </Box>
        {state.state !== 'disconnected' && (
          <Typography variant="body2" color="text.secondary">The probe tests the network without Burrow: disconnect to run it.</Typography>
        )}
        {busy === 'probe' && (
          <Box sx={{ mt: 1 }} role="status">
            <LinearProgress aria-label="Probing" />
            <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }}>
              Each Tor profile is bootstrapped afresh, to see where a censor stops it: up to a minute each.
            </Typography>
          </Box>
        )}
        {verdicts !== undefined && <ProbeList verdicts={verdicts} />}
      </Paper>
    </Box>
  );
}
