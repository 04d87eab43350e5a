// Shown instead of the app while the host cannot be reached: why, and a way to try again.
import CloudOffIcon from '@mui/icons-material/CloudOff';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { useEffect, useState } from 'react';
import { ThemeToggle } from './ThemeToggle.js';

export interface UnreachableProps {
  reason: string;
  where: string;
  retryAt: number | null;
  retrying: boolean;
  onRetry?: () => void;
}

function useSecondsUntil(at: number | null): number | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (at === null) return undefined;
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [at]);
  return at === null ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

export function UnreachableScreen({ reason, where, retryAt, retrying, onRetry }: UnreachableProps) {
  const seconds = useSecondsUntil(retryAt);
  return (
    <Box component="main" sx={{ minHeight: '100vh', display: 'grid', placeItems: 'center', p: 3 }}>
      <Box sx={{ position: 'fixed', top: 8, right: 8 }}>
        <ThemeToggle />
      </Box>
      <Paper variant="outlined" sx={{ p: 4, maxWidth: 560 }} role="alert" aria-labelledby="unreachable-title">
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.5, mb: 2 }}>
          <CloudOffIcon color="error" fontSize="large" />
          <Typography id="unreachable-title" variant="h5" component="h1">
            Cannot reach the Burrow host
          </Typography>
        </Box>
        <Typography sx={{ mb: 2 }}>{reason}</Typography>
        <Typography variant="body2" color="text.secondary" sx={{ mb: 3 }}>
          This window shows and controls {where}; without it there is nothing to show. Your tunnel and kill switch keep
          running in the host either way.
        </Typography>
        {onRetry ? (
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 2 }}>
            <Button variant="contained" onClick={onRetry} disabled={retrying}>
              Reconnect
            </Button>
            <Typography variant="body2" color="text.secondary" aria-live="polite">
              {retrying ? 'Trying again now…' : seconds !== null ? `Trying again in ${seconds} s…` : ''}
            </Typography>
          </Box>
        ) : (
          <Alert severity="info">Restart Burrow to reconnect.</Alert>
        )}
      </Paper>
    </Box>
  );
}
