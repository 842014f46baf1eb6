/** Where a broadcast sounds: every village, or the villages ticked, each with its number of speakers. */
import { tr } from '../lib/i18n.js';
import type { Targets, Zone } from '../lib/types.js';

export interface ZoneChoice {
  all: boolean;
  zones: string[];
}

export function ZonePicker(props: { zones: Zone[]; counts: Map<string, number>; total: number; value: ZoneChoice; onChange: (v: ZoneChoice) => void; name: string }) {
  const { value } = props;
  const toggle = (id: string, on: boolean) => props.onChange({ all: false, zones: on ? [...value.zones, id] : value.zones.filter((z) => z !== id) });
  const total = props.total;
  return (
    <fieldset class="zones">
      <legend>{tr('Phát tới', 'Play in')}</legend>
      <label class="choice">
        <input type="radio" name={`${props.name}-scope`} checked={value.all} onChange={() => props.onChange({ all: true, zones: [] })} />
        {tr(`Tất cả các thôn (${total} loa)`, `Every village (${total} speakers)`)}
      </label>
      <label class="choice">
        <input type="radio" name={`${props.name}-scope`} checked={!value.all} onChange={() => props.onChange({ all: false, zones: value.zones })} />
        {tr('Chọn thôn', 'Choose villages')}
      </label>
      {!value.all ? (
        <div class="zone-list" role="group" aria-label={tr('Các thôn', 'Villages')}>
          {props.zones.map((z) => (
            <label key={z.id} class="check">
              <input type="checkbox" value={z.id} checked={value.zones.includes(z.id)} onChange={(e) => toggle(z.id, e.currentTarget.checked)} />
              {z.name} <small class="muted">({tr(`${props.counts.get(z.id) ?? 0} loa`, `${props.counts.get(z.id) ?? 0} speakers`)})</small>
            </label>
          ))}
          {props.zones.length === 0 ? <p class="muted">{tr('Chưa có thôn nào.', 'No villages yet.')}</p> : null}
        </div>
      ) : null}
    </fieldset>
  );
}

export function speakersFor(choice: ZoneChoice, counts: Map<string, number>, total: number): number {
  if (choice.all) return total;
  return choice.zones.reduce((n, z) => n + (counts.get(z) ?? 0), 0);
}

export function toTargets(choice: ZoneChoice): Targets {
  return choice.all ? { all: true } : { zones: choice.zones };
}
