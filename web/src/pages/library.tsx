/** Thư viện: storage used, upload with progress, search, listen, see where a recording is used, delete it when nothing still needs it. */
import { useEffect, useId, useState } from 'preact/hooks';
import { Preview } from '../components/media-picker.js';
import { MediaUses } from '../components/media-uses.js';
import { Bar, ConfirmButton, ErrorBox, Loading, Notice, PageTitle } from '../components/ui.js';
import { UploadBox } from '../components/upload-box.js';
import { api } from '../lib/api.js';
import { bytes, dateTime, duration } from '../lib/format.js';
import { locale, tr } from '../lib/i18n.js';
import { can, session } from '../lib/session.js';
import { useStore } from '../lib/store.js';
import { useLoad } from '../lib/use-load.js';
import type { Media, MediaUsage } from '../lib/types.js';

export function LibraryPage() {
  const id = useId();
  const me = useStore(session);
  const [q, setQ] = useState('');
  const [query, setQuery] = useState('');
  useEffect(() => {
    const t = setTimeout(() => setQuery(q.trim()), 300);
    return () => clearTimeout(t);
  }, [q]);
  const list = useLoad(() => api.get<{ items: Media[]; available: boolean; usage?: MediaUsage }>(`/api/v1/media${query ? `?q=${encodeURIComponent(query)}` : ''}`), [query]);
  const [listening, setListening] = useState<string | null>(null);
  const [showUses, setShowUses] = useState<string | null>(null);
  const [refused, setRefused] = useState<{ id: string; error: unknown; version: number } | null>(null);
  const [added, setAdded] = useState<Media | null>(null);
  const writer = can(me, 'media.write');

  const remove = (m: Media) => {
    setRefused(null);
    api.delete(`/api/v1/media/${encodeURIComponent(m.id)}`).then(list.reload, (error: unknown) => {
      // Refused (409: still to play): say so at the item, and show what holds it.
      setRefused({ id: m.id, error, version: Date.now() });
      setShowUses(m.id);
    });
  };

  return (
    <div class="page">
      <PageTitle text={tr('Thư viện âm thanh', 'Audio library')}>{tr('Thư viện âm thanh', 'Audio library')}</PageTitle>
      {list.data && !list.data.available ? <Notice tone="warn">{tr('Máy chủ chưa xử lý được âm thanh (thiếu ffmpeg): chưa tải lên được.', 'The server cannot process audio yet (no ffmpeg): uploads are off.')}</Notice> : null}
      {list.data?.usage ? <StorageUse usage={list.data.usage} /> : null}
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
        <ErrorBox error={list.error} />
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
                <button type="button" class="secondary" aria-expanded={showUses === m.id} onClick={() => setShowUses(showUses === m.id ? null : m.id)}>
                  {tr('Dùng ở đâu', 'Where used')}
                </button>
                {writer ? <ConfirmButton label={tr('Xoá', 'Delete')} confirmLabel={tr('Xoá thật?', 'Really delete?')} onConfirm={() => remove(m)} /> : null}
              </span>
              {m.text ? (
                <details class="tts-text">
                  <summary>{tr('Văn bản được đọc', 'Text read out')}</summary>
                  <p>{m.text}</p>
                </details>
              ) : null}
              {refused?.id === m.id ? <ErrorBox error={refused.error} /> : null}
              {showUses === m.id ? <MediaUses media={m} version={refused?.id === m.id ? refused.version : 0} refused={refused?.id === m.id} /> : null}
              {listening === m.id ? <Preview media={m} /> : null}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

const mb = (n: number) => `${(n / 1024 / 1024).toLocaleString(locale(), { maximumFractionDigits: 1 })} MB`;

/** The library's share of the server's disk: a bar with the numbers beside it, and a warning as it fills. */
function StorageUse(props: { usage: MediaUsage }) {
  const { bytes: used, quotaBytes } = props.usage;
  const pct = quotaBytes > 0 ? Math.min(100, Math.round((used / quotaBytes) * 100)) : 0;
  const tone = pct >= 95 ? 'bad' : pct >= 80 ? 'warn' : 'ok';
  return (
    <section class="panel storage" aria-labelledby="storage-h" data-used={used} data-quota={quotaBytes}>
      <h2 id="storage-h">{tr('Dung lượng thư viện', 'Library storage')}</h2>
      <Bar label={tr('Dung lượng đã dùng', 'Storage used')} total={quotaBytes} parts={[{ tone, value: used }]} />
      <p class="storage-line">
        {tr(`Đã dùng ${mb(used)} / ${mb(quotaBytes)} (${pct}%)`, `Used ${mb(used)} / ${mb(quotaBytes)} (${pct}%)`)}
        {pct >= 80 ? <strong class="error-text">{tr(' · Sắp đầy: hãy xoá bản tin không dùng nữa.', ' · Nearly full: delete recordings no longer used.')}</strong> : null}
      </p>
    </section>
  );
}
