// The Compare page's first view: the picture. Privacy against speed for every network at once, and one
// card per network (five columns: No tunnel, WireGuard, Tor, Nym, dVPN) with its measured speed, privacy
// rank and leak verdict, each number with its unit and its conditions. The sentences behind a network
// are one click away (its "Why" button); nothing here is invented: unmeasured is said as such.
import ExpandLessIcon from '@mui/icons-material/ExpandLess';
import ExpandMoreIcon from '@mui/icons-material/ExpandMore';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Collapse from '@mui/material/Collapse';
import Link from '@mui/material/Link';
import Paper from '@mui/material/Paper';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import type { Comparison, GetsThrough, NetworkAvailability } from '../../../../app/contract/index.js';
import type { Measurement } from '../../../../app/domain/index.js';
import { formatDateTime, NOT_MEASURED } from '../../lib/format.js';
import { PrivacyVsSpeed } from './CompareCharts.js';
import { formatMeasuredMs } from './compare-format.js';
import { formatMbps, glanceRows, leakVerdict, type Glance, type GlanceNumber } from './glance-data.js';

function Figure({ label, testId, shown, number }: { label: string; testId: string; shown: string; number: GlanceNumber | null }) {
  return (
    <Box>
      <Typography variant="caption" color="text.secondary" component="div">
        {label}
      </Typography>
      <Typography variant="h6" component="div" data-testid={testId} sx={{ fontVariantNumeric: 'tabular-nums', lineHeight: 1.3 }}>
        {shown}
      </Typography>
      {number && number.conditions !== '' ? (
        <Typography variant="caption" color="text.secondary" component="div">
          {number.conditions}
        </Typography>
      ) : null}
    </Box>
  );
}

/** Smart connect's measured answer for the network the person is on now. */
function GetsThroughLine({ value }: { value: GetsThrough }) {
  const color = value.verdict === 'yes' ? 'success.main' : value.verdict === 'no' ? 'error.main' : 'text.secondary';
  return (
    <Box>
      <Typography variant="caption" color="text.secondary" component="div">
        Gets through here?
      </Typography>
      <Typography variant="body2" component="div" data-testid="glance-gets-through" sx={{ color, fontWeight: value.verdict === 'untested' ? 400 : 600 }}>
        {value.text}
      </Typography>
      {value.at ? (
        <Typography variant="caption" color="text.secondary" component="div">
          Smart connect, {formatDateTime(value.at)}
        </Typography>
      ) : null}
    </Box>
  );
}

function GlanceCard({ glance, comparison, standIn }: { glance: Glance; comparison: Comparison; standIn: string | undefined }) {
  const [open, setOpen] = useState(false);
  const verdict = leakVerdict(glance.leaks);
  const row = comparison.rows.find((r) => r.network === glance.network);
  const labels = new Map((comparison.factLabels ?? []).map((f) => [f.key, f.label]));
  const when = glance.downloadMbps?.measuredAt ?? glance.rttMs?.measuredAt ?? null;
  return (
    <Paper variant="outlined" sx={{ p: 1.5, display: 'flex', flexDirection: 'column', gap: 1, minWidth: 0 }} data-testid={`glance-${glance.network}`} aria-label={glance.label}>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.75, flexWrap: 'wrap' }}>
        <Typography variant="subtitle1" component="h3" sx={{ fontWeight: 700 }}>
          {glance.label}
        </Typography>
        {standIn ? (
          <Tooltip title={standIn}>
            <Chip label="stand-in" size="small" color="warning" variant="outlined" data-testid="stand-in-badge" />
          </Tooltip>
        ) : null}
      </Box>
      <Tooltip title={glance.privacyLabel ?? 'No rank'}>
        <Typography variant="body2" data-testid="glance-privacy">
          Privacy {glance.privacyRank === null ? '—' : `${glance.privacyRank} of 3`}
          {glance.privacyLabel ? (
            <Typography component="span" variant="caption" color="text.secondary" sx={{ display: 'block' }}>
              {glance.privacyLabel}
            </Typography>
          ) : null}
        </Typography>
      </Tooltip>
      <Figure label="Download" testId="glance-download" shown={glance.downloadMbps ? formatMbps(glance.downloadMbps.value) : NOT_MEASURED} number={glance.downloadMbps} />
      <Figure label="Round trip" testId="glance-rtt" shown={glance.rttMs ? formatMeasuredMs(glance.rttMs.value) : NOT_MEASURED} number={glance.rttMs} />
      {glance.network !== 'none' ? (
        <Figure label="Connect" testId="glance-connect" shown={glance.connectMs ? formatMeasuredMs(glance.connectMs.value) : NOT_MEASURED} number={null} />
      ) : null}
      <Chip label={verdict.text} color={verdict.tone} size="small" variant={verdict.tone === 'default' ? 'outlined' : 'filled'} data-testid="glance-leaks" sx={{ alignSelf: 'flex-start' }} />
      {row?.getsThrough ? <GetsThroughLine value={row.getsThrough} /> : null}
      <Typography variant="caption" color="text.secondary">
        {when ? `Measured ${formatDateTime(when)}` : 'Not measured yet'}
      </Typography>
      <Button size="small" onClick={() => setOpen(!open)} endIcon={open ? <ExpandLessIcon /> : <ExpandMoreIcon />} aria-expanded={open} sx={{ alignSelf: 'flex-start' }}>
        Why
      </Button>
      <Collapse in={open} unmountOnExit>
        <Box component="dl" sx={{ m: 0, '& dt': { fontWeight: 600, fontSize: 13, mt: 1 }, '& dd': { m: 0, fontSize: 13 } }} data-testid="glance-facts">
          {Object.entries(row?.facts ?? {}).map(([key, fact]) => (
            <Box key={key} sx={{ display: 'contents' }}>
              <dt>{labels.get(key) ?? key}</dt>
              <dd>
                {fact.text}
                {fact.source ? (
                  <>
                    {' '}
                    <Link href={fact.source} target="_blank" rel="noreferrer noopener">
                      source
                    </Link>
                  </>
                ) : null}
              </dd>
            </Box>
          ))}
        </Box>
      </Collapse>
    </Paper>
  );
}

export function CompareOverview({ comparison, measurements, networks }: { comparison: Comparison; measurements: Measurement[]; networks: NetworkAvailability[] }) {
  const glances = glanceRows(comparison, measurements);
  return (
    <Box component="section" aria-label="At a glance" data-testid="compare-overview" sx={{ display: 'flex', flexDirection: 'column', gap: 2 }}>
      <PrivacyVsSpeed comparison={comparison} />
      <Box sx={{ display: 'grid', gap: 1.5, gridTemplateColumns: 'repeat(auto-fit, minmax(170px, 1fr))' }}>
        {glances.map((glance) => (
          <GlanceCard key={glance.network} glance={glance} comparison={comparison} standIn={networks.find((n) => n.network === glance.network)?.standIn} />
        ))}
      </Box>
    </Box>
  );
}
