// Charts of what was measured: only networks with a number appear; with none, the page says so.
import Box from '@mui/material/Box';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { BarChart } from '@mui/x-charts/BarChart';
import type { ReactNode } from 'react';
import type { ComparisonRow } from '../../../../app/contract/index.js';

function ChartCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Paper variant="outlined" sx={{ p: 2 }} component="figure" aria-label={title}>
      <Typography variant="subtitle1" component="figcaption" sx={{ fontWeight: 600 }}>
        {title}
      </Typography>
      {children}
    </Paper>
  );
}

export function CompareCharts({ rows }: { rows: ComparisonRow[] }) {
  const latency = rows.filter((row) => row.measured.rttMedianMs !== null);
  const throughput = rows.filter((row) => row.measured.throughputBps !== null);
  if (latency.length === 0 && throughput.length === 0) {
    return (
      <Typography color="text.secondary" data-testid="compare-nothing-measured">
        Nothing has been measured on this machine yet, so there is nothing to chart.
      </Typography>
    );
  }
  return (
    <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: 'repeat(auto-fit, minmax(320px, 1fr))', '& figure': { m: 0 } }}>
      {latency.length > 0 ? (
        <ChartCard title="Round-trip time (ms)">
          <BarChart
            height={260}
            xAxis={[{ scaleType: 'band', data: latency.map((row) => row.label) }]}
            series={[
              { label: 'Median', data: latency.map((row) => row.measured.rttMedianMs) },
              { label: '95th percentile', data: latency.map((row) => row.measured.rttP95Ms) },
            ]}
          />
        </ChartCard>
      ) : null}
      {throughput.length > 0 ? (
        <ChartCard title="Download throughput (Mbit/s)">
          <BarChart
            height={260}
            xAxis={[{ scaleType: 'band', data: throughput.map((row) => row.label) }]}
            series={[
              {
                label: 'Throughput',
                data: throughput.map((row) => (row.measured.throughputBps === null ? null : row.measured.throughputBps / 1e6)),
              },
            ]}
          />
        </ChartCard>
      ) : null}
    </Box>
  );
}
