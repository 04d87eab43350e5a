// Leak tests: one card per test, "Run all" with progress (cards fill in as `leakResult` events arrive), the
// history per network from the host's database, and the leak server's address. Verdicts always come from
// the host; this page only gathers the WebRTC candidates (Chromium's own behaviour is what is tested).
import PlayArrowIcon from '@mui/icons-material/PlayArrow';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useCallback, useEffect, useRef, useState } from 'react';
import { LEAK_TESTS, type LeakTestKind, type LeakVerdict } from '../../../../app/domain/index.js';
import { isNotImplemented, toShownError } from '../../notify/error-text.js';
import { useNotify } from '../../notify/NotifyProvider.js';
import { useSnapshot, useStore, useView } from '../../store/store-context.js';
import { SettingTextForm } from '../settings/SettingTextForm.js';
import { LeakCard } from './LeakCard.js';
import { LeakHistory } from './LeakHistory.js';
import { LEAK_TEST_INFO } from './leak-test-info.js';
import { gatherIceCandidates, stunUrlFor } from './webrtc-candidates.js';

const HISTORY_LIMIT = 1000;
/** "Run all" leaves out what interrupts the tunnel; that one runs only from its own card. */
const RUN_ALL = LEAK_TESTS.filter((test) => !LEAK_TEST_INFO[test].disruptive);

interface RunState {
  tests: LeakTestKind[];
  /** The verdicts shown when the run started: a test is done once its verdict is a different one. */
  before: Partial<Record<LeakTestKind, LeakVerdict>>;
  phase: 'gathering' | 'running';
}

export function LeakTestsPage() {
  const store = useStore();
  const notify = useNotify();
  const { verdicts } = useView();
  const { settings } = useSnapshot();
  const [run, setRun] = useState<RunState | null>(null);
  const [notBuilt, setNotBuilt] = useState<string | null>(null);
  const [history, setHistory] = useState<LeakVerdict[]>([]);
  const mounted = useRef(true);

  const loadHistory = useCallback(async (): Promise<void> => {
    try {
      const answer = await store.client().getHistory({ limit: HISTORY_LIMIT });
      if (!mounted.current) return;
      setHistory(answer.leaks);
      store.recordVerdicts(answer.leaks);
    } catch {
      // No history (older host, or it is away): the cards simply have no result yet.
    }
  }, [store]);

  useEffect(() => {
    mounted.current = true;
    void loadHistory();
    return () => {
      mounted.current = false;
    };
  }, [loadHistory]);

  const start = async (tests: LeakTestKind[]): Promise<void> => {
    const leakServer = settings.leakServer.url;
    const stun = tests.includes('webrtc') ? stunUrlFor(leakServer) : undefined;
    setRun({ tests, before: store.getView().verdicts, phase: stun ? 'gathering' : 'running' });
    try {
      const webrtcCandidates = stun ? await gatherIceCandidates(stun) : undefined;
      if (mounted.current) setRun((current) => current && { ...current, phase: 'running' });
      const answer = await store.client().runLeakTest({ tests, ...(webrtcCandidates ? { webrtcCandidates } : {}) });
      setNotBuilt(null);
      store.recordVerdicts(answer.verdicts);
      await loadHistory();
    } catch (error) {
      if (isNotImplemented(error)) setNotBuilt(toShownError(error).message);
      else notify.error(error, 'The leak tests could not run');
    } finally {
      if (mounted.current) setRun(null);
    }
  };

  const done = run ? run.tests.filter((test) => verdicts[test] !== undefined && verdicts[test] !== run.before[test]).length : 0;
  const pending = (test: LeakTestKind): boolean => run !== null && run.tests.includes(test) && (verdicts[test] === undefined || verdicts[test] === run.before[test]);

  return (
    <Stack spacing={2.5}>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 2, flexWrap: 'wrap' }}>
        <Typography color="text.secondary" sx={{ flexGrow: 1, minWidth: 240 }}>
          Each test checks, against whatever network is up, that nothing leaves outside it.
        </Typography>
        <Button variant="contained" startIcon={<PlayArrowIcon />} onClick={() => void start(RUN_ALL)} disabled={run !== null}>
          Run all
        </Button>
      </Box>
      {run ? (
        <Box data-testid="leak-progress">
          <LinearProgress variant="determinate" value={(100 * done) / run.tests.length} aria-label="Leak tests running" />
          <Typography variant="caption" color="text.secondary">
            {run.phase === 'gathering' ? 'Gathering WebRTC candidates from this window…' : `${done} of ${run.tests.length} tests done`}
          </Typography>
        </Box>
      ) : null}
      {settings.leakServer.url.trim() === '' ? (
        <Alert severity="warning" data-testid="leak-server-missing">
          No leak server is set: the tests that ask one will say “not tested”. Name one below.
        </Alert>
      ) : null}
      {notBuilt !== null ? (
        <Alert severity="info" data-testid="leaks-not-built">
          <AlertTitle>Leak tests are not built yet</AlertTitle>
          This version of Burrow cannot run leak tests, so there are no verdicts to show. The host said: “{notBuilt}”
        </Alert>
      ) : null}
      <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: 'repeat(auto-fill, minmax(300px, 1fr))' }}>
        {LEAK_TESTS.map((test) => (
          <LeakCard key={test} test={test} verdict={verdicts[test]} running={run !== null} pending={pending(test)} onRun={() => void start([test])} />
        ))}
      </Box>
      <LeakHistory verdicts={history} />
      <Paper variant="outlined" component="section" aria-labelledby="leak-server-title" sx={{ p: 2 }}>
        <Typography id="leak-server-title" variant="h6" component="h2" sx={{ mb: 1 }}>
          Leak server
        </Typography>
        <SettingTextForm
          key={`leak:${settings.leakServer.url}`}
          label="Leak server URL"
          helper="The leak-test server (burrow leakd) the tests ask; WebRTC uses its STUN server on port 3478 of the same host. Also under Settings."
          placeholder="https://leaks.example.org"
          initial={settings.leakServer.url}
          save={async (draft) => {
            await store.client().updateSettings({ leakServer: { url: draft.trim() } });
          }}
        />
      </Paper>
    </Stack>
  );
}
