// One leak test: what it checks and, if the host has one, its latest verdict with the evidence, when it ran
// and on which network.
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardActions from '@mui/material/CardActions';
import CardContent from '@mui/material/CardContent';
import Chip from '@mui/material/Chip';
import LinearProgress from '@mui/material/LinearProgress';
import Typography from '@mui/material/Typography';
import type { LeakTestKind, LeakVerdict } from '../../../../app/domain/index.js';
import { NETWORK_LABELS } from '../../../../app/domain/index.js';
import { formatDateTime, formatMs } from '../../lib/format.js';
import { LeakEvidence } from './LeakEvidence.js';
import { LEAK_TEST_INFO } from './leak-test-info.js';

const VERDICT_LOOK = {
  passed: { label: 'Passed', color: 'success' },
  leaked: { label: 'Leaked', color: 'error' },
  not_tested: { label: 'Not tested', color: 'default' },
} as const;

export interface LeakCardProps {
  test: LeakTestKind;
  verdict: LeakVerdict | undefined;
  /** Some run is under way (the buttons wait for it). */
  running: boolean;
  /** This test is part of that run and its verdict has not arrived yet. */
  pending: boolean;
  onRun: () => void;
}

export function LeakCard({ test, verdict, running, pending, onRun }: LeakCardProps) {
  const info = LEAK_TEST_INFO[test];
  const look = verdict ? VERDICT_LOOK[verdict.verdict] : undefined;
  return (
    <Card component="section" aria-labelledby={`leak-${test}-title`} data-testid={`leak-card-${test}`} sx={{ display: 'flex', flexDirection: 'column' }}>
      <CardContent sx={{ flexGrow: 1 }}>
        <Box sx={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: 1, mb: 1 }}>
          <Typography id={`leak-${test}-title`} variant="h6" component="h2">
            {info.title}
          </Typography>
          <Chip
            size="small"
            label={pending ? 'Running…' : (look?.label ?? 'No result yet')}
            color={pending ? 'info' : (look?.color ?? 'default')}
            variant={look && !pending ? 'filled' : 'outlined'}
            data-testid="leak-verdict"
          />
        </Box>
        <Typography variant="body2" color="text.secondary">
          {info.checks}
        </Typography>
        {pending ? <LinearProgress sx={{ mt: 1.5 }} aria-label={`${info.title} running`} /> : null}
        {verdict ? <VerdictDetails verdict={verdict} /> : null}
      </CardContent>
      <CardActions>
        <Button size="small" onClick={onRun} disabled={running} aria-label={`Run ${info.title}`}>
          {info.disruptive ? 'Run (interrupts the tunnel)' : 'Run'}
        </Button>
      </CardActions>
    </Card>
  );
}

function VerdictDetails({ verdict }: { verdict: LeakVerdict }) {
  return (
    <Box sx={{ mt: 1.5 }}>
      <Typography variant="body2" sx={{ fontWeight: 600, mb: 1 }} data-testid="leak-summary">
        {verdict.summary}
      </Typography>
      <LeakEvidence evidence={verdict.evidence} />
      <Typography variant="caption" color="text.secondary" data-testid="leak-ran">
        {formatDateTime(verdict.ranAt)} · {verdict.network ? NETWORK_LABELS[verdict.network] : 'no tunnel'} · took {formatMs(verdict.durationMs)}
      </Typography>
    </Box>
  );
}
