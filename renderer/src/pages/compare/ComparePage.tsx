// Compare: what each network buys in privacy and costs in speed. Picture first: privacy against speed and
// one card per network (speed, privacy rank, leak verdict, with units and conditions); then one chart per
// metric, then the history; the sentences (facts with sources) are one click away, per network or all in
// the table. Asks the host for the comparison (facts and the latest numbers) and the stored measurements;
// when the host has no comparison it answers `not_implemented` and this page says so instead of inventing.
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
import Accordion from '@mui/material/Accordion';
import AccordionDetails from '@mui/material/AccordionDetails';
import AccordionSummary from '@mui/material/AccordionSummary';
import ExpandMoreIcon from '@mui/icons-material/ExpandMore';
import { useSnapshot } from '../../store/store-context.js';
import { CompareCharts, MetricCharts } from './CompareCharts.js';
import { CompareOverview } from './CompareOverview.js';
import { CompareTable } from './CompareTable.js';
import { MeasurePanel } from './MeasurePanel.js';

type Loaded =
  | { status: 'loading' }
  | { status: 'ready'; comparison: Comparison; measurements: Measurement[] }
  | { status: 'not_built'; message: string }
  | { status: 'failed'; message: string };

export function ComparePage() {
  const store = useStore();
  const { networks } = useSnapshot();
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
            <CompareOverview comparison={loaded.comparison} measurements={loaded.measurements} networks={networks} />
            {loaded.comparison.findings && loaded.comparison.findings.length > 0 ? (
              <Alert severity="info" icon={false} data-testid="compare-findings">
                {loaded.comparison.findings.map((finding) => (
                  <div key={finding}>{finding}</div>
                ))}
              </Alert>
            ) : null}
            <MetricCharts comparison={loaded.comparison} measurements={loaded.measurements} />
            <Accordion disableGutters variant="outlined" data-testid="compare-details">
              <AccordionSummary expandIcon={<ExpandMoreIcon />}>
                <Typography sx={{ fontWeight: 600 }}>Every fact and number, in sentences, with sources</Typography>
              </AccordionSummary>
              <AccordionDetails>
                <CompareTable comparison={loaded.comparison} />
              </AccordionDetails>
            </Accordion>
            <Typography variant="subtitle1" component="h2" sx={{ fontWeight: 600 }}>
              Over time
            </Typography>
            <CompareCharts comparison={loaded.comparison} measurements={loaded.measurements} />
          </>
        )
      ) : null}
    </Stack>
  );
}
