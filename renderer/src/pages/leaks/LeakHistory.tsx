// Leak-test history per network, from the host's database: a stacked bar per run (passed / leaked / not
// tested) over time, with the counts listed underneath for anyone who wants them exact.
import Box from '@mui/material/Box';
import Paper from '@mui/material/Paper';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Typography from '@mui/material/Typography';
import { BarChart } from '@mui/x-charts/BarChart';
import { useState } from 'react';
import { NETWORK_LABELS, type LeakVerdict } from '../../../../app/domain/index.js';
import { runsFor, testedNetworks, type NetworkKey } from './leak-history.js';

const MAX_RUNS_SHOWN = 20;

export function networkLabel(key: NetworkKey): string {
  return key === 'none' ? 'No tunnel' : NETWORK_LABELS[key];
}

export function LeakHistory({ verdicts }: { verdicts: readonly LeakVerdict[] }) {
  const networks = testedNetworks(verdicts);
  const [chosen, setChosen] = useState<NetworkKey | null>(null);
  const network = chosen !== null && networks.includes(chosen) ? chosen : networks[0];
  return (
    <Paper variant="outlined" component="section" aria-labelledby="leak-history-title" data-testid="leak-history" sx={{ p: 2 }}>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 2, flexWrap: 'wrap', mb: 1 }}>
        <Typography id="leak-history-title" variant="h6" component="h2" sx={{ flexGrow: 1 }}>
          History
        </Typography>
        {networks.length > 0 ? (
          <ToggleButtonGroup size="small" exclusive value={network} onChange={(_event, value: NetworkKey | null) => value !== null && setChosen(value)} aria-label="Network">
            {networks.map((key) => (
              <ToggleButton key={key} value={key}>
                {networkLabel(key)}
              </ToggleButton>
            ))}
          </ToggleButtonGroup>
        ) : null}
      </Box>
      {network === undefined ? (
        <Typography color="text.secondary" data-testid="leak-history-empty">
          No leak tests have run yet: results appear here, per network, after the first run.
        </Typography>
      ) : (
        <RunsChart verdicts={verdicts} network={network} />
      )}
    </Paper>
  );
}

function RunsChart({ verdicts, network }: { verdicts: readonly LeakVerdict[]; network: NetworkKey }) {
  const runs = runsFor(verdicts, network).slice(-MAX_RUNS_SHOWN);
  const labels = runs.map((run) => run.at.toLocaleString());
  return (
    <Box data-testid="leak-history-chart">
      <Typography variant="body2" color="text.secondary">
        Results of each run on {networkLabel(network)}, oldest to newest.
      </Typography>
      <BarChart
        height={240}
        xAxis={[{ data: runs.map((run) => run.at.toLocaleTimeString()), scaleType: 'band' }]}
        yAxis={[{ label: 'tests', min: 0, tickMinStep: 1 }]}
        series={[
          { id: 'passed', label: 'Passed', data: runs.map((run) => run.passed), stack: 'result', color: '#2e7d32' },
          { id: 'leaked', label: 'Leaked', data: runs.map((run) => run.leaked), stack: 'result', color: '#d32f2f' },
          { id: 'notTested', label: 'Not tested', data: runs.map((run) => run.notTested), stack: 'result', color: '#9e9e9e' },
        ]}
      />
      <Box component="details" sx={{ mt: 1, '& summary': { cursor: 'pointer', color: 'text.secondary', fontSize: 13 } }}>
        <summary>Numbers</summary>
        <Box component="table" aria-label="Leak-test runs" sx={{ fontSize: 13, borderCollapse: 'collapse', '& td, & th': { pr: 2, textAlign: 'left' } }}>
          <thead>
            <tr>
              <th>Run</th>
              <th>Passed</th>
              <th>Leaked</th>
              <th>Not tested</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((run, i) => (
              <tr key={run.at.toISOString()} data-testid="leak-history-run">
                <td>{labels[i]}</td>
                <td>{run.passed}</td>
                <td>{run.leaked}</td>
                <td>{run.notTested}</td>
              </tr>
            ))}
          </tbody>
        </Box>
      </Box>
    </Box>
  );
}
