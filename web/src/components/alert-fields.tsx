/** The parts of an emergency alert people choose: hazard, risk level (in its official colour), message, signal. */
import { useId } from 'preact/hooks';
import { inkOn } from '../lib/emergency.js';
import { tr } from '../lib/i18n.js';
import type { AlertSignal, Hazard, Media, RiskLevel } from '../lib/types.js';
import { MediaPicker } from './media-picker.js';

export function RiskBadge(props: { risk: RiskLevel }) {
  const { risk } = props;
  return (
    <span class="risk-badge" data-risk={risk.level} style={{ background: risk.hex, color: inkOn(risk.hex) }}>
      {tr(risk.vi, risk.en)}
    </span>
  );
}

export function HazardSelect(props: { hazards: Hazard[]; value: string; onChange: (id: string) => void }) {
  const id = useId();
  return (
    <div class="field">
      <label for={id}>{tr('Loại thiên tai, sự cố', 'Hazard')}</label>
      <select id={id} required value={props.value} onChange={(e) => props.onChange(e.currentTarget.value)}>
        <option value="">{tr('— Chọn loại —', '— Choose —')}</option>
        {props.hazards.map((h) => (
          <option key={h.id} value={h.id}>
            {tr(h.vi, h.en)}
          </option>
        ))}
      </select>
    </div>
  );
}

export function RiskPicker(props: { levels: RiskLevel[]; value: number | null; onChange: (level: RiskLevel['level']) => void }) {
  const name = useId();
  return (
    <fieldset class="risk-levels">
      <legend>{tr('Cấp độ rủi ro', 'Risk level')}</legend>
      {props.levels.map((r) => (
        <label key={r.level} class="choice risk">
          <input type="radio" name={name} value={r.level} checked={props.value === r.level} onChange={() => props.onChange(r.level)} />
          <span class="swatch" style={{ background: r.hex }} aria-hidden="true" />
          {tr(r.vi, r.en)}
        </label>
      ))}
    </fieldset>
  );
}

export type MessageSource = 'media' | 'text';

export function MessageFields(props: { source: MessageSource; media: Media | null; text: string; canUpload: boolean; onChange: (patch: { source?: MessageSource; media?: Media | null; text?: string }) => void }) {
  const id = useId();
  return (
    <>
      <fieldset class="chips">
        <legend>{tr('Nội dung', 'Message')}</legend>
        <label>
          <input type="radio" name={`${id}-src`} checked={props.source === 'media'} onChange={() => props.onChange({ source: 'media' })} />
          {tr('Bản ghi âm', 'A recording')}
        </label>
        <label>
          <input type="radio" name={`${id}-src`} checked={props.source === 'text'} onChange={() => props.onChange({ source: 'text' })} />
          {tr('Đọc văn bản (giọng máy)', 'Read out a text (speech)')}
        </label>
      </fieldset>
      {props.source === 'media' ? (
        <MediaPicker value={props.media} onChange={(media) => props.onChange({ media })} canUpload={props.canUpload} />
      ) : (
        <div class="field">
          <label for={`${id}-text`}>{tr('Văn bản sẽ được đọc trên loa', 'Text the speakers will read out')}</label>
          <textarea id={`${id}-text`} rows={4} maxLength={5000} value={props.text} onInput={(e) => props.onChange({ text: e.currentTarget.value })} />
        </div>
      )}
    </>
  );
}

export function signalLabel(s: AlertSignal): string {
  return s === 'siren' ? tr('Còi hú', 'Siren') : s === 'chime' ? tr('Chuông báo', 'Chime') : tr('Không có', 'None');
}

export function SignalPicker(props: { value: AlertSignal; onChange: (s: AlertSignal) => void }) {
  const name = useId();
  return (
    <fieldset class="chips">
      <legend>{tr('Tín hiệu trước bản tin', 'Signal before the message')}</legend>
      {(['siren', 'chime', 'none'] as const).map((s) => (
        <label key={s}>
          <input type="radio" name={name} checked={props.value === s} onChange={() => props.onChange(s)} />
          {signalLabel(s)}
        </label>
      ))}
    </fieldset>
  );
}
