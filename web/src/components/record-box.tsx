/** Ghi âm: record from the microphone, listen back, then keep it in the library like an uploaded file. */
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { tr } from '../lib/i18n.js';
import { clock, openMicrophone, recorderFor, release } from '../lib/microphone.js';
import { uploadMedia, type UploadHandle, type UploadProgress } from '../lib/upload.js';
import type { Media } from '../lib/types.js';
import { ErrorBox } from './ui.js';
import { UploadError, UploadProgressLine } from './upload-box.js';

type Phase =
  | { kind: 'idle' }
  | { kind: 'asking' }
  | { kind: 'recording'; since: number }
  | { kind: 'recorded'; blob: Blob; url: string; ms: number }
  | { kind: 'saving'; blob: Blob; url: string; ms: number; progress: UploadProgress };

export function RecordBox(props: { onSaved: (m: Media) => void }) {
  const id = useId();
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [title, setTitle] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [now, setNow] = useState(Date.now());
  const mic = useRef<MediaStream | null>(null);
  const recorder = useRef<MediaRecorder | null>(null);
  const upload = useRef<UploadHandle | null>(null);

  useEffect(() => {
    if (phase.kind !== 'recording') return;
    const t = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(t);
  }, [phase.kind]);
  // Leaving the page lets go of the microphone and of the recording kept in memory.
  const url = 'url' in phase ? phase.url : null;
  useEffect(() => () => void (url && URL.revokeObjectURL(url)), [url]);
  useEffect(
    () => () => {
      recorder.current?.state === 'recording' && recorder.current.stop();
      release(mic.current);
      upload.current?.abort();
    },
    [],
  );

  const start = async () => {
    setError(null);
    setPhase({ kind: 'asking' });
    try {
      mic.current = await openMicrophone();
    } catch (err) {
      setError(err);
      return setPhase({ kind: 'idle' });
    }
    const rec = (recorder.current = recorderFor(mic.current));
    const chunks: Blob[] = [];
    const since = Date.now();
    rec.ondataavailable = (e) => e.data.size > 0 && chunks.push(e.data);
    rec.onstop = () => {
      release(mic.current);
      mic.current = null;
      const blob = new Blob(chunks, { type: rec.mimeType || 'audio/webm' });
      setPhase({ kind: 'recorded', blob, url: URL.createObjectURL(blob), ms: Date.now() - since });
    };
    rec.start(1000);
    setNow(since);
    setPhase({ kind: 'recording', since });
  };

  const save = (e: Event) => {
    e.preventDefault();
    if (phase.kind !== 'recorded') return;
    setError(null);
    const ext = phase.blob.type.includes('ogg') ? 'ogg' : phase.blob.type.includes('mp4') ? 'm4a' : 'webm';
    const name = title.trim() || tr(`Ghi âm ${new Date().toLocaleString('vi-VN')}`, `Recording ${new Date().toLocaleString('en-GB')}`);
    const file = new File([phase.blob], `ghi-am.${ext}`, { type: phase.blob.type });
    const base = phase;
    setPhase({ ...base, kind: 'saving', progress: { kind: 'sending', sent: 0 } });
    upload.current = uploadMedia(file, name, (progress) => setPhase({ ...base, kind: 'saving', progress }));
    upload.current.done.then(
      (m) => {
        setPhase({ kind: 'idle' });
        setTitle('');
        props.onSaved(m);
      },
      (err: unknown) => {
        setError(err);
        setPhase(base);
      },
    );
  };

  return (
    <div class="record">
      {phase.kind === 'idle' || phase.kind === 'asking' ? (
        <button type="button" class="big" disabled={phase.kind === 'asking'} onClick={() => void start()}>
          <span aria-hidden="true">●</span> {phase.kind === 'asking' ? tr('Đang mở micro…', 'Opening the microphone…') : tr('Bắt đầu ghi âm', 'Start recording')}
        </button>
      ) : null}
      {phase.kind === 'recording' ? (
        <div class="on-air-line">
          <p class="big-line">
            <span class="rec-dot" aria-hidden="true" /> <span role="status">{tr('Đang ghi âm', 'Recording')}</span> <span class="elapsed">{clock(now - phase.since)}</span>
          </p>
          <button type="button" class="danger big" onClick={() => recorder.current?.stop()}>
            {tr('Dừng ghi âm', 'Stop recording')}
          </button>
        </div>
      ) : null}
      {phase.kind === 'recorded' || phase.kind === 'saving' ? (
        <form onSubmit={save}>
          <p>
            {tr(`Đã ghi ${clock(phase.ms)}. Nghe lại trước khi lưu:`, `Recorded ${clock(phase.ms)}. Listen before saving:`)}
          </p>
          <audio controls src={phase.url} aria-label={tr('Nghe lại bản ghi âm', 'Listen to the recording')} />
          <div class="field">
            <label for={`${id}-title`}>{tr('Tên bản ghi âm', 'Title of the recording')}</label>
            <input id={`${id}-title`} type="text" maxLength={200} value={title} disabled={phase.kind === 'saving'} onInput={(e) => setTitle(e.currentTarget.value)} />
          </div>
          {phase.kind === 'saving' ? <UploadProgressLine phase={phase.progress} /> : null}
          <UploadError error={error} />
          <div class="actions">
            <button type="submit" disabled={phase.kind === 'saving'}>
              {tr('Lưu và dùng bản ghi này', 'Save and use this recording')}
            </button>
            <button type="button" class="secondary" disabled={phase.kind === 'saving'} onClick={() => void start()}>
              {tr('Ghi lại', 'Record again')}
            </button>
          </div>
        </form>
      ) : (
        <ErrorBox error={error} />
      )}
    </div>
  );
}
