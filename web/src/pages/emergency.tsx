/** Khẩn cấp: a separate, hard-to-misfire flow — compose the alert, then confirm what will sound where. */
import { useId, useState } from 'preact/hooks';
import { HazardSelect, MessageFields, RiskBadge, RiskPicker, SignalPicker, signalLabel, type MessageSource } from '../components/alert-fields.js';
import { ErrorBox, Link, Loading, PageTitle } from '../components/ui.js';
import { ZonePicker, speakersFor, toTargets, type ZoneChoice } from '../components/zone-picker.js';
import { countByZone, fetchDevices, fetchZones } from '../lib/directory.js';
import { fetchVocabulary, listAlerts, sendAlert, type AlertPlan, type Vocabulary } from '../lib/emergency.js';
import { duration, timeAgo } from '../lib/format.js';
import { tr } from '../lib/i18n.js';
import { navigate } from '../lib/router.js';
import { can, session } from '../lib/session.js';
import { useStore } from '../lib/store.js';
import { useLoad } from '../lib/use-load.js';
import type { AlertSignal, Media, RiskLevel, Zone } from '../lib/types.js';

interface Draft {
  hazard: string;
  riskLevel: RiskLevel['level'] | null;
  title: string;
  source: MessageSource;
  media: Media | null;
  text: string;
  choice: ZoneChoice;
  signal: AlertSignal;
  volume: number;
  repeats: number;
  drill: boolean;
}

const EMPTY: Draft = { hazard: '', riskLevel: null, title: '', source: 'media', media: null, text: '', choice: { all: true, zones: [] }, signal: 'siren', volume: 100, repeats: 1, drill: false };

const hasMessage = (d: Draft) => (d.source === 'media' ? d.media !== null : d.text.trim() !== '');

export function EmergencyPage() {
  const me = useStore(session);
  const place = useLoad(() => Promise.all([fetchZones(true), fetchDevices(true), fetchVocabulary()]), []);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [step, setStep] = useState<'compose' | 'confirm'>('compose');
  const [zones, devices, vocabulary] = place.data ?? [[], [], { hazards: [], riskLevels: [] }];
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
        <Compose draft={draft} onChange={setDraft} vocabulary={vocabulary} zones={zones} counts={counts} total={total} speakers={speakers} canUpload={can(me, 'media.write')} onNext={() => setStep('confirm')} />
      ) : (
        <Confirm draft={draft} vocabulary={vocabulary} zones={zones} speakers={speakers} onBack={() => setStep('compose')} />
      )}
      <RecentAlerts />
    </div>
  );
}

interface ComposeProps {
  draft: Draft;
  onChange: (d: Draft) => void;
  vocabulary: Vocabulary;
  zones: Zone[];
  counts: Map<string, number>;
  total: number;
  speakers: number;
  canUpload: boolean;
  onNext: () => void;
}

function Compose(props: ComposeProps) {
  const id = useId();
  const { draft } = props;
  const set = (patch: Partial<Draft>) => props.onChange({ ...draft, ...patch });
  const ready = draft.hazard !== '' && draft.riskLevel !== null && hasMessage(draft) && props.speakers > 0;
  const next = (e: Event) => {
    e.preventDefault();
    if (ready) props.onNext();
  };
  return (
    <form onSubmit={next}>
      <section class="panel" aria-labelledby={`${id}-what`}>
        <h2 id={`${id}-what`}>1. {tr('Cảnh báo gì', 'What')}</h2>
        <HazardSelect hazards={props.vocabulary.hazards} value={draft.hazard} onChange={(hazard) => set({ hazard })} />
        <RiskPicker levels={props.vocabulary.riskLevels} value={draft.riskLevel} onChange={(riskLevel) => set({ riskLevel })} />
        <div class="field">
          <label for={`${id}-title`}>{tr('Tiêu đề cảnh báo', 'Alert title')}</label>
          <input id={`${id}-title`} type="text" maxLength={200} value={draft.title} placeholder={tr('Ví dụ: Cảnh báo lũ quét', 'e.g. Flash flood warning')} onInput={(e) => set({ title: e.currentTarget.value })} />
        </div>
        <MessageFields source={draft.source} media={draft.media} text={draft.text} canUpload={props.canUpload} onChange={set} />
      </section>
      <section class="panel" aria-labelledby={`${id}-where`}>
        <h2 id={`${id}-where`}>2. {tr('Phát ở đâu, thế nào', 'Where and how')}</h2>
        <ZonePicker name={`${id}-z`} zones={props.zones} counts={props.counts} total={props.total} value={draft.choice} onChange={(choice) => set({ choice })} />
        <SignalPicker value={draft.signal} onChange={(signal) => set({ signal })} />
        <div class="field">
          <label for={`${id}-volume`}>{tr(`Âm lượng: ${draft.volume}%`, `Volume: ${draft.volume}%`)}</label>
          <input id={`${id}-volume`} type="range" min={50} max={100} step={5} value={draft.volume} onInput={(e) => set({ volume: Number(e.currentTarget.value) })} />
        </div>
        <div class="field">
          <label for={`${id}-repeat`}>{tr('Số lần phát (cách nhau 2 phút)', 'Times to play (2 minutes apart)')}</label>
          <select id={`${id}-repeat`} value={String(draft.repeats)} onChange={(e) => set({ repeats: Number(e.currentTarget.value) })}>
            {[1, 2, 3, 5].map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </div>
        <label class="check">
          <input type="checkbox" checked={draft.drill} onChange={(e) => set({ drill: e.currentTarget.checked })} />
          {tr('Đây là diễn tập (loa đọc thông báo diễn tập trước)', 'This is a drill (speakers announce the drill first)')}
        </label>
        <button type="submit" class="danger" disabled={!ready}>
          {tr('Tiếp tục: kiểm tra trước khi phát', 'Next: check before sending')}
        </button>
      </section>
    </form>
  );
}

function planOf(draft: Draft, title: string): AlertPlan {
  return {
    hazard: draft.hazard,
    riskLevel: draft.riskLevel!,
    title,
    message: draft.source === 'media' ? { mediaId: draft.media!.id } : { text: draft.text.trim() },
    targets: toTargets(draft.choice),
    signal: draft.signal,
    volume: draft.volume,
    repeats: draft.repeats,
    drill: draft.drill,
  };
}

function Confirm(props: { draft: Draft; vocabulary: Vocabulary; zones: Zone[]; speakers: number; onBack: () => void }) {
  const id = useId();
  const { draft } = props;
  const [sure, setSure] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const hazard = props.vocabulary.hazards.find((h) => h.id === draft.hazard)!;
  const risk = props.vocabulary.riskLevels.find((r) => r.level === draft.riskLevel)!;
  const villages = draft.choice.all ? props.zones.map((z) => z.name) : props.zones.filter((z) => draft.choice.zones.includes(z.id)).map((z) => z.name);
  const title = draft.title.trim() || tr(hazard.vi, hazard.en);

  const send = async (e: Event) => {
    e.preventDefault();
    if (!sure) return;
    setBusy(true);
    setError(null);
    try {
      const sent = await sendAlert(planOf(draft, title));
      navigate(`/khan-cap/${encodeURIComponent(sent.id)}`);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  const facts: Array<[string, string]> = [
    [tr('Tiêu đề', 'Title'), title],
    [tr('Loại', 'Hazard'), tr(hazard.vi, hazard.en)],
    [tr('Nội dung', 'Message'), draft.source === 'media' ? `${draft.media!.title} (${duration(draft.media!.durationMs)})` : `«${draft.text.trim()}»`],
    [tr('Tín hiệu', 'Signal'), signalLabel(draft.signal)],
    [tr('Số lần phát', 'Times'), String(draft.repeats)],
    [tr('Âm lượng', 'Volume'), `${draft.volume}%`],
  ];
  return (
    <form class="panel confirm" onSubmit={send} aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>3. {tr('Xác nhận phát cảnh báo khẩn cấp', 'Confirm the emergency alert')}</h2>
      <p class="confirm-risk">
        <RiskBadge risk={risk} /> {draft.drill ? <strong class="drill-tag">{tr('DIỄN TẬP', 'DRILL')}</strong> : null}
      </p>
      <p class="confirm-count" data-speakers={props.speakers}>
        {tr(`${props.speakers} loa sẽ phát ngay tại ${villages.length} thôn:`, `${props.speakers} speakers will sound at once in ${villages.length} villages:`)}
      </p>
      <ul class="confirm-villages">
        {villages.map((v) => (
          <li key={v}>{v}</li>
        ))}
      </ul>
      <dl class="facts">
        {facts.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
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

function RecentAlerts() {
  const list = useLoad(listAlerts, []);
  if (!list.data?.length) return <ErrorBox error={list.error} />;
  return (
    <section class="panel" aria-labelledby="recent-alerts-h">
      <h2 id="recent-alerts-h">{tr('Cảnh báo gần đây', 'Recent alerts')}</h2>
      <ul class="rows">
        {list.data.slice(0, 10).map((a) => (
          <li key={a.id} data-alert={a.id}>
            <Link href={`/khan-cap/${encodeURIComponent(a.id)}`}>{a.title}</Link>
            <RiskBadge risk={a.risk} />
            <small class="muted">
              {a.state === 'cancelled' ? tr('đã huỷ', 'cancelled') : tr(`${a.confirmed}/${a.targeted} loa xác nhận`, `${a.confirmed}/${a.targeted} confirmed`)} · {a.createdBy} · {timeAgo(a.createdAt)}
            </small>
          </li>
        ))}
      </ul>
    </section>
  );
}
