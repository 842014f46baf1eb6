/**
 * Phát ngay: what to play (a recording, a text read out, a new recording, the microphone live, a radio channel),
 * where and how; then watch it play. Running live broadcasts and relays are listed below, each with a stop.
 */
import { useId, useState } from 'preact/hooks';
import { LivePanel, type LiveSession } from '../components/live-panel.js';
import { MediaPicker, Preview } from '../components/media-picker.js';
import { RecordBox } from '../components/record-box.js';
import { StreamsList } from '../components/streams-list.js';
import { TtsBox } from '../components/tts-box.js';
import { ErrorBox, Loading, Notice, PageTitle } from '../components/ui.js';
import { ZonePicker, speakersFor, toTargets, type ZoneChoice } from '../components/zone-picker.js';
import { api } from '../lib/api.js';
import { countByZone, fetchDevices, fetchZones } from '../lib/directory.js';
import { tr } from '../lib/i18n.js';
import { priorityHint, priorityLabel } from '../lib/labels.js';
import { goLive, startRelay } from '../lib/live.js';
import { openMicrophone, release } from '../lib/microphone.js';
import { navigate } from '../lib/router.js';
import { can, session } from '../lib/session.js';
import { useStore } from '../lib/store.js';
import { useLoad } from '../lib/use-load.js';
import type { Broadcast, LiveStream, Media, Voice } from '../lib/types.js';

/** Priority 3 is sent only through the emergency flow; a stream never plays as background music. */
const PRIORITIES = [1, 2, 0] as const;
const RELAY_URL = /^https?:\/\/\S+$/;

type Source = 'library' | 'tts' | 'record' | 'live' | 'relay';
const isStream = (s: Source) => s === 'live' || s === 'relay';

function sourceLabel(s: Source): string {
  const labels: Record<Source, [string, string]> = {
    library: ['Bản tin có sẵn', 'A recording'],
    tts: ['Đọc văn bản', 'Read out a text'],
    record: ['Ghi âm', 'Record'],
    live: ['Phát trực tiếp', 'Go live'],
    relay: ['Tiếp sóng đài', 'Relay a radio channel'],
  };
  return tr(...labels[s]);
}

/** A fresh form after each live broadcast: its title and villages were for that one. */
export function BroadcastNowPage() {
  const [round, setRound] = useState(0);
  return <BroadcastNow key={round} again={() => setRound((n) => n + 1)} />;
}

function BroadcastNow(props: { again: () => void }) {
  const id = useId();
  const me = useStore(session);
  const writer = can(me, 'media.write');
  const place = useLoad(() => Promise.all([fetchZones(), fetchDevices(true)]), []);
  const speech = useLoad(() => (writer ? api.get<{ available: boolean; voices: Voice[] }>('/api/v1/media/voices') : Promise.resolve({ available: false, voices: [] })), [writer]);
  const [source, setSource] = useState<Source>('library');
  const [media, setMedia] = useState<Media | null>(null);
  const [url, setUrl] = useState('');
  const [title, setTitle] = useState('');
  const [choice, setChoice] = useState<ZoneChoice>({ all: false, zones: [] });
  const [priority, setPriority] = useState<0 | 1 | 2>(1);
  const [ownVolume, setOwnVolume] = useState(false);
  const [volume, setVolume] = useState(80);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [live, setLive] = useState<LiveSession | null>(null);
  const [relayed, setRelayed] = useState<LiveStream | null>(null);
  const [version, setVersion] = useState(0);

  const [zones, devices] = place.data ?? [[], []];
  const counts = countByZone(devices);
  const total = devices.filter((d) => !d.disabled).length;
  const speakers = speakersFor(choice, counts, total);
  const stream = isStream(source);
  const ready = speakers > 0 && (source === 'live' || (source === 'relay' ? RELAY_URL.test(url.trim()) : media !== null));
  const sources: Source[] = ['library', ...(speech.data?.available ? (['tts'] as const) : []), ...(writer ? (['record'] as const) : []), 'live', 'relay'];
  const shownTitle = title.trim() || (source === 'live' ? tr('Phát trực tiếp', 'Live broadcast') : source === 'relay' ? tr(`Tiếp sóng ${hostOf(url)}`, `Relay ${hostOf(url)}`) : (media?.title ?? ''));

  const choose = (s: Source) => {
    setSource(s);
    setMedia(null);
    setError(null);
    if (isStream(s) && priority === 0) setPriority(1);
  };

  const send = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setRelayed(null);
    const how = { title: shownTitle, targets: toTargets(choice), ...(ownVolume ? { volume } : {}) };
    try {
      if (source === 'live') {
        // The microphone first: a refusal must not leave speakers waiting for a stream that never comes.
        const mic = await openMicrophone();
        try {
          setLive({ stream: await goLive({ ...how, priority: priority || 1 }), mic });
        } catch (err) {
          release(mic);
          throw err;
        }
      } else if (source === 'relay') {
        setRelayed(await startRelay({ ...how, priority: priority || 1, url: url.trim() }));
        // Started once: an empty address keeps a second press from starting it twice.
        setUrl('');
        setTitle('');
        setVersion((v) => v + 1);
      } else if (media) {
        const b = await api.post<Broadcast>('/api/v1/broadcasts', { ...how, mediaId: media.id, priority });
        return navigate(`/ban-tin/${encodeURIComponent(b.id)}`);
      }
    } catch (err) {
      setError(err);
    }
    setBusy(false);
  };

  if (live) {
    return (
      <div class="page">
        <PageTitle text={tr('Phát trực tiếp', 'Live broadcast')}>{tr('Phát trực tiếp', 'Live broadcast')}</PageTitle>
        <LivePanel session={live} onClose={props.again} />
      </div>
    );
  }

  return (
    <div class="page">
      <PageTitle text={tr('Phát ngay', 'Broadcast now')}>{tr('Phát ngay', 'Broadcast now')}</PageTitle>
      {place.loading && !place.data ? <Loading /> : null}
      <ErrorBox error={place.error} />
      <section class="panel" aria-labelledby={`${id}-media-h`}>
        <h2 id={`${id}-media-h`}>1. {tr('Phát gì', 'What to play')}</h2>
        <fieldset class="chips sources">
          <legend>{tr('Nguồn', 'Source')}</legend>
          {sources.map((s) => (
            <label key={s}>
              <input type="radio" name={`${id}-source`} value={s} checked={source === s} onChange={() => choose(s)} />
              {sourceLabel(s)}
            </label>
          ))}
        </fieldset>
        {writer && speech.data && !speech.data.available ? <p class="muted small">{tr('Đọc văn bản: máy chủ chưa cài bộ đọc giọng nói nên chưa dùng được.', 'Read out a text: the server has no speech engine installed, so it is not available.')}</p> : null}
        {source === 'library' ? <MediaPicker value={media} onChange={setMedia} canUpload={writer} /> : null}
        {source === 'tts' ? <TtsBox voices={speech.data?.voices ?? []} onMade={setMedia} /> : null}
        {source === 'record' ? <RecordBox onSaved={setMedia} /> : null}
        {(source === 'tts' || source === 'record') && media ? (
          <div class="made" data-media={media.id}>
            <Notice tone="ok">{tr(`Đã lưu «${media.title}» vào thư viện. Nghe thử rồi chọn nơi phát ở bước 2.`, `Saved «${media.title}» to the library. Listen, then choose where in step 2.`)}</Notice>
            <Preview media={media} />
          </div>
        ) : null}
        {source === 'live' ? (
          <p>{tr('Nói qua micro của máy này: loa ở các thôn đã chọn phát lời bạn nói sau vài giây. Trình duyệt sẽ hỏi quyền dùng micro.', 'Speak into this device’s microphone: the speakers in the chosen villages play it a few seconds later. The browser will ask to use the microphone.')}</p>
        ) : null}
        {source === 'relay' ? (
          <div class="field">
            <label for={`${id}-url`}>{tr('Địa chỉ luồng phát của đài (http/https)', 'The station’s stream address (http/https)')}</label>
            <input id={`${id}-url`} form={`${id}-form`} type="url" inputMode="url" required maxLength={2048} placeholder="https://…" value={url} onInput={(e) => setUrl(e.currentTarget.value)} aria-describedby={`${id}-url-hint`} />
            <small id={`${id}-url-hint`} class="muted">
              {tr('Máy chủ Loa nhận luồng một lần rồi chuyển tới các loa.', 'The Loa server takes the stream once and passes it on to the speakers.')}
            </small>
          </div>
        ) : null}
      </section>
      <form id={`${id}-form`} class="panel" onSubmit={send} aria-labelledby={`${id}-send-h`}>
        <h2 id={`${id}-send-h`}>2. {tr('Phát ở đâu, thế nào', 'Where and how')}</h2>
        <div class="field">
          <label for={`${id}-title`}>{stream ? tr('Tiêu đề', 'Title') : tr('Tiêu đề (mặc định: tên bản tin)', 'Title (default: the recording’s)')}</label>
          <input id={`${id}-title`} type="text" maxLength={200} value={title} placeholder={shownTitle} onInput={(e) => setTitle(e.currentTarget.value)} />
        </div>
        <ZonePicker name={`${id}-z`} zones={zones} counts={counts} total={total} value={choice} onChange={setChoice} />
        <fieldset>
          <legend>{tr('Mức ưu tiên', 'Priority')}</legend>
          {PRIORITIES.filter((p) => !stream || p > 0).map((p) => (
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
          {summaryLine(source, shownTitle, speakers, media !== null)}
        </p>
        <ErrorBox error={error} />
        {relayed ? <Notice tone="ok">{tr(`Đã bắt đầu tiếp sóng «${relayed.title}». Theo dõi và dừng ở danh sách bên dưới.`, `Relaying «${relayed.title}». Follow and stop it in the list below.`)}</Notice> : null}
        <button type="submit" class={stream ? 'big' : undefined} disabled={!ready || busy}>
          {busy ? (source === 'live' ? tr('Đang mở micro…', 'Opening the microphone…') : tr('Đang gửi…', 'Sending…')) : source === 'live' ? tr('Bắt đầu phát trực tiếp', 'Go live') : source === 'relay' ? tr('Bắt đầu tiếp sóng', 'Start relaying') : tr('Phát ngay', 'Broadcast now')}
        </button>
      </form>
      <section class="panel" aria-labelledby={`${id}-streams-h`}>
        <h2 id={`${id}-streams-h`}>{tr('Phát trực tiếp và tiếp sóng', 'Live broadcasts and relays')}</h2>
        <StreamsList version={version} canStop={can(me, 'broadcasts.write')} />
      </section>
    </div>
  );
}

function summaryLine(source: Source, title: string, speakers: number, hasMedia: boolean): string {
  if (source === 'live') return tr(`Sẽ phát trực tiếp «${title}» trên ${speakers} loa.`, `Will go live «${title}» on ${speakers} speakers.`);
  if (source === 'relay') return tr(`Sẽ tiếp sóng «${title}» trên ${speakers} loa.`, `Will relay «${title}» on ${speakers} speakers.`);
  if (!hasMedia) return source === 'library' ? tr('Chưa chọn bản tin.', 'No recording chosen yet.') : tr('Chưa có bản tin: hãy làm ở bước 1.', 'No recording yet: make one in step 1.');
  return tr(`Sẽ phát «${title}» trên ${speakers} loa.`, `Will play «${title}» on ${speakers} speakers.`);
}

function hostOf(url: string): string {
  try {
    return new URL(url.trim()).host;
  } catch {
    return '';
  }
}
