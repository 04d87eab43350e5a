// The state as the host pushed it: headline, what it means, progress, the cause of an error, blocking.
import LockIcon from '@mui/icons-material/Lock';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import LinearProgress from '@mui/material/LinearProgress';
import Typography from '@mui/material/Typography';
import type { TunnelState } from '../../../../app/domain/index.js';
import { describeTunnel } from '../../lib/tunnel-look.js';
import { ConnectionDetails } from './ConnectionDetails.js';

const HEADLINE_COLOR = { success: 'success.main', error: 'error.main', warning: 'warning.main', info: 'info.main', default: 'text.primary' } as const;

export function StatusPanel({ state }: { state: TunnelState }) {
  const look = describeTunnel(state);
  return (
    <Box>
      <Typography
        variant="h4"
        component="p"
        role="status"
        data-testid="tunnel-state"
        data-state={state.state}
        sx={{ color: HEADLINE_COLOR[look.tone], mb: 0.5 }}
      >
        {look.label}
      </Typography>
      <Typography color="text.secondary" data-testid="tunnel-sentence">
        {look.sentence}
      </Typography>
      {look.blocking ? (
        <Chip
          icon={<LockIcon />}
          color="warning"
          variant="outlined"
          label="Blocking: no traffic leaves outside the tunnel"
          data-testid="blocking-indicator"
          sx={{ mt: 1.5 }}
        />
      ) : null}
      {state.state === 'connecting' ? <ConnectingProgress state={state} /> : null}
      {state.state === 'connected' ? <ConnectionDetails state={state} /> : null}
      {state.state === 'error' ? (
        <Alert severity="error" sx={{ mt: 2, whiteSpace: 'pre-wrap' }} data-testid="error-cause">
          <AlertTitle>{state.target ? `Could not connect to ${state.target.profileName}` : 'Could not connect'}</AlertTitle>
          {state.cause.message}
        </Alert>
      ) : null}
    </Box>
  );
}

function ConnectingProgress({ state }: { state: Extract<TunnelState, { state: 'connecting' }> }) {
  const percent = state.progress?.percent;
  const phase = state.progress?.phase ?? 'Starting';
  return (
    <Box sx={{ mt: 2 }}>
      <LinearProgress
        variant={percent === undefined ? 'indeterminate' : 'determinate'}
        {...(percent === undefined ? {} : { value: percent })}
        aria-label="Connection progress"
      />
      <Typography variant="body2" color="text.secondary" sx={{ mt: 0.75 }} data-testid="connect-progress">
        {percent === undefined ? phase : `${phase} (${Math.round(percent)}%)`}
      </Typography>
    </Box>
  );
}
