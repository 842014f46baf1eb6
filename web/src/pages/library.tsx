/** Thư viện: upload with progress, search, listen and delete recordings. */
import { useEffect, useId, useState } from 'preact/hooks';
import { Preview } from '../components/media-picker.js';
import { ConfirmButton, ErrorBox, Loading, Notice, PageTitle } from '../components/ui.js';
import { UploadBox } from '../components/upload-box.js';
import { api } from '../lib/api.js';
import { bytes, dateTime, duration } from '../lib/format.js';
import { tr } from '../lib/i18n.js';
import { can, session } from '../lib/session.js';
import { useStore } from '../lib/store.js';
import { useLoad } from '../lib/use-load.js';
import type { Media } from '../lib/types.js';

export function LibraryPage() {
  const id = useId();
  const me = useStore(session);
  const [q, setQ] = useState('');
  const [query, setQuery] = useState('');
  useEffect(() => {
    const t = setTimeout(() => setQuery(q.trim()), 300);
    return () => clearTimeout(t);
  }, [q]);
  const list = useLoad(() => api.get<{ items: Media[]; available: boolean }>(`/api/v1/media${query ? `?q=${encodeURIComponent(query)}` : ''}`), [query]);
  const [listening, setListening] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [added, setAdded] = useState<Media | null>(null);
  const writer = can(me, 'media.write');

  const remove = (m: Media) => {
    setError(null);
    api.delete(`/api/v1/media/${encodeURIComponent(m.id)}`).then(list.reload, setError);
  };

  return (
    <div class="page">
      <PageTitle text={tr('Thư viện âm thanh', 'Audio library')}>{tr('Thư viện âm thanh', 'Audio library')}</PageTitle>
      {list.data && !list.data.available ? <Notice tone="warn">{tr('Máy chủ chưa xử lý được âm thanh (thiếu ffmpeg): chưa tải lên được.', 'The server cannot process audio yet (no ffmpeg): uploads are off.')}</Notice> : null}
      {writer ? (
        <section class="panel" aria-labelledby={`${id}-up`}>
          <h2 id={`${id}-up`}>{tr('Tải lên bản tin mới', 'Upload a recording')}</h2>
          <UploadBox
            onUploaded={(m) => {
              setAdded(m);
              list.reload();
            }}
          />
          {added ? <Notice tone="ok">{tr(`Đã thêm «${added.title}» (${duration(added.durationMs)}).`, `Added «${added.title}» (${duration(added.durationMs)}).`)}</Notice> : null}
        </section>
      ) : null}
      <section class="panel" aria-labelledby={`${id}-list`}>
        <h2 id={`${id}-list`}>{tr('Các bản tin', 'Recordings')}</h2>
        <div class="field">
          <label for={`${id}-q`}>{tr('Tìm theo tên', 'Search by title')}</label>
          <input id={`${id}-q`} type="search" value={q} onInput={(e) => setQ(e.currentTarget.value)} />
        </div>
        <ErrorBox error={list.error ?? error} />
        {!list.data ? <Loading /> : null}
        {list.data?.items.length === 0 ? <p class="muted">{tr('Không có bản tin nào.', 'No recordings.')}</p> : null}
        <ul class="rows media-list">
          {list.data?.items.map((m) => (
            <li key={m.id} data-media={m.id}>
              <strong>{m.title}</strong>
              <small class="muted">
                {duration(m.durationMs)} · {m.format} · {bytes(m.bytes)} · {m.createdBy} · {dateTime(m.createdAt)}
              </small>
              <span class="row-actions">
                <button type="button" class="secondary" aria-expanded={listening === m.id} onClick={() => setListening(listening === m.id ? null : m.id)}>
                  {tr('Nghe', 'Listen')}
                </button>
                {writer ? <ConfirmButton label={tr('Xoá', 'Delete')} confirmLabel={tr('Xoá thật?', 'Really delete?')} onConfirm={() => remove(m)} /> : null}
              </span>
              {listening === m.id ? <Preview media={m} /> : null}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
