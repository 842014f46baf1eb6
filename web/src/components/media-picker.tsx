/** Choose the audio to play: from the library, or upload one right here; then listen before sending. */
import { useEffect, useId, useState } from 'preact/hooks';
import { api } from '../lib/api.js';
import { duration } from '../lib/format.js';
import { tr } from '../lib/i18n.js';
import { useLoad } from '../lib/use-load.js';
import type { Media } from '../lib/types.js';
import { ErrorBox, Loading } from './ui.js';
import { UploadBox } from './upload-box.js';

export function MediaPicker(props: { value: Media | null; onChange: (m: Media | null) => void; canUpload: boolean }) {
  const id = useId();
  const library = useLoad(() => api.get<{ items: Media[] }>('/api/v1/media').then((b) => b.items), []);
  const [uploading, setUploading] = useState(false);
  const items = library.data ?? [];

  const uploaded = (m: Media) => {
    setUploading(false);
    library.reload();
    props.onChange(m);
  };

  return (
    <div class="media-picker">
      {library.loading && !library.data ? <Loading /> : null}
      <ErrorBox error={library.error} />
      <div class="field">
        <label for={`${id}-media`}>{tr('Bản tin trong thư viện', 'Recording from the library')}</label>
        <select id={`${id}-media`} value={props.value?.id ?? ''} onChange={(e) => props.onChange(items.find((m) => m.id === e.currentTarget.value) ?? null)}>
          <option value="">{tr('— Chọn bản tin —', '— Choose a recording —')}</option>
          {props.value && !items.some((m) => m.id === props.value!.id) ? <option value={props.value.id}>{props.value.title}</option> : null}
          {items.map((m) => (
            <option key={m.id} value={m.id}>
              {m.title} ({duration(m.durationMs)})
            </option>
          ))}
        </select>
      </div>
      {props.canUpload ? (
        <details open={uploading} onToggle={(e) => setUploading((e.currentTarget as HTMLDetailsElement).open)}>
          <summary>{tr('Hoặc tải lên tệp mới', 'Or upload a new file')}</summary>
          <UploadBox onUploaded={uploaded} />
        </details>
      ) : null}
      {props.value ? <Preview media={props.value} /> : null}
    </div>
  );
}

export function Preview(props: { media: Media }) {
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    setUrl(null);
    api.get<{ url: string }>(`/api/v1/media/${encodeURIComponent(props.media.id)}/url`).then((b) => setUrl(samePath(b.url)), setError);
  }, [props.media.id]);
  return (
    <div class="preview">
      <p>
        {tr('Nghe thử', 'Listen')}: <strong>{props.media.title}</strong> <span class="muted">({duration(props.media.durationMs)})</span>
      </p>
      <ErrorBox error={error} />
      {url ? <audio controls preload="none" src={url} aria-label={tr(`Nghe thử ${props.media.title}`, `Listen to ${props.media.title}`)} /> : null}
    </div>
  );
}

/** The signed URL names the controller's public address (0.0.0.0 when it listens everywhere); this page came from that same server. */
export function samePath(url: string): string {
  const u = new URL(url, location.origin);
  return u.pathname + u.search;
}
