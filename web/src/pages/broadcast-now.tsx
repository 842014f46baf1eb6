/** Phát ngay: pick or upload a recording, choose villages, priority and volume, send, then watch it play. */
import { useId, useState } from 'preact/hooks';
import { MediaPicker } from '../components/media-picker.js';
import { ErrorBox, Loading, PageTitle } from '../components/ui.js';
import { ZonePicker, speakersFor, type ZoneChoice } from '../components/zone-picker.js';
import { api } from '../lib/api.js';
import { countByZone, fetchDevices, fetchZones } from '../lib/directory.js';
import { tr } from '../lib/i18n.js';
import { priorityHint, priorityLabel } from '../lib/labels.js';
import { navigate } from '../lib/router.js';
import { can, session } from '../lib/session.js';
import { useStore } from '../lib/store.js';
import { useLoad } from '../lib/use-load.js';
import type { Broadcast, Media, Targets } from '../lib/types.js';

/** Priority 3 is sent only through the emergency flow. */
const PRIORITIES = [1, 2, 0] as const;

export function toTargets(choice: ZoneChoice): Targets {
  return choice.all ? { all: true } : { zones: choice.zones };
}

export function BroadcastNowPage() {
  const id = useId();
  const me = useStore(session);
  const place = useLoad(() => Promise.all([fetchZones(), fetchDevices(true)]), []);
  const [media, setMedia] = useState<Media | null>(null);
  const [title, setTitle] = useState('');
  const [choice, setChoice] = useState<ZoneChoice>({ all: false, zones: [] });
  const [priority, setPriority] = useState<0 | 1 | 2>(1);
  const [ownVolume, setOwnVolume] = useState(false);
  const [volume, setVolume] = useState(80);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const [zones, devices] = place.data ?? [[], []];
  const counts = countByZone(devices);
  const total = devices.filter((d) => !d.disabled).length;
  const speakers = speakersFor(choice, counts, total);
  const ready = media !== null && speakers > 0;

  const send = async (e: Event) => {
    e.preventDefault();
    if (!media) return;
    setBusy(true);
    setError(null);
    try {
      const body = { title: title.trim() || media.title, mediaId: media.id, targets: toTargets(choice), priority, ...(ownVolume ? { volume } : {}) };
      const b = await api.post<Broadcast>('/api/v1/broadcasts', body);
      navigate(`/ban-tin/${encodeURIComponent(b.id)}`);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <div class="page">
      <PageTitle text={tr('Phát ngay', 'Broadcast now')}>{tr('Phát ngay', 'Broadcast now')}</PageTitle>
      {place.loading && !place.data ? <Loading /> : null}
      <ErrorBox error={place.error} />
      <section class="panel" aria-labelledby={`${id}-media-h`}>
        <h2 id={`${id}-media-h`}>1. {tr('Chọn bản tin', 'Choose the recording')}</h2>
        <MediaPicker value={media} onChange={setMedia} canUpload={can(me, 'media.write')} />
      </section>
      <form class="panel" onSubmit={send} aria-labelledby={`${id}-send-h`}>
        <h2 id={`${id}-send-h`}>2. {tr('Phát ở đâu, thế nào', 'Where and how')}</h2>
        <div class="field">
          <label for={`${id}-title`}>{tr('Tiêu đề (mặc định: tên bản tin)', 'Title (default: the recording’s)')}</label>
          <input id={`${id}-title`} type="text" maxLength={200} value={title} placeholder={media?.title ?? ''} onInput={(e) => setTitle(e.currentTarget.value)} />
        </div>
        <ZonePicker name={`${id}-z`} zones={zones} counts={counts} total={total} value={choice} onChange={setChoice} />
        <fieldset>
          <legend>{tr('Mức ưu tiên', 'Priority')}</legend>
          {PRIORITIES.map((p) => (
            <label key={p} class="choice">
              <input type="radio" name={`${id}-priority`} value={p} checked={priority === p} onChange={() => setPriority(p)} />
              <span>
                <strong>{priorityLabel(p)}</strong> <small class="muted">{priorityHint(p)}</small>
              </span>
            </label>
          ))}
          <p class="muted small">{tr('Cảnh báo khẩn cấp được phát từ trang Khẩn cấp.', 'Emergency alerts are sent from the Emergency page.')}</p>
        </fieldset>
        <fieldset>
          <legend>{tr('Âm lượng', 'Volume')}</legend>
          <label class="check">
            <input type="checkbox" checked={ownVolume} onChange={(e) => setOwnVolume(e.currentTarget.checked)} />
            {tr('Đặt âm lượng riêng cho bản tin này', 'Set a volume for this broadcast')}
          </label>
          {ownVolume ? (
            <div class="field">
              <label for={`${id}-volume`}>{tr(`Âm lượng: ${volume}%`, `Volume: ${volume}%`)}</label>
              <input id={`${id}-volume`} type="range" min={0} max={100} step={5} value={volume} onInput={(e) => setVolume(Number(e.currentTarget.value))} />
            </div>
          ) : (
            <p class="muted small">{tr('Mỗi loa dùng âm lượng đã cài đặt.', 'Each speaker uses its own volume.')}</p>
          )}
        </fieldset>
        <p class="summary-line" aria-live="polite">
          {media ? tr(`Sẽ phát «${title.trim() || media.title}» trên ${speakers} loa.`, `Will play «${title.trim() || media.title}» on ${speakers} speakers.`) : tr('Chưa chọn bản tin.', 'No recording chosen yet.')}
        </p>
        <ErrorBox error={error} />
        <button type="submit" disabled={!ready || busy}>
          {busy ? tr('Đang gửi…', 'Sending…') : tr('Phát ngay', 'Broadcast now')}
        </button>
      </form>
    </div>
  );
}
