// "Measure all": starts the host's run, shows its pushed progress (profile, phase, step of steps) and
// offers Cancel. The host owns the run; this panel only asks and listens, and shows what it answered.
import CancelIcon from '@mui/icons-material/Cancel';
import SpeedIcon from '@mui/icons-material/Speed';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useEffect, useState } from 'react';
import type { MeasureAllResultInfo, MeasureProgressInfo } from '../../../../app/contract/index.js';
import { toShownError } from '../../notify/error-text.js';
import { useSnapshot, useStore } from '../../store/store-context.js';

const PHASE_TEXT: Record<MeasureProgressInfo['phase'], string> = {
  baseline: 'measuring with no tunnel',
  connecting: 'connecting',
  connectTime: 'first byte through the tunnel',
  bootstrapTime: 'bootstrap time',
  rtt: 'round trips',
  throughput: 'download',
  leaks: 'leak tests',
  returning: 'returning to where you were',
  done: 'done',
  cancelled: 'cancelled',
};

function overallPercent(progress: MeasureProgressInfo): number {
  if (progress.of === 0) return 0;
  const within = progress.phase === 'throughput' ? (progress.percent ?? 0) / 100 : progress.phase === 'rtt' ? ((progress.percent ?? 0) / 100) * 0.5 : 0;
  return Math.min(100, Math.round(((Math.max(0, progress.step - 1) + within) / progress.of) * 100));
}

export function MeasurePanel({ onFinished }: { onFinished: () => void }) {
  const store = useStore();
  const { profiles } = useSnapshot();
  const nameOf = (id: string | null): string => (id === null ? 'No tunnel' : (profiles.find((p) => p.id === id)?.name ?? id));
  const [progress, setProgress] = useState<MeasureProgressInfo | null>(null);
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<MeasureAllResultInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [withLeaks, setWithLeaks] = useState(false);

  useEffect(() => {
    let off: (() => void) | undefined;
    try {
      off = store.client().on('measureProgress', (next) => {
        setProgress(next);
        // A run started elsewhere (the CLI, another window) shows here too.
        setRunning(next.phase !== 'done' && next.phase !== 'cancelled');
      });
    } catch {
      /* not connected yet: nothing to listen to */
    }
    return () => off?.();
  }, [store]);

  const start = async (): Promise<void> => {
    setRunning(true);
    setError(null);
    setResult(null);
    setProgress(null);
    try {
      setResult(await store.client().measureAll(withLeaks ? { leaks: true } : {}));
    } catch (caught) {
      setError(toShownError(caught).message);
    } finally {
      setRunning(false);
      onFinished();
    }
  };

  const cancel = async (): Promise<void> => {
    try {
      await store.client().cancelMeasurement({});
    } catch (caught) {
      setError(toShownError(caught).message);
    }
  };

  return (
    <Stack spacing={1}>
      <Box sx={{ display: 'flex', gap: 1, alignItems: 'center', flexWrap: 'wrap' }}>
        <Button variant="contained" startIcon={<SpeedIcon />} onClick={() => void start()} disabled={running}>
          Measure all
        </Button>
        <FormControlLabel
          control={<Checkbox checked={withLeaks} onChange={(event) => setWithLeaks(event.target.checked)} disabled={running} size="small" />}
          label="With leak tests"
        />
        {running ? (
          <Button startIcon={<CancelIcon />} onClick={() => void cancel()}>
            Cancel
          </Button>
        ) : null}
        <Typography variant="body2" color="text.secondary" sx={{ flexGrow: 1, minWidth: 240 }}>
          Measures “No tunnel” first (while it does, your traffic leaves without a tunnel, as with Burrow off), then connects to each profile in turn through the kill switch, measures it, and returns to where you were.
        </Typography>
      </Box>
      {running ? (
        <Box data-testid="measure-progress">
          <LinearProgress variant={progress ? 'determinate' : 'indeterminate'} value={progress ? overallPercent(progress) : 0} aria-label="Measure all progress" />
          <Typography variant="body2" sx={{ mt: 0.5 }}>
            {progress
              ? `Step ${progress.step} of ${progress.of}${progress.profileName ? ` — ${progress.profileName}` : ''}: ${PHASE_TEXT[progress.phase]}${progress.percent === undefined ? '' : ` (${progress.percent}%)`}`
              : 'Starting…'}
          </Typography>
        </Box>
      ) : null}
      {error !== null ? (
        <Alert severity="error" sx={{ whiteSpace: 'pre-wrap' }} data-testid="measure-error">
          {error}
        </Alert>
      ) : null}
      {result ? (
        <Alert severity={result.cancelled || result.skipped.length > 0 || result.problems.length > 0 ? 'warning' : 'success'} data-testid="measure-result">
          {result.cancelled ? 'Cancelled' : 'Done'}: {result.measurements.length} measurements stored.
          {(result.leaks ?? []).map((l) => (
            <div key={`leaks-${l.profileId}`}>
              Leak tests on {nameOf(l.profileId)}: {l.passed} passed, {l.leaked} leaked, {l.notTested} not tested.
            </div>
          ))}
          {result.skipped.map((s) => (
            <div key={s.profileId}>
              Skipped {nameOf(s.profileId)}: {s.reason}
            </div>
          ))}
          {result.problems.map((p, i) => (
            <div key={i}>
              {nameOf(p.profileId)} — {p.kind}: {p.message}
            </div>
          ))}
        </Alert>
      ) : null}
    </Stack>
  );
}
