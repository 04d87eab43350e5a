// One leak test: what it checks and, if the host has one, its latest verdict with the evidence.
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardActions from '@mui/material/CardActions';
import CardContent from '@mui/material/CardContent';
import Chip from '@mui/material/Chip';
import Typography from '@mui/material/Typography';
import type { LeakTestKind, LeakVerdict } from '../../../../app/domain/index.js';
import { NETWORK_LABELS } from '../../../../app/domain/index.js';
import { formatDateTime, formatMs, formatValue, humanizeKey } from '../../lib/format.js';
import { LEAK_TEST_INFO } from './leak-test-info.js';

const VERDICT_LOOK = {
  passed: { label: 'Passed', color: 'success' },
  leaked: { label: 'Leaked', color: 'error' },
  not_tested: { label: 'Not tested', color: 'default' },
} as const;

export interface LeakCardProps {
  test: LeakTestKind;
  verdict: LeakVerdict | undefined;
  running: boolean;
  onRun: () => void;
}

export function LeakCard({ test, verdict, running, onRun }: LeakCardProps) {
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
            label={look?.label ?? 'No result yet'}
            color={look?.color ?? 'default'}
            variant={look ? 'filled' : 'outlined'}
            data-testid="leak-verdict"
          />
        </Box>
        <Typography variant="body2" color="text.secondary">
          {info.checks}
        </Typography>
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
  const evidence = Object.entries(verdict.evidence);
  return (
    <Box sx={{ mt: 1.5 }}>
      <Typography variant="body2" sx={{ fontWeight: 600, mb: 1 }}>
        {verdict.summary}
      </Typography>
      {evidence.length > 0 ? (
        <Box component="dl" sx={{ display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: 2, rowGap: 0.5, my: 1 }}>
          {evidence.map(([key, value]) => (
            <Box key={key} sx={{ display: 'contents' }}>
              <Typography component="dt" variant="caption" color="text.secondary">
                {humanizeKey(key)}
              </Typography>
              <Typography component="dd" variant="caption" sx={{ m: 0, fontFamily: 'monospace', wordBreak: 'break-all' }}>
                {formatValue(value)}
              </Typography>
            </Box>
          ))}
        </Box>
      ) : null}
      <Typography variant="caption" color="text.secondary">
        {formatDateTime(verdict.ranAt)} · {verdict.network ? NETWORK_LABELS[verdict.network] : 'no tunnel'} · took {formatMs(verdict.durationMs)}
      </Typography>
    </Box>
  );
}
