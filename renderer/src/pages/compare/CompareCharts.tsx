// Charts of what was measured here: round-trip time and download per network over time (every stored
// measurement), and privacy against speed (each network's latest download and its privacy rank). Each
// chart lists the numbers it plots underneath, for screen readers and for anyone who wants them exact.
// With nothing measured, the page says so instead of drawing empty axes.
import Box from '@mui/material/Box';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { LineChart } from '@mui/x-charts/LineChart';
import { ScatterChart } from '@mui/x-charts/ScatterChart';
import type { ReactNode } from 'react';
import type { Comparison } from '../../../../app/contract/index.js';
import type { Measurement } from '../../../../app/domain/index.js';
import { formatDateTime } from '../../lib/format.js';
import { scatterPoints, timeSeries, type TimePoint } from './chart-data.js';
import { axisScale } from './compare-format.js';

function ChartCard({ title, id, children }: { title: string; id: string; children: ReactNode }) {
  return (
    <Paper variant="outlined" sx={{ p: 2, m: 0, minWidth: 0 }} component="figure" aria-label={title} data-testid={id}>
      <Typography variant="subtitle1" component="figcaption" sx={{ fontWeight: 600 }}>
        {title}
      </Typography>
      {children}
    </Paper>
  );
}

/** The plotted numbers as a small table (visually compact; complete for assistive technology and tests). */
function ValuesTable({ caption, rows }: { caption: string; rows: Array<{ key: string; cells: string[] }> }) {
  return (
    <Box component="details" sx={{ mt: 1, '& summary': { cursor: 'pointer', color: 'text.secondary', fontSize: 13 } }}>
      <summary>Numbers</summary>
      <Box component="table" aria-label={caption} sx={{ fontSize: 13, borderCollapse: 'collapse', '& td, & th': { pr: 2, textAlign: 'left' } }}>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key} data-testid="chart-value">
              {row.cells.map((cell, i) => (
                <td key={i}>{cell}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </Box>
    </Box>
  );
}

function pointRows(points: TimePoint[], unit: string) {
  return points.map((p) => ({ key: String(p.measurementId), cells: [p.label, formatDateTime(p.at.toISOString()), `${p.value} ${unit}`] }));
}

function OverTime({ measurements, comparison, kind }: { measurements: Measurement[]; comparison: Comparison; kind: 'rtt' | 'throughput' }) {
  const data = timeSeries(measurements, kind, comparison.rows);
  const unit = kind === 'rtt' ? 'ms' : 'Mbit/s';
  const title = kind === 'rtt' ? 'Round-trip time over time (median, ms)' : 'Download over time (Mbit/s)';
  const id = kind === 'rtt' ? 'chart-rtt' : 'chart-throughput';
  if (data.points.length === 0) {
    return (
      <ChartCard title={title} id={id}>
        <Typography color="text.secondary">Not measured yet.</Typography>
      </ChartCard>
    );
  }
  return (
    <ChartCard title={title} id={id}>
      <LineChart
        height={260}
        xAxis={[{ data: data.times, scaleType: 'time', valueFormatter: (value: Date) => value.toLocaleTimeString() }]}
        yAxis={[axisScale(data.points.map((p) => p.value)) === 'log' ? { label: `${unit} (log scale)`, scaleType: 'log', valueFormatter: (v: number) => String(v) } : { label: unit, min: 0 }]}
        series={data.series.map((s) => ({ id: s.id, label: s.label, data: s.data, connectNulls: true, showMark: true, valueFormatter: (v: number | null) => (v === null ? '' : `${v} ${unit}`) }))}
      />
      <ValuesTable caption={`${title}: values`} rows={pointRows(data.points, unit)} />
    </ChartCard>
  );
}

function PrivacyVsSpeed({ comparison }: { comparison: Comparison }) {
  const points = scatterPoints(comparison.rows);
  const title = 'Privacy against speed';
  const levels = comparison.privacyScale?.levels ?? [];
  const maxRank = Math.max(3, ...levels.map((l) => l.rank));
  if (points.length === 0) {
    return (
      <ChartCard title={title} id="chart-privacy-speed">
        <Typography color="text.secondary">Measure a download first: the chart places each measured network by its speed and its privacy.</Typography>
      </ChartCard>
    );
  }
  return (
    <ChartCard title={title} id="chart-privacy-speed">
      <ScatterChart
        height={260}
        xAxis={[axisScale(points.map((p) => p.x)) === 'log' ? { label: 'Download (Mbit/s, latest; log scale)', scaleType: 'log', valueFormatter: (v: number) => String(v) } : { label: 'Download (Mbit/s, latest)', min: 0 }]}
        yAxis={[{ label: 'Privacy rank', min: 0, max: maxRank, tickInterval: levels.map((l) => l.rank), valueFormatter: (v: number) => String(v) }]}
        series={points.map((p) => ({ id: p.id, label: p.label, data: [{ id: p.id, x: p.x, y: p.y }], valueFormatter: () => `${p.label}: ${p.x} Mbit/s, privacy ${p.y}` }))}
      />
      {comparison.privacyScale ? (
        <Typography variant="caption" color="text.secondary" component="p">
          Privacy rank — {comparison.privacyScale.question.toLowerCase()}: {levels.map((l) => `${l.rank} ${l.label}`).join('; ')}.
        </Typography>
      ) : null}
      <ValuesTable caption={`${title}: values`} rows={points.map((p) => ({ key: p.id, cells: [p.label, `${p.x} Mbit/s`, `privacy ${p.y}`] }))} />
    </ChartCard>
  );
}

export function CompareCharts({ comparison, measurements }: { comparison: Comparison; measurements: Measurement[] }) {
  const any = measurements.some((m) => m.kind === 'rtt' || m.kind === 'throughput');
  if (!any) {
    return (
      <Typography color="text.secondary" data-testid="compare-nothing-measured">
        Nothing has been measured on this machine yet, so there is nothing to chart. “Measure all” connects to each profile in turn and measures it.
      </Typography>
    );
  }
  return (
    <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: 'repeat(auto-fit, minmax(340px, 1fr))' }}>
      <OverTime measurements={measurements} comparison={comparison} kind="rtt" />
      <OverTime measurements={measurements} comparison={comparison} kind="throughput" />
      <PrivacyVsSpeed comparison={comparison} />
    </Box>
  );
}
