// A Nym profile's mixing settings: the mean delay per mix hop and cover traffic on/off, each with its cost
// as upstream's parameters state it (nym-socks5-client 1.1.76: three hops; cover ~55 packets/s ≈ 110 KiB/s
// each way) and as Burrow measured it through this profile. Changes go to the host (updateProfile); what is
// shown is always the host's answer.
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import FormControlLabel from '@mui/material/FormControlLabel';
import InputAdornment from '@mui/material/InputAdornment';
import Stack from '@mui/material/Stack';
import Switch from '@mui/material/Switch';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useCallback, useEffect, useState } from 'react';
import type { NymSettings } from '../../../../app/contract/index.js';
import type { ProfileSummary } from '../../../../app/domain/index.js';
import { formatDateTime } from '../../lib/format.js';
import { toShownError } from '../../notify/error-text.js';
import { useCommand } from '../../notify/use-command.js';
import { useStore } from '../../store/store-context.js';

function measuredText(measured: NonNullable<NymSettings['measured']>): string {
  const parts: string[] = [];
  if (measured.rttMs !== null) {
    parts.push(`round trip ${Math.round(measured.rttMs)} ms${measured.baselineRttMs === null ? '' : ` (+${Math.round(measured.rttMs - measured.baselineRttMs)} ms over no tunnel)`}`);
  }
  if (measured.throughputMbps !== null) parts.push(`${measured.throughputMbps} Mbit/s`);
  return `Measured through this profile on ${formatDateTime(measured.measuredAt)}: ${parts.join(', ')}. The settings at that time were not recorded.`;
}

export function NymSettingsPanel({ profile }: { profile: ProfileSummary }) {
  const store = useStore();
  const command = useCommand();
  const [settings, setSettings] = useState<NymSettings | undefined>(undefined);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [delay, setDelay] = useState('');

  const load = useCallback(async (): Promise<void> => {
    try {
      const next = await store.client().nymSettings({ profile: profile.id });
      setSettings(next);
      setDelay(String(next.averagePacketDelayMs));
      setProblem(undefined);
    } catch (error) {
      setProblem(toShownError(error).message);
    }
  }, [store, profile.id]);

  // Again whenever the host pushes the profile (its details change with every update).
  useEffect(() => {
    void load();
  }, [load, profile.details]);

  const change = async (nym: { averagePacketDelayMs?: number; coverTraffic?: boolean }): Promise<void> => {
    await command.run((client) => client.updateProfile({ profile: profile.id, nym }), 'Could not change the Nym settings');
    await load();
  };

  if (problem !== undefined) return <Alert severity="error">{problem}</Alert>;
  if (settings === undefined) return <Typography color="text.secondary">Reading the Nym settings…</Typography>;
  const delayNumber = Number(delay);
  const delayValid = delay.trim() !== '' && Number.isFinite(delayNumber) && delayNumber >= 0 && delayNumber <= 1000;
  return (
    <Stack spacing={2} component="section" aria-label="Nym mixing settings">
      <Box>
        <Stack direction="row" spacing={1} sx={{ alignItems: 'flex-start' }}>
          <TextField
            size="small"
            label="Mixing delay (mean per hop)"
            value={delay}
            onChange={(event) => setDelay(event.target.value)}
            error={!delayValid}
            helperText={delayValid ? ' ' : 'A number of milliseconds from 0 to 1000.'}
            slotProps={{ input: { endAdornment: <InputAdornment position="end">ms</InputAdornment> }, htmlInput: { inputMode: 'decimal', 'aria-label': 'Mixing delay in milliseconds' } }}
          />
          <Button variant="outlined" disabled={!delayValid || delayNumber === settings.averagePacketDelayMs || command.pending} onClick={() => void change({ averagePacketDelayMs: delayNumber })}>
            Save delay
          </Button>
        </Stack>
        <Typography variant="body2" data-testid="nym-delay-cost">
          Stated cost: {settings.averagePacketDelayMs} ms per hop × 3 hops, about +{settings.stated.addedRoundTripMs} ms per round trip.
        </Typography>
      </Box>
      <Box>
        <FormControlLabel
          sx={{ ml: 0 }}
          control={<Switch checked={settings.coverTraffic} disabled={command.pending} onChange={(_event, value) => void change({ coverTraffic: value })} />}
          label="Cover traffic"
        />
        <Typography variant="body2" data-testid="nym-cover-cost">
          {settings.coverTraffic
            ? `On. Stated cost: about ${settings.stated.coverPacketsPerSecond} packets/s, about ${settings.stated.coverKibPerSecond} KiB/s each way, idle or not.`
            : 'Off. No cover traffic: the client sends only when you do, which makes your traffic easier to observe.'}
        </Typography>
      </Box>
      <Typography variant="body2" color="text.secondary" data-testid="nym-measured-cost">
        {settings.measured === null ? 'Not measured through this profile yet: run Measure all on the Compare page.' : measuredText(settings.measured)}
      </Typography>
      <Typography variant="caption" color="text.secondary">
        Changes apply at the next connect.
      </Typography>
    </Stack>
  );
}
