/** Đọc văn bản: the officer types the notice, the server reads it out into a recording of the library. */
import { useId, useState } from 'preact/hooks';
import { api } from '../lib/api.js';
import { tr } from '../lib/i18n.js';
import type { Media, Voice } from '../lib/types.js';
import { ErrorBox } from './ui.js';

const RATES: Array<[number, () => string]> = [
  [0.8, () => tr('Chậm', 'Slow')],
  [1, () => tr('Bình thường', 'Normal')],
  [1.2, () => tr('Nhanh', 'Fast')],
];

export function TtsBox(props: { voices: Voice[]; onMade: (m: Media) => void }) {
  const id = useId();
  const [text, setText] = useState('');
  const [voice, setVoice] = useState(props.voices[0]?.id ?? '');
  const [rate, setRate] = useState(1);
  const [chime, setChime] = useState(true);
  const [title, setTitle] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const make = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = { text: text.trim(), rate, chime, ...(voice ? { voice } : {}), ...(title.trim() ? { title: title.trim() } : {}) };
      props.onMade(await api.post<Media>('/api/v1/media/tts', body));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="tts" onSubmit={make} aria-busy={busy}>
      <div class="field">
        <label for={`${id}-text`}>{tr('Văn bản cần đọc', 'Text to read out')}</label>
        <textarea id={`${id}-text`} rows={5} maxLength={5000} required value={text} disabled={busy} aria-describedby={`${id}-count`} onInput={(e) => setText(e.currentTarget.value)} />
        <small id={`${id}-count`} class="muted">
          {tr(`${text.length}/5000 ký tự. Viết đủ dấu để loa đọc đúng.`, `${text.length}/5000 characters. Write the diacritics so it is read correctly.`)}
        </small>
      </div>
      <div class="form-grid">
        {props.voices.length > 1 ? (
          <div class="field">
            <label for={`${id}-voice`}>{tr('Giọng đọc', 'Voice')}</label>
            <select id={`${id}-voice`} value={voice} disabled={busy} onChange={(e) => setVoice(e.currentTarget.value)}>
              {props.voices.map((v) => (
                <option key={v.id} value={v.id}>
                  {v.name}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <div class="field">
          <label for={`${id}-rate`}>{tr('Tốc độ đọc', 'Speed')}</label>
          <select id={`${id}-rate`} value={rate} disabled={busy} onChange={(e) => setRate(Number(e.currentTarget.value))}>
            {RATES.map(([r, label]) => (
              <option key={r} value={r}>
                {label()}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for={`${id}-title`}>{tr('Tên bản tin (không bắt buộc)', 'Title (optional)')}</label>
          <input id={`${id}-title`} type="text" maxLength={200} value={title} disabled={busy} onInput={(e) => setTitle(e.currentTarget.value)} />
        </div>
      </div>
      <label class="check">
        <input type="checkbox" checked={chime} disabled={busy} onChange={(e) => setChime(e.currentTarget.checked)} />
        {tr('Phát tiếng chuông trước khi đọc', 'Play a chime before the text')}
      </label>
      {busy ? (
        <div class="field" role="status">
          <label for={`${id}-wait`}>{tr('Đang tạo giọng đọc… (vài giây)', 'Making the speech… (a few seconds)')}</label>
          <progress id={`${id}-wait`} />
        </div>
      ) : null}
      <ErrorBox error={error} />
      <button type="submit" disabled={busy || !text.trim()}>
        {busy ? tr('Đang tạo…', 'Making…') : tr('Tạo giọng đọc', 'Make the speech')}
      </button>
    </form>
  );
}
