// The Mysterium node picker for one dVPN profile: the identity (registration, balance, Register), the nodes
// on offer with country, price per GiB and per hour, quality and latency, filtered by country, and the
// profile's node chosen through the contract (updateProfile). All data comes from the host, which asks myst.
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useCallback, useEffect, useState } from 'react';
import type { DvpnNodes } from '../../../../app/contract/index.js';
import type { ProfileSummary } from '../../../../app/domain/index.js';
import { toShownError } from '../../notify/error-text.js';
import { useCommand } from '../../notify/use-command.js';
import { useStore } from '../../store/store-context.js';
import { DvpnIdentityCard } from './DvpnIdentityCard.js';
import { formatLatency, formatMyst, formatQuality, shortId } from './dvpn-format.js';

const ANY = 'any';

export function DvpnNodePicker({ profile }: { profile: ProfileSummary }) {
  const store = useStore();
  const command = useCommand();
  const [data, setData] = useState<DvpnNodes | undefined>(undefined);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [country, setCountry] = useState<string>(ANY);

  const load = useCallback(async (): Promise<void> => {
    setProblem(undefined);
    try {
      setData(await store.client().listDvpnNodes({ profile: profile.id, country: ANY }));
    } catch (error) {
      setProblem(toShownError(error).message);
    }
  }, [store, profile.id]);

  useEffect(() => {
    setData(undefined);
    void load();
  }, [load]);

  const chosen = typeof profile.details.node === 'string' && profile.details.node.startsWith('0x') ? profile.details.node : undefined;
  const choose = (node: string | null): void => {
    void command.run((client) => client.updateProfile({ profile: profile.id, dvpn: { node } }), 'Could not choose the node');
  };

  if (problem !== undefined) {
    return (
      <Alert severity="error" action={<Button onClick={() => void load()}>Ask again</Button>} data-testid="dvpn-problem">
        {problem}
      </Alert>
    );
  }
  if (data === undefined) {
    return (
      <Box role="status">
        <LinearProgress />
        <Typography variant="body2" sx={{ mt: 0.5 }}>
          Asking the Mysterium node for your identity and the nodes on offer…
        </Typography>
      </Box>
    );
  }
  const countries = [...new Set(data.nodes.map((node) => node.country).filter((code) => code !== ''))].sort();
  const shown = data.nodes.filter((node) => country === ANY || node.country === country);
  return (
    <Stack spacing={2} component="section" aria-label="Mysterium node picker">
      <DvpnIdentityCard profileId={profile.id} identity={data.identity} onChange={(identity) => setData({ ...data, identity })} />
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
        <TextField select size="small" label="Country" value={country} onChange={(event) => setCountry(event.target.value)} sx={{ minWidth: 160 }} data-testid="dvpn-country">
          <MenuItem value={ANY}>All countries</MenuItem>
          {countries.map((code) => (
            <MenuItem key={code} value={code} data-testid={`dvpn-country-${code}`}>
              {code}
            </MenuItem>
          ))}
        </TextField>
        <Typography variant="body2" data-testid="dvpn-chosen">
          {chosen === undefined ? `Node: ${String(profile.details.node ?? 'best quality')}` : `Node: ${shortId(chosen)} (chosen)`}
        </Typography>
        {chosen === undefined ? null : (
          <Button size="small" onClick={() => choose(null)} disabled={command.pending}>
            Best quality instead
          </Button>
        )}
      </Stack>
      <TableContainer>
      <Table size="small" aria-label="Mysterium nodes" sx={{ '& td, & th': { whiteSpace: 'nowrap', px: 1 } }}>
        <TableHead>
          <TableRow>
            <TableCell>Node</TableCell>
            <TableCell>Where</TableCell>
            <TableCell>Per GiB</TableCell>
            <TableCell>Per hour</TableCell>
            <TableCell>Quality</TableCell>
            <TableCell>Latency</TableCell>
            <TableCell />
          </TableRow>
        </TableHead>
        <TableBody>
          {shown.map((node) => {
            const isChosen = node.providerId.toLowerCase() === chosen;
            return (
              <TableRow key={node.providerId} selected={isChosen} data-testid={`dvpn-node-${node.providerId.toLowerCase()}`}>
                <TableCell sx={{ fontFamily: 'monospace' }} title={node.providerId}>
                  {shortId(node.providerId)}
                </TableCell>
                <TableCell>{[node.country, node.city].filter(Boolean).join(', ')}</TableCell>
                <TableCell>{formatMyst(node.pricePerGib)}</TableCell>
                <TableCell>{formatMyst(node.pricePerHour)}</TableCell>
                <TableCell>{formatQuality(node.quality)}</TableCell>
                <TableCell>{formatLatency(node.latencyMs)}</TableCell>
                <TableCell>
                  {isChosen ? (
                    <Typography variant="body2">In use</Typography>
                  ) : (
                    <Button size="small" onClick={() => choose(node.providerId)} disabled={command.pending} aria-label={`Use node ${node.providerId}`}>
                      Use
                    </Button>
                  )}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
      </TableContainer>
      {shown.length === 0 ? <Typography color="text.secondary">No node on offer{country === ANY ? '' : ` in ${country}`}.</Typography> : null}
    </Stack>
  );
}
