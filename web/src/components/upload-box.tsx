/** Upload one audio file with a title, showing the bytes sent, then the server's processing. */
import { useId, useRef, useState } from 'preact/hooks';
import { tr } from '../lib/i18n.js';
import { uploadMedia, type UploadHandle, type UploadProgress } from '../lib/upload.js';
import type { Media } from '../lib/types.js';
import { ApiError } from '../lib/api.js';
import { ErrorBox, Link } from './ui.js';

type Phase = { kind: 'idle' } | UploadProgress | { kind: 'failed'; error: unknown };

export function UploadBox(props: { onUploaded: (m: Media) => void }) {
  const id = useId();
  const fileRef = useRef<HTMLInputElement>(null);
  const [title, setTitle] = useState('');
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const handle = useRef<UploadHandle | null>(null);
  const busy = phase.kind === 'sending' || phase.kind === 'processing';

  const submit = (e: Event) => {
    e.preventDefault();
    const file = fileRef.current?.files?.[0];
    if (!file) return setPhase({ kind: 'failed', error: null });
    setPhase({ kind: 'sending', sent: 0 });
    handle.current = uploadMedia(file, title.trim(), setPhase);
    handle.current.done.then(
      (m) => {
        setPhase({ kind: 'idle' });
        setTitle('');
        if (fileRef.current) fileRef.current.value = '';
        props.onUploaded(m);
      },
      (error: unknown) => setPhase({ kind: 'failed', error }),
    );
  };

  return (
    <form class="upload" onSubmit={submit}>
      <div class="field">
        <label for={`${id}-file`}>{tr('Tệp âm thanh (mp3, wav, ogg, m4a…)', 'Audio file (mp3, wav, ogg, m4a…)')}</label>
        <input id={`${id}-file`} ref={fileRef} type="file" accept="audio/*,.mp3,.wav,.ogg,.opus,.m4a,.aac,.flac" required disabled={busy} />
      </div>
      <div class="field">
        <label for={`${id}-title`}>{tr('Tên bản tin (không bắt buộc)', 'Title (optional)')}</label>
        <input id={`${id}-title`} type="text" maxLength={200} value={title} disabled={busy} onInput={(e) => setTitle(e.currentTarget.value)} />
      </div>
      {busy ? <UploadProgressLine phase={phase} /> : null}
      {phase.kind === 'failed' ? (phase.error ? <UploadError error={phase.error} /> : <p class="error" role="alert">{tr('Hãy chọn một tệp âm thanh.', 'Choose an audio file.')}</p>) : null}
      <div class="actions">
        <button type="submit" disabled={busy}>
          {tr('Tải lên', 'Upload')}
        </button>
        {busy ? (
          <button type="button" class="secondary" onClick={() => handle.current?.abort()}>
            {tr('Dừng tải', 'Stop upload')}
          </button>
        ) : null}
      </div>
    </form>
  );
}

/** The bytes sent, then the server's processing (a percentage once a long file became a job). */
export function UploadProgressLine(props: { phase: UploadProgress }) {
  const id = useId();
  const { phase } = props;
  const pct = phase.kind === 'sending' ? Math.round(phase.sent * 100) : phase.pct;
  return (
    <div class="field" aria-live="polite">
      <label for={`${id}-progress`}>{phase.kind === 'processing' ? (pct === null ? tr('Đang xử lý âm thanh…', 'Processing audio…') : tr(`Đang xử lý âm thanh ${pct}%`, `Processing audio ${pct}%`)) : tr(`Đang tải lên ${pct}%`, `Uploading ${pct}%`)}</label>
      <progress id={`${id}-progress`} max={100} value={pct ?? undefined} />
    </div>
  );
}

/** A refused upload; a full library (507 LOA_MEDIA_QUOTA) also points to where space is made. */
export function UploadError(props: { error: unknown }) {
  const full = props.error instanceof ApiError && props.error.code === 'LOA_MEDIA_QUOTA';
  return (
    <>
      <ErrorBox error={props.error} />
      {full && location.pathname !== '/thu-vien' ? (
        <p>
          <Link href="/thu-vien">{tr('Mở Thư viện để xoá bớt bản tin cũ', 'Open the Library to delete old recordings')}</Link>
        </p>
      ) : null}
    </>
  );
}
