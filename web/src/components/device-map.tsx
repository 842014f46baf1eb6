/** Speakers at their coordinates, drawn locally as SVG (no map tiles): shape and colour by health, each a link. */
import { tr } from '../lib/i18n.js';
import { healthLabel } from '../lib/labels.js';
import { onLinkClick } from '../lib/router.js';
import { HEALTH_STATES, type Device, type HealthState } from '../lib/types.js';

const W = 500;
const PAD = 24;
const R = 9;
const COLOUR: Record<HealthState, string> = { ok: '#1e7a3a', faulty: '#b3261e', silent: '#8a6100', offline: '#4f5966', never_seen: '#4f5966' };

/** A shape per state, so colour is never the only cue (as HealthBadge's marks). */
function Mark(props: { state: HealthState; x: number; y: number }) {
  const { x, y, state } = props;
  const c = COLOUR[state];
  if (state === 'faulty') return <polygon points={`${x},${y - R - 2} ${x + R + 2},${y + R} ${x - R - 2},${y + R}`} fill={c} />;
  if (state === 'silent') return <polygon points={`${x},${y - R - 1} ${x + R + 1},${y} ${x},${y + R + 1} ${x - R - 1},${y}`} fill={c} />;
  if (state === 'offline') return <circle cx={x} cy={y} r={R - 1} fill="#fff" stroke={c} stroke-width={3} />;
  if (state === 'never_seen') return <rect x={x - R + 2} y={y - R + 2} width={2 * R - 4} height={2 * R - 4} fill="#fff" stroke={c} stroke-width={3} stroke-dasharray="3 2" />;
  return <circle cx={x} cy={y} r={R} fill={c} />;
}

type Placed = Device & { lat: number; lon: number };

/** Equirectangular, scaled by the cosine of the latitude: true enough at a commune's scale. */
function project(devices: Placed[]) {
  const lats = devices.map((d) => d.lat);
  const lons = devices.map((d) => d.lon);
  const [minLat, maxLat, minLon, maxLon] = [Math.min(...lats), Math.max(...lats), Math.min(...lons), Math.max(...lons)];
  const k = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const spanX = Math.max((maxLon - minLon) * k, 1e-4);
  const spanY = Math.max(maxLat - minLat, 1e-4);
  const scale = (W - 2 * PAD) / Math.max(spanX, spanY * 1.5);
  const height = Math.round(spanY * scale + 2 * PAD);
  return { height, at: (d: Placed) => ({ x: PAD + (d.lon - minLon) * k * scale, y: PAD + (maxLat - d.lat) * scale }) };
}

export function DeviceMap(props: { devices: Device[] }) {
  const placed = props.devices.filter((d): d is Placed => d.lat !== null && d.lon !== null);
  const missing = props.devices.length - placed.length;
  if (!placed.length) return <p class="muted">{tr('Chưa có loa nào có toạ độ.', 'No speaker has coordinates yet.')}</p>;
  const { height, at } = project(placed);
  return (
    <figure class="device-map">
      <svg viewBox={`0 0 ${W} ${height}`} role="group" aria-label={tr(`Bản đồ ${placed.length} loa`, `Map of ${placed.length} speakers`)}>
        <rect x={0} y={0} width={W} height={height} fill="#f8faf7" />
        {placed.map((d) => {
          const { x, y } = at(d);
          const label = `${d.name} (${d.id}): ${healthLabel(d.health.state)}`;
          return (
            <a key={d.id} href={`/thiet-bi/${encodeURIComponent(d.id)}`} onClick={onLinkClick} aria-label={label} data-device={d.id} data-health={d.health.state}>
              <title>{label}</title>
              <circle cx={x} cy={y} r={R + 6} fill="transparent" />
              <Mark state={d.health.state} x={x} y={y} />
            </a>
          );
        })}
      </svg>
      <figcaption>
        <Legend devices={placed} />
        {missing ? <p class="muted small">{tr(`${missing} loa chưa có toạ độ, không vẽ trên bản đồ.`, `${missing} speakers have no coordinates and are not drawn.`)}</p> : null}
      </figcaption>
    </figure>
  );
}

function Legend(props: { devices: Device[] }) {
  const count = (s: HealthState) => props.devices.filter((d) => d.health.state === s).length;
  return (
    <ul class="map-legend">
      {HEALTH_STATES.map((s) => (
        <li key={s}>
          <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
            <Mark state={s} x={12} y={13} />
          </svg>
          {healthLabel(s)}: {count(s)}
        </li>
      ))}
    </ul>
  );
}
