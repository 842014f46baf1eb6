/** Thiết bị: every speaker with its health; filter by state and village; live as speakers come and go. */
import { useId, useState } from 'preact/hooks';
import { DeviceMap } from '../components/device-map.js';
import { HealthBadge } from '../components/health.js';
import { ErrorBox, Link, Loading, PageTitle } from '../components/ui.js';
import { useDevices, useZones, zoneName } from '../lib/directory.js';
import { timeAgo } from '../lib/format.js';
import { tr } from '../lib/i18n.js';
import { healthLabel } from '../lib/labels.js';
import { navigate, useQuery } from '../lib/router.js';
import { HEALTH_STATES, type Device } from '../lib/types.js';

const PAGE = 100;

export function DevicesPage() {
  const id = useId();
  const query = useQuery();
  const state = query.get('trang-thai') ?? '';
  const zone = query.get('thon') ?? '';
  const onMap = query.get('xem') === 'ban-do';
  const [text, setText] = useState('');
  const [shown, setShown] = useState(PAGE);
  const devices = useDevices();
  const zones = useZones();

  const setFilter = (key: string, value: string) => {
    const next = new URLSearchParams(query);
    if (value) next.set(key, value);
    else next.delete(key);
    const qs = next.toString();
    navigate(`/thiet-bi${qs ? `?${qs}` : ''}`, { replace: true });
  };

  const needle = text.trim().toLowerCase();
  const rows = (devices.data ?? []).filter(
    (d) => (!state || d.health.state === state) && (!zone || d.zoneId === zone) && (!needle || d.id.includes(needle) || d.name.toLowerCase().includes(needle)),
  );

  return (
    <div class="page">
      <PageTitle text={tr('Thiết bị', 'Speakers')}>{tr('Thiết bị (loa)', 'Speakers')}</PageTitle>
      <p>
        <Link href="/cap-nhat-phan-mem">{tr('Cập nhật phần mềm (firmware) →', 'Firmware rollouts →')}</Link>
      </p>
      <form class="panel filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <div class="field">
          <label for={`${id}-state`}>{tr('Tình trạng', 'State')}</label>
          <select id={`${id}-state`} value={state} onChange={(e) => setFilter('trang-thai', e.currentTarget.value)}>
            <option value="">{tr('Tất cả', 'All')}</option>
            {HEALTH_STATES.map((s) => (
              <option key={s} value={s}>
                {healthLabel(s)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for={`${id}-zone`}>{tr('Thôn', 'Village')}</label>
          <select id={`${id}-zone`} value={zone} onChange={(e) => setFilter('thon', e.currentTarget.value)}>
            <option value="">{tr('Tất cả', 'All')}</option>
            {zones.data?.map((z) => (
              <option key={z.id} value={z.id}>
                {z.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for={`${id}-text`}>{tr('Tìm theo mã hoặc tên', 'Search id or name')}</label>
          <input id={`${id}-text`} type="search" value={text} onInput={(e) => setText(e.currentTarget.value)} />
        </div>
        <fieldset class="chips">
          <legend>{tr('Xem dạng', 'Show as')}</legend>
          <label>
            <input type="radio" name={`${id}-view`} checked={!onMap} onChange={() => setFilter('xem', '')} />
            {tr('Danh sách', 'List')}
          </label>
          <label>
            <input type="radio" name={`${id}-view`} checked={onMap} onChange={() => setFilter('xem', 'ban-do')} />
            {tr('Bản đồ', 'Map')}
          </label>
        </fieldset>
      </form>
      <ErrorBox error={devices.error} />
      {!devices.data ? <Loading /> : null}
      <p class="muted" aria-live="polite" data-count={rows.length}>
        {tr(`${rows.length} loa`, `${rows.length} speakers`)}
      </p>
      {onMap ? (
        <DeviceMap devices={rows} />
      ) : (
        <ul class="rows device-list">
          {rows.slice(0, shown).map((d) => (
            <DeviceRow key={d.id} d={d} zone={zoneName(zones.data, d.zoneId)} />
          ))}
        </ul>
      )}
      {!onMap && rows.length > shown ? (
        <button type="button" class="secondary" onClick={() => setShown(shown + PAGE)}>
          {tr(`Xem thêm (${rows.length - shown} loa)`, `Show more (${rows.length - shown})`)}
        </button>
      ) : null}
    </div>
  );
}

function DeviceRow(props: { d: Device; zone: string }) {
  const { d } = props;
  return (
    <li data-device={d.id} data-health={d.health.state}>
      <Link href={`/thiet-bi/${encodeURIComponent(d.id)}`}>{d.name === d.id ? d.id : `${d.name} (${d.id})`}</Link>
      <span class="muted">{props.zone}</span>
      <HealthBadge state={d.health.state} since={d.health.since} />
      <small class="muted">
        {d.presence?.fw ? `fw ${d.presence.fw} · ` : ''}
        {tr('liên lạc', 'last seen')} {timeAgo(d.presence?.lastSeen)}
        {d.disabled ? ` · ${tr('đã tắt', 'disabled')}` : ''}
      </small>
    </li>
  );
}
