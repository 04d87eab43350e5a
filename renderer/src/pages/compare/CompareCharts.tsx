// Charts of what was measured here: privacy against speed (each network's latest download, its privacy
// rank and its leak verdict; the Compare page's first picture), one bar chart per metric with every
// network side by side (latest numbers), and round-trip time and download over time (every stored
// measurement). Each chart lists the numbers it plots underneath, for screen readers and for anyone who
// wants them exact. With nothing measured, the page says so instead of drawing empty axes.
import Box from '@mui/material/Box';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { BarChart } from '@mui/x-charts/BarChart';
import { LineChart } from '@mui/x-charts/LineChart';
import { ScatterChart } from '@mui/x-charts/ScatterChart';
import type { ReactNode } from 'react';
import type { Comparison } from '../../../../app/contract/index.js';
import type { Measurement } from '../../../../app/domain/index.js';
import { formatDateTime } from '../../lib/format.js';
import { scatterPoints, timeSeries, type TimePoint } from './chart-data.js';
import { axisScale, formatMeasuredMs } from './compare-format.js';
import { formatMbps, glanceRows, leakVerdict } from './glance-data.js';

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

export function PrivacyVsSpeed({ comparison }: { comparison: Comparison }) {
  const points = scatterPoints(comparison.rows);
  const title = 'Privacy against speed: up is more private, right is faster';
  const verdictOf = (id: string): string => leakVerdict(comparison.rows.find((r) => r.network === id)?.leaks ?? null).text;
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
        height={300}
        xAxis={[axisScale(points.map((p) => p.x)) === 'log' ? { label: 'Download (Mbit/s, latest; log scale)', scaleType: 'log', valueFormatter: (v: number) => String(v) } : { label: 'Download (Mbit/s, latest)', min: 0 }]}
        yAxis={[{ label: 'Privacy rank', min: 0, max: maxRank, tickInterval: levels.map((l) => l.rank), valueFormatter: (v: number) => String(v) }]}
        series={points.map((p) => ({ id: p.id, label: `${p.label} (${verdictOf(p.id)})`, markerSize: 8, data: [{ id: p.id, x: p.x, y: p.y }], valueFormatter: () => `${p.label}: ${p.x} Mbit/s, privacy ${p.y}, ${verdictOf(p.id)}` }))}
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

type Metric = 'download' | 'rtt' | 'connect';

const METRICS: Record<Metric, { title: string; unit: string; better: string }> = {
  download: { title: 'Download (latest, Mbit/s)', unit: 'Mbit/s', better: 'longer is faster' },
  rtt: { title: 'Round trip (latest median, ms)', unit: 'ms', better: 'shorter is quicker' },
  connect: { title: 'Connect time (latest, ms)', unit: 'ms', better: 'shorter is quicker' },
};

/** One metric, every network side by side; a network not measured has no bar and says so below. */
function MetricBars({ comparison, measurements, metric }: { comparison: Comparison; measurements: Measurement[]; metric: Metric }) {
  const { title, unit, better } = METRICS[metric];
  const glances = glanceRows(comparison, measurements).filter((g) => metric !== 'connect' || g.network !== 'none');
  const numberOf = (g: (typeof glances)[number]) => (metric === 'download' ? g.downloadMbps : metric === 'rtt' ? g.rttMs : g.connectMs);
  const values = glances.map((g) => {
    const n = numberOf(g);
    return n === null ? null : Math.round(n.value * 100) / 100;
  });
  const shown = (g: (typeof glances)[number]): string => {
    const n = numberOf(g);
    if (n === null) return 'not measured';
    return metric === 'download' ? formatMbps(n.value) : formatMeasuredMs(n.value);
  };
  const id = `chart-bars-${metric}`;
  if (values.every((v) => v === null)) {
    return (
      <ChartCard title={title} id={id}>
        <Typography color="text.secondary">Not measured yet.</Typography>
      </ChartCard>
    );
  }
  const log = axisScale(values.filter((v): v is number => v !== null)) === 'log';
  return (
    <ChartCard title={title} id={id}>
      <BarChart
        height={220}
        layout="horizontal"
        yAxis={[{ scaleType: 'band', data: glances.map((g) => g.label), width: 110 }]}
        xAxis={[log ? { label: `${unit} (log scale; ${better})`, scaleType: 'log', valueFormatter: (v: number) => String(v) } : { label: `${unit} (${better})`, min: 0 }]}
        series={[{ data: values, valueFormatter: (v: number | null) => (v === null ? 'not measured' : `${v} ${unit}`) }]}
      />
      <ValuesTable caption={`${title}: values`} rows={glances.map((g) => ({ key: g.network, cells: [g.label, shown(g), numberOf(g)?.conditions ?? ''] }))} />
    </ChartCard>
  );
}

/** The per-metric bars (latest numbers, all networks side by side). */
export function MetricCharts({ comparison, measurements }: { comparison: Comparison; measurements: Measurement[] }) {
  return (
    <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: 'repeat(auto-fit, minmax(320px, 1fr))' }} data-testid="compare-metric-charts">
      <MetricBars comparison={comparison} measurements={measurements} metric="download" />
      <MetricBars comparison={comparison} measurements={measurements} metric="rtt" />
      <MetricBars comparison={comparison} measurements={measurements} metric="connect" />
    </Box>
  );
}

/** Round trips and downloads over time, every stored measurement. */
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
    </Box>
  );
}
