// Compare: what each network buys in privacy and costs in speed. Asks the host for the comparison (facts
// and the latest numbers) and the stored measurements (for the charts over time); when the host has no
// comparison it answers `not_implemented` and this page says so instead of inventing numbers.
import RefreshIcon from '@mui/icons-material/Refresh';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useCallback, useEffect, useState } from 'react';
import type { Comparison } from '../../../../app/contract/index.js';
import type { Measurement } from '../../../../app/domain/index.js';
import { isNotImplemented, toShownError } from '../../notify/error-text.js';
import { useStore } from '../../store/store-context.js';
import { CompareCharts } from './CompareCharts.js';
import { CompareTable } from './CompareTable.js';
import { MeasurePanel } from './MeasurePanel.js';

type Loaded =
  | { status: 'loading' }
  | { status: 'ready'; comparison: Comparison; measurements: Measurement[] }
  | { status: 'not_built'; message: string }
  | { status: 'failed'; message: string };

export function ComparePage() {
  const store = useStore();
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' });

  const load = useCallback(async (quiet = false): Promise<void> => {
    if (!quiet) setLoaded({ status: 'loading' });
    try {
      const client = store.client();
      const comparison = await client.getComparison();
      // The charts over time: every stored measurement the host keeps (at most its last 1000).
      const measurements = await client.getHistory({ limit: 1000 }).then(
        (history) => history.measurements,
        () => [] as Measurement[],
      );
      setLoaded({ status: 'ready', comparison, measurements });
    } catch (error) {
      const { message } = toShownError(error);
      setLoaded(isNotImplemented(error) ? { status: 'not_built', message } : { status: 'failed', message });
    }
  }, [store]);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <Stack spacing={2.5}>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 2 }}>
        <Typography color="text.secondary" sx={{ flexGrow: 1 }}>
          What each network protects you from, and what it costs in speed — measured on this machine, not claimed.
        </Typography>
        <Button startIcon={<RefreshIcon />} onClick={() => void load()} disabled={loaded.status === 'loading'}>
          Refresh
        </Button>
      </Box>
      {loaded.status === 'loading' ? <CircularProgress aria-label="Loading the comparison" /> : null}
      {loaded.status === 'not_built' ? (
        <Alert severity="info" data-testid="compare-not-built">
          <AlertTitle>The comparison is not built yet</AlertTitle>
          This version of Burrow has no privacy facts or measurements to compare. The host said: “{loaded.message}”
        </Alert>
      ) : null}
      {loaded.status === 'failed' ? (
        <Alert severity="error" sx={{ whiteSpace: 'pre-wrap' }}>
          <AlertTitle>The comparison could not be loaded</AlertTitle>
          {loaded.message}
        </Alert>
      ) : null}
      {loaded.status === 'ready' ? (
        loaded.comparison.rows.length === 0 ? (
          <Typography color="text.secondary">The host has no networks to compare yet.</Typography>
        ) : (
          <>
            <MeasurePanel onFinished={() => void load(true)} />
            {loaded.comparison.findings && loaded.comparison.findings.length > 0 ? (
              <Alert severity="info" icon={false} data-testid="compare-findings">
                {loaded.comparison.findings.map((finding) => (
                  <div key={finding}>{finding}</div>
                ))}
              </Alert>
            ) : null}
            <CompareTable comparison={loaded.comparison} />
            <CompareCharts comparison={loaded.comparison} measurements={loaded.measurements} />
          </>
        )
      ) : null}
    </Stack>
  );
}
