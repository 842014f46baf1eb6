/** A speaker's last 24 hours of telemetry as small SVG charts (5-minute buckets: the range shaded, the average drawn). */
import { api } from '../lib/api.js';
import { locale, tr } from '../lib/i18n.js';
import { useLoad } from '../lib/use-load.js';
import { ErrorBox, Loading } from './ui.js';

interface Bucket {
  ts: number;
  fields: Record<string, { min: number; avg: number; max: number }>;
}

const CHARTS: Array<[field: string, label: () => string, unit: string]> = [
  ['rssiDbm', () => tr('Sóng (RSSI)', 'Signal (RSSI)'), 'dBm'],
  ['tempC', () => tr('Nhiệt độ', 'Temperature'), '°C'],
  ['batteryPct', () => tr('Pin', 'Battery'), '%'],
  ['storageFreeMb', () => tr('Bộ nhớ trống', 'Free storage'), 'MB'],
];
const W = 300;
const H = 80;

const hhmm = (ts: number) => new Date(ts).toLocaleTimeString(locale(), { hour: '2-digit', minute: '2-digit' });

export function TelemetryCharts(props: { deviceId: string }) {
  const data = useLoad(() => api.get<{ items: Bucket[] }>(`/api/v1/health/devices/${encodeURIComponent(props.deviceId)}/telemetry`).then((b) => b.items), [props.deviceId]);
  const items = data.data ?? [];
  const shown = CHARTS.filter(([f]) => items.some((b) => b.fields[f]));
  return (
    <section class="panel" aria-labelledby="charts-h">
      <h2 id="charts-h">{tr('Số liệu 24 giờ qua', 'The last 24 hours')}</h2>
      <ErrorBox error={data.error} />
      {!data.data && !data.error ? <Loading /> : null}
      {data.data && !shown.length ? <p class="muted">{tr('Chưa có số liệu trong 24 giờ qua.', 'No telemetry in the last 24 hours.')}</p> : null}
      <div class="charts">
        {shown.map(([field, label, unit]) => (
          <Chart key={field} field={field} label={label()} unit={unit} items={items.filter((b) => b.fields[field])} />
        ))}
      </div>
    </section>
  );
}

function Chart(props: { field: string; label: string; unit: string; items: Bucket[] }) {
  const values = props.items.map((b) => b.fields[props.field]!);
  const lo = Math.min(...values.map((v) => v.min));
  const hi = Math.max(...values.map((v) => v.max));
  const t0 = props.items[0]!.ts;
  const t1 = Math.max(props.items.at(-1)!.ts, t0 + 1);
  const x = (ts: number) => ((ts - t0) / (t1 - t0)) * W;
  const y = (v: number) => H - 4 - ((v - lo) / Math.max(hi - lo, 1e-9)) * (H - 8);
  const line = props.items.map((b, i) => `${x(b.ts).toFixed(1)},${y(values[i]!.avg).toFixed(1)}`).join(' ');
  const band = [...props.items.map((b, i) => `${x(b.ts).toFixed(1)},${y(values[i]!.max).toFixed(1)}`), ...props.items.map((b, i) => `${x(b.ts).toFixed(1)},${y(values[i]!.min).toFixed(1)}`).reverse()].join(' ');
  const last = values.at(-1)!.avg;
  const text = tr(`${props.label}: gần nhất ${last} ${props.unit}, thấp nhất ${lo}, cao nhất ${hi}`, `${props.label}: latest ${last} ${props.unit}, lowest ${lo}, highest ${hi}`);
  return (
    <figure class="chart" data-chart={props.field} data-points={props.items.length}>
      <figcaption>
        <strong>{props.label}</strong> {last} {props.unit} <small class="muted">({lo} – {hi})</small>
      </figcaption>
      <svg viewBox={`-4 0 ${W + 8} ${H}`} role="img" aria-label={text} preserveAspectRatio="none">
        <polygon points={band} fill="#dbeafe" />
        {props.items.length > 1 ? <polyline points={line} fill="none" stroke="#0b5cad" stroke-width={2} vector-effect="non-scaling-stroke" /> : <circle cx={W / 2} cy={y(last)} r={4} fill="#0b5cad" />}
      </svg>
      <small class="muted chart-axis">
        <span>{hhmm(t0)}</span>
        <span>{hhmm(t1)}</span>
      </small>
    </figure>
  );
}
