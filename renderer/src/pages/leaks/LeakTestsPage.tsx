// Leak tests: one card per test, "Run all", verdicts from answers and `leakResult` events. When the host
// has no leak tests yet it says `not_implemented`, and so does this page: no verdict is ever made up here.
import PlayArrowIcon from '@mui/icons-material/PlayArrow';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useEffect, useState } from 'react';
import { LEAK_TESTS, type LeakTestKind } from '../../../../app/domain/index.js';
import { isNotImplemented, toShownError } from '../../notify/error-text.js';
import { useNotify } from '../../notify/NotifyProvider.js';
import { useStore, useView } from '../../store/store-context.js';
import { LeakCard } from './LeakCard.js';

export function LeakTestsPage() {
  const store = useStore();
  const notify = useNotify();
  const { verdicts } = useView();
  const [running, setRunning] = useState(false);
  const [notBuilt, setNotBuilt] = useState<string | null>(null);

  useEffect(() => {
    // Earlier verdicts, if the host keeps a history; without one the cards simply have no result yet.
    let live = true;
    store
      .client()
      .getHistory({ limit: 100 })
      .then((history) => {
        if (live) store.recordVerdicts(history.leaks);
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [store]);

  const run = async (tests?: LeakTestKind[]): Promise<void> => {
    setRunning(true);
    try {
      const answer = await store.client().runLeakTest(tests ? { tests } : {});
      setNotBuilt(null);
      store.recordVerdicts(answer.verdicts);
    } catch (error) {
      if (isNotImplemented(error)) setNotBuilt(toShownError(error).message);
      else notify.error(error, 'The leak tests could not run');
    } finally {
      setRunning(false);
    }
  };

  return (
    <Stack spacing={2.5}>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 2, flexWrap: 'wrap' }}>
        <Typography color="text.secondary" sx={{ flexGrow: 1, minWidth: 240 }}>
          Each test checks, against whatever network is up, that nothing leaves outside it.
        </Typography>
        <Button variant="contained" startIcon={<PlayArrowIcon />} onClick={() => void run()} disabled={running}>
          Run all
        </Button>
      </Box>
      {running ? <LinearProgress aria-label="Leak tests running" /> : null}
      {notBuilt !== null ? (
        <Alert severity="info" data-testid="leaks-not-built">
          <AlertTitle>Leak tests are not built yet</AlertTitle>
          This version of Burrow cannot run leak tests, so there are no verdicts to show. The host said: “{notBuilt}”
        </Alert>
      ) : null}
      <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: 'repeat(auto-fill, minmax(300px, 1fr))' }}>
        {LEAK_TESTS.map((test) => (
          <LeakCard key={test} test={test} verdict={verdicts[test]} running={running} onRun={() => void run([test])} />
        ))}
      </Box>
    </Stack>
  );
}
