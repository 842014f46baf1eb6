/** Create or edit a programme in plain words; overlaps with other programmes are checked (dry run) before saving. */
import { useEffect, useId, useState } from 'preact/hooks';
import { MediaPicker } from '../components/media-picker.js';
import { RecurrenceFields } from '../components/recurrence-fields.js';
import { ErrorBox, Loading, Notice } from '../components/ui.js';
import { ZonePicker } from '../components/zone-picker.js';
import { api } from '../lib/api.js';
import { tr } from '../lib/i18n.js';
import { priorityHint, priorityLabel } from '../lib/labels.js';
import { fromProgramme, newDraft, toBody, type ProgrammeDraft } from '../lib/programme-draft.js';
import { checkProgramme, conflictLines, saveProgramme, type Conflict, type Programme, type ProgrammeBody } from '../lib/programmes.js';
import { useLoad } from '../lib/use-load.js';
import type { Media, Zone } from '../lib/types.js';

export interface Place {
  zones: Zone[];
  counts: Map<string, number>;
  total: number;
}

interface EditorProps {
  programme: Programme | null;
  place: Place;
  canUpload: boolean;
  onSaved: (saved: { programme: Programme; conflicts: Conflict[] }) => void;
  onClose: () => void;
}

/** Loads the programme's recording (the picker shows it by title) before the form opens. */
export function ProgrammeEditor(props: EditorProps) {
  const p = props.programme;
  const item = p?.items.length === 1 ? p.items[0] : undefined;
  const mediaId = item?.kind === 'media' ? item.mediaId : null;
  const media = useLoad(() => (mediaId ? api.get<Media>(`/api/v1/media/${encodeURIComponent(mediaId)}`) : Promise.resolve(null)), [p?.id]);
  if (mediaId && media.loading) return <Loading />;
  return <ProgrammeForm key={p?.id ?? 'new'} {...props} initial={p ? fromProgramme(p, media.data ?? null) : newDraft()} />;
}

type Check = { key: string; conflicts: Conflict[] | null; error: unknown };

/** Asks the controller what saving would give, a moment after the last change. */
function useCheck(body: ProgrammeBody | null, id: string | undefined): Check | null {
  const key = body ? JSON.stringify(body) : '';
  const [check, setCheck] = useState<Check | null>(null);
  useEffect(() => {
    if (!body) return;
    let live = true;
    const t = setTimeout(() => {
      checkProgramme(body, id).then(
        (conflicts) => live && setCheck({ key, conflicts, error: null }),
        (error: unknown) => live && setCheck({ key, conflicts: null, error }),
      );
    }, 300);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [key]);
  return check?.key === key ? check : null;
}

function ProgrammeForm(props: EditorProps & { initial: ProgrammeDraft }) {
  const id = useId();
  const [draft, setDraft] = useState(props.initial);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const set = (patch: Partial<ProgrammeDraft>) => setDraft({ ...draft, ...patch });
  const body = toBody(draft);
  const editId = props.programme?.id;
  const check = useCheck(body, editId);
  const clashes = check?.conflicts?.length ?? 0;

  const save = async (e: Event) => {
    e.preventDefault();
    if (!body) return;
    setBusy(true);
    setError(null);
    try {
      props.onSaved(await saveProgramme(body, editId));
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <form class="panel programme-form" onSubmit={save} aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{editId ? tr(`Sửa «${props.programme!.title}»`, `Edit «${props.programme!.title}»`) : tr('Chương trình mới', 'New programme')}</h2>
      <div class="field">
        <label for={`${id}-title`}>{tr('Tên chương trình (mặc định: tên bản tin)', 'Programme name (default: the recording’s)')}</label>
        <input id={`${id}-title`} type="text" maxLength={200} value={draft.title} onInput={(e) => set({ title: e.currentTarget.value })} />
      </div>
      {draft.keptItems ? (
        <p class="muted">{tr(`Nội dung: ${draft.keptItems.length} mục (giữ nguyên; chọn một bản tin để thay).`, `Content: ${draft.keptItems.length} items (kept; choose a recording to replace them).`)}</p>
      ) : null}
      <MediaPicker value={draft.media} onChange={(media) => set({ media })} canUpload={props.canUpload} />
      <RecurrenceFields draft={draft} set={set} />
      <ZonePicker name={`${id}-z`} zones={props.place.zones} counts={props.place.counts} total={props.place.total} value={draft.choice} onChange={(choice) => set({ choice })} />
      <fieldset>
        <legend>{tr('Mức ưu tiên', 'Priority')}</legend>
        {([1, 2] as const).map((p) => (
          <label key={p} class="choice">
            <input type="radio" name={`${id}-priority`} checked={draft.priority === p} onChange={() => set({ priority: p })} />
            <span>
              <strong>{priorityLabel(p)}</strong> <small class="muted">{priorityHint(p)}</small>
            </span>
          </label>
        ))}
      </fieldset>
      <CheckResult ready={body !== null} check={check} />
      <ErrorBox error={error} />
      <div class="actions">
        <button type="submit" disabled={!body || busy}>
          {busy ? tr('Đang lưu…', 'Saving…') : clashes ? tr('Lưu dù trùng giờ', 'Save despite the overlap') : tr('Lưu chương trình', 'Save the programme')}
        </button>
        <button type="button" class="secondary" onClick={props.onClose}>
          {tr('Đóng', 'Close')}
        </button>
      </div>
    </form>
  );
}

function CheckResult(props: { ready: boolean; check: Check | null }) {
  const { check } = props;
  if (!props.ready) return <p class="muted">{tr('Điền đủ bản tin, lịch và nơi phát để kiểm tra trùng giờ.', 'Fill in the recording, the schedule and where it plays to check for overlaps.')}</p>;
  if (!check) return <p class="muted" role="status">{tr('Đang kiểm tra trùng giờ…', 'Checking for overlaps…')}</p>;
  if (check.error) return <ErrorBox error={check.error} />;
  return <ConflictList conflicts={check.conflicts ?? []} />;
}

export function ConflictList(props: { conflicts: Conflict[] }) {
  const lines = conflictLines(props.conflicts);
  if (!lines.length) return <Notice tone="ok">{tr('Không trùng giờ với chương trình nào trong 31 ngày tới.', 'No overlap with any programme in the next 31 days.')}</Notice>;
  return (
    <div class="notice warn conflicts" role="status" data-conflicts={props.conflicts.length}>
      <strong>{tr('Cảnh báo trùng giờ', 'Overlap warning')}</strong>
      <ul>
        {lines.map((l) => (
          <li key={l.programmeId}>{l.text}</li>
        ))}
      </ul>
      <small>{tr('Khi trùng, bản tin ưu tiên phát trước; bản tin cùng mức phát lần lượt.', 'When they overlap, priority plays first; equal ones play one after the other.')}</small>
    </div>
  );
}
