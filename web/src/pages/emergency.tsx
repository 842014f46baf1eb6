/** Khẩn cấp: a separate, hard-to-misfire flow — compose, then confirm how many speakers and which villages will sound. */
import { useId, useState } from 'preact/hooks';
import { MediaPicker } from '../components/media-picker.js';
import { ErrorBox, Loading, PageTitle } from '../components/ui.js';
import { ZonePicker, speakersFor, type ZoneChoice } from '../components/zone-picker.js';
import { countByZone, fetchDevices, fetchZones } from '../lib/directory.js';
import { emergencySender, type EmergencyPlan } from '../lib/emergency.js';
import { duration } from '../lib/format.js';
import { tr } from '../lib/i18n.js';
import { navigate } from '../lib/router.js';
import { can, session } from '../lib/session.js';
import { useStore } from '../lib/store.js';
import { useLoad } from '../lib/use-load.js';
import type { Media, Zone } from '../lib/types.js';
import { toTargets } from './broadcast-now.js';

interface Draft {
  media: Media | null;
  title: string;
  choice: ZoneChoice;
  volume: number;
  repeat: number;
}

export function EmergencyPage() {
  const me = useStore(session);
  const place = useLoad(() => Promise.all([fetchZones(true), fetchDevices(true)]), []);
  const [draft, setDraft] = useState<Draft>({ media: null, title: '', choice: { all: true, zones: [] }, volume: 100, repeat: 2 });
  const [step, setStep] = useState<'compose' | 'confirm'>('compose');
  const [zones, devices] = place.data ?? [[], []];
  const counts = countByZone(devices);
  const total = devices.filter((d) => !d.disabled).length;
  const speakers = speakersFor(draft.choice, counts, total);

  return (
    <div class="page emergency">
      <PageTitle text={tr('Cảnh báo khẩn cấp', 'Emergency alert')}>{tr('Cảnh báo khẩn cấp', 'Emergency alert')}</PageTitle>
      <p class="emergency-banner">
        {tr('Bản tin khẩn cấp phát ngay lập tức, ngắt mọi bản tin khác, với âm lượng đã chọn kể cả khi loa đang tắt tiếng hay trong giờ yên tĩnh.', 'An emergency plays at once, interrupts everything else, at the chosen volume even when muted or in quiet hours.')}
      </p>
      {place.loading && !place.data ? <Loading /> : null}
      <ErrorBox error={place.error} />
      {step === 'compose' ? (
        <Compose draft={draft} onChange={setDraft} zones={zones} counts={counts} total={total} speakers={speakers} canUpload={can(me, 'media.write')} onNext={() => setStep('confirm')} />
      ) : (
        <Confirm draft={draft} zones={zones} speakers={speakers} onBack={() => setStep('compose')} />
      )}
    </div>
  );
}

function Compose(props: { draft: Draft; onChange: (d: Draft) => void; zones: Zone[]; counts: Map<string, number>; total: number; speakers: number; canUpload: boolean; onNext: () => void }) {
  const id = useId();
  const { draft } = props;
  const set = (patch: Partial<Draft>) => props.onChange({ ...draft, ...patch });
  const next = (e: Event) => {
    e.preventDefault();
    if (draft.media && props.speakers > 0) props.onNext();
  };
  return (
    <>
      <section class="panel" aria-labelledby={`${id}-m`}>
        <h2 id={`${id}-m`}>1. {tr('Nội dung cảnh báo', 'The alert recording')}</h2>
        <MediaPicker value={draft.media} onChange={(media) => set({ media })} canUpload={props.canUpload} />
      </section>
      <form class="panel" onSubmit={next} aria-labelledby={`${id}-w`}>
        <h2 id={`${id}-w`}>2. {tr('Phát ở đâu', 'Where')}</h2>
        <div class="field">
          <label for={`${id}-title`}>{tr('Tiêu đề cảnh báo', 'Alert title')}</label>
          <input id={`${id}-title`} type="text" maxLength={200} value={draft.title} placeholder={tr('Ví dụ: Cảnh báo lũ quét', 'e.g. Flash flood warning')} onInput={(e) => set({ title: e.currentTarget.value })} />
        </div>
        <ZonePicker name={`${id}-z`} zones={props.zones} counts={props.counts} total={props.total} value={draft.choice} onChange={(choice) => set({ choice })} />
        <div class="field">
          <label for={`${id}-volume`}>{tr(`Âm lượng: ${draft.volume}%`, `Volume: ${draft.volume}%`)}</label>
          <input id={`${id}-volume`} type="range" min={50} max={100} step={5} value={draft.volume} onInput={(e) => set({ volume: Number(e.currentTarget.value) })} />
        </div>
        <div class="field">
          <label for={`${id}-repeat`}>{tr('Số lần phát lặp lại', 'Times to play')}</label>
          <select id={`${id}-repeat`} value={String(draft.repeat)} onChange={(e) => set({ repeat: Number(e.currentTarget.value) })}>
            {[1, 2, 3, 5].map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="danger" disabled={!draft.media || props.speakers === 0}>
          {tr('Tiếp tục: kiểm tra trước khi phát', 'Next: check before sending')}
        </button>
      </form>
    </>
  );
}

function Confirm(props: { draft: Draft; zones: Zone[]; speakers: number; onBack: () => void }) {
  const id = useId();
  const { draft } = props;
  const [sure, setSure] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const villages = draft.choice.all ? props.zones.map((z) => z.name) : props.zones.filter((z) => draft.choice.zones.includes(z.id)).map((z) => z.name);
  const title = draft.title.trim() || draft.media!.title;

  const send = async (e: Event) => {
    e.preventDefault();
    if (!sure || !draft.media) return;
    setBusy(true);
    setError(null);
    const plan: EmergencyPlan = { title, mediaId: draft.media.id, targets: toTargets(draft.choice), volume: draft.volume, repeat: draft.repeat };
    try {
      const sent = await emergencySender.send(plan);
      navigate(`/khan-cap/${encodeURIComponent(sent.id)}`);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <form class="panel confirm" onSubmit={send} aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>3. {tr('Xác nhận phát cảnh báo khẩn cấp', 'Confirm the emergency alert')}</h2>
      <p class="confirm-count" data-speakers={props.speakers}>
        {tr(`${props.speakers} loa sẽ phát ngay tại ${villages.length} thôn:`, `${props.speakers} speakers will sound at once in ${villages.length} villages:`)}
      </p>
      <ul class="confirm-villages">
        {villages.map((v) => (
          <li key={v}>{v}</li>
        ))}
      </ul>
      <dl class="facts">
        <div>
          <dt>{tr('Tiêu đề', 'Title')}</dt>
          <dd>{title}</dd>
        </div>
        <div>
          <dt>{tr('Bản tin', 'Recording')}</dt>
          <dd>
            {draft.media!.title} ({duration(draft.media!.durationMs)}) × {draft.repeat}
          </dd>
        </div>
        <div>
          <dt>{tr('Âm lượng', 'Volume')}</dt>
          <dd>{draft.volume}%</dd>
        </div>
      </dl>
      <label class="check sure">
        <input type="checkbox" checked={sure} onChange={(e) => setSure(e.currentTarget.checked)} />
        {tr('Tôi xác nhận đây là tình huống khẩn cấp và muốn phát ngay.', 'I confirm this is an emergency and want to send it now.')}
      </label>
      <ErrorBox error={error} />
      <div class="actions">
        <button type="button" class="secondary" onClick={props.onBack} disabled={busy}>
          {tr('Quay lại', 'Back')}
        </button>
        <button type="submit" class="danger big" disabled={!sure || busy}>
          {busy ? tr('Đang phát…', 'Sending…') : tr('PHÁT CẢNH BÁO KHẨN CẤP', 'SEND EMERGENCY ALERT')}
        </button>
      </div>
    </form>
  );
}
