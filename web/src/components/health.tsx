/** A speaker's health as a badge with words, a shape and the time since it began. */
import { timeAgo } from '../lib/format.js';
import { healthLabel } from '../lib/labels.js';
import type { HealthState } from '../lib/types.js';
import { Badge, type Tone } from './ui.js';

const TONE: Record<HealthState, Tone> = { ok: 'ok', faulty: 'bad', silent: 'warn', offline: 'off', never_seen: 'idle' };
const MARK: Record<HealthState, string> = { ok: '●', faulty: '▲', silent: '◐', offline: '○', never_seen: '–' };

export function healthTone(s: HealthState): Tone {
  return TONE[s];
}

export function HealthBadge(props: { state: HealthState; since?: number | null }) {
  return (
    <span class="health">
      <Badge tone={TONE[props.state]}>
        <span aria-hidden="true">{MARK[props.state]} </span>
        {healthLabel(props.state)}
      </Badge>
      {props.since ? <small class="muted"> {timeAgo(props.since)}</small> : null}
    </span>
  );
}
