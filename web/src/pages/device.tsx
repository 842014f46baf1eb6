/** One speaker: presence, telemetry, and remote commands with their results. */
import { useEffect, useId, useState } from 'preact/hooks';
import { CommandResult } from '../components/command-result.js';
import { HealthBadge } from '../components/health.js';
import { TelemetryCharts } from '../components/telemetry-charts.js';
import { ConfirmButton, ErrorBox, Link, Loading, PageTitle } from '../components/ui.js';
import { api } from '../lib/api.js';
import { useZones, zoneName } from '../lib/directory.js';
import { useEvent } from '../lib/events.js';
import { dateTime, timeAgo, yesNo } from '../lib/format.js';
import { tr } from '../lib/i18n.js';
import { faultLabel } from '../lib/labels.js';
import { can, session } from '../lib/session.js';
import { useStore } from '../lib/store.js';
import { useLoad } from '../lib/use-load.js';
import type { CommandJob, Device } from '../lib/types.js';
import { Telemetry } from './telemetry.js';

const REFRESH_MS = 15_000;

export function DevicePage(props: { id: string }) {
  const me = useStore(session);
  const path = `/api/v1/devices/${encodeURIComponent(props.id)}`;
  const device = useLoad(() => api.get<Device>(path), [props.id]);
  const zones = useZones();
  useEvent('device.online', (e) => e.deviceId === props.id && device.reload());
  useEvent('device.offline', (e) => e.deviceId === props.id && device.reload());
  useEvent('resync', device.reload);
  useEffect(() => {
    const t = setInterval(device.reload, REFRESH_MS);
    return () => clearInterval(t);
  }, [props.id]);

  const d = device.data;
  if (!d) return <div class="page">{device.error ? <ErrorBox error={device.error} /> : <Loading />}</div>;
  return (
    <div class="page" data-device={d.id} data-health={d.health.state}>
      <p class="crumbs">
        <Link href="/thiet-bi">← {tr('Tất cả loa', 'All speakers')}</Link>
      </p>
      <PageTitle text={d.name}>{d.name === d.id ? d.id : `${d.name} (${d.id})`}</PageTitle>
      <p class="meta">
        <HealthBadge state={d.health.state} since={d.health.since} /> <span class="muted">{zoneName(zones.data, d.zoneId)}</span>
      </p>
      {d.health.faults.length ? (
        <ul class="faults" aria-label={tr('Lỗi', 'Faults')}>
          {d.health.faults.map((f) => (
            <li key={f}>{faultLabel(f)}</li>
          ))}
        </ul>
      ) : null}
      <ErrorBox error={device.error} />
      {can(me, 'devices.command') ? <Commands device={d} onDone={device.reload} /> : null}
      <div class="grid-2">
        <PresencePanel d={d} />
        <Telemetry tele={d.presence?.lastTele ?? null} />
      </div>
      <TelemetryCharts deviceId={d.id} />
    </div>
  );
}

function PresencePanel(props: { d: Device }) {
  const { d } = props;
  const p = d.presence;
  const rows: Array<[string, string]> = [
    [tr('Trực tuyến', 'Online'), p ? yesNo(p.online) : '—'],
    [tr('Từ lúc', 'Since'), p ? `${dateTime(p.since)} (${timeAgo(p.since)})` : '—'],
    [tr('Liên lạc lần cuối', 'Last seen'), p ? `${dateTime(p.lastSeen)} (${timeAgo(p.lastSeen)})` : '—'],
    [tr('Lý do ngắt', 'Disconnect reason'), p?.reason ?? '—'],
    [tr('Phiên kết nối', 'Session'), p ? String(p.session) : '—'],
    [tr('Số lần kết nối hôm nay', 'Connections today'), p ? String(p.sessionsToday) : '—'],
    [tr('Phần mềm (firmware)', 'Firmware'), p?.fw ?? '—'],
    [tr('Model', 'Model'), p?.model ?? d.model ?? '—'],
    [tr('Lệch đồng hồ', 'Clock offset'), p?.clockOffsetMs != null ? `${p.clockOffsetMs} ms` : '—'],
    [tr('Âm lượng mặc định', 'Default volume'), `${d.volume}%`],
    [tr('Nhịp báo cáo', 'Heartbeat'), `${d.heartbeatS} s`],
    [tr('Toạ độ', 'Coordinates'), d.lat != null && d.lon != null ? `${d.lat.toFixed(5)}, ${d.lon.toFixed(5)}` : '—'],
  ];
  return (
    <section class="panel" aria-labelledby="presence-h">
      <h2 id="presence-h">{tr('Kết nối', 'Presence')}</h2>
      <dl class="facts">
        {rows.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function Commands(props: { device: Device; onDone: () => void }) {
  const id = useId();
  const [sent, setSent] = useState<CommandJob[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [volume, setVolume] = useState(props.device.volume);
  const [muted, setMuted] = useState(false);
  const [testS, setTestS] = useState(3);
  useEvent('job.finished', (e) => sent.some((c) => c.id === e.jobId) && props.onDone());

  const send = (body: Record<string, unknown>) => {
    setError(null);
    api.post<CommandJob>(`/api/v1/devices/${encodeURIComponent(props.device.id)}/commands`, body).then((job) => setSent((s) => [job, ...s].slice(0, 5)), setError);
  };

  return (
    <section class="panel" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{tr('Điều khiển từ xa', 'Remote commands')}</h2>
      <div class="command-grid">
        <div class="field inline">
          <label for={`${id}-test`}>{tr('Âm thử dài', 'Test tone length')}</label>
          <select id={`${id}-test`} value={String(testS)} onChange={(e) => setTestS(Number(e.currentTarget.value))}>
            {[3, 5, 10, 30].map((s) => (
              <option key={s} value={s}>
                {s} s
              </option>
            ))}
          </select>
          <button type="button" onClick={() => send({ type: 'test', durationMs: testS * 1000 })}>
            {tr('Phát âm thử', 'Play test tone')}
          </button>
        </div>
        <div class="field inline">
          <label for={`${id}-vol`}>{tr(`Âm lượng ${volume}%`, `Volume ${volume}%`)}</label>
          <input id={`${id}-vol`} type="range" min={0} max={100} step={5} value={volume} onInput={(e) => setVolume(Number(e.currentTarget.value))} />
          <label class="check">
            <input type="checkbox" checked={muted} onChange={(e) => setMuted(e.currentTarget.checked)} />
            {tr('Tắt tiếng', 'Muted')}
          </label>
          <button type="button" onClick={() => send({ type: 'volume', volume, muted })}>
            {tr('Đặt âm lượng', 'Set volume')}
          </button>
        </div>
        <div class="field inline">
          <button type="button" class="secondary" onClick={() => send({ type: 'stop' })}>
            {tr('Dừng phát', 'Stop playback')}
          </button>
          <ConfirmButton label={tr('Khởi động lại', 'Reboot')} confirmLabel={tr('Bấm lần nữa để khởi động lại', 'Press again to reboot')} onConfirm={() => send({ type: 'reboot' })} />
        </div>
      </div>
      <ErrorBox error={error} />
      <div class="results">
        {sent.map((c) => (
          <CommandResult key={c.id} id={c.id} type={c.type} deviceId={props.device.id} />
        ))}
      </div>
    </section>
  );
}
