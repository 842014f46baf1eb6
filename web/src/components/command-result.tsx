/** The result of one remote command, followed live until the speaker answers done or failed. */
import { api } from '../lib/api.js';
import { timeAgo } from '../lib/format.js';
import { tr } from '../lib/i18n.js';
import { deliveryLabel, deliveryTone } from '../lib/labels.js';
import { isFinal } from '../lib/progress.js';
import { useJob } from '../lib/use-job.js';
import type { CommandJob } from '../lib/types.js';
import { Badge, ErrorBox } from './ui.js';

export function commandLabel(type: string): string {
  const labels: Record<string, [string, string]> = {
    test: ['Phát âm thử', 'Test tone'],
    volume: ['Đặt âm lượng', 'Set volume'],
    stop: ['Dừng phát', 'Stop playback'],
    reboot: ['Khởi động lại', 'Reboot'],
  };
  const l = labels[type];
  return l ? tr(l[0], l[1]) : type;
}

const load = (id: string) => api.get<CommandJob>(`/api/v1/commands/${encodeURIComponent(id)}`).then((job) => ({ job, deliveries: job.deliveries }));

export function CommandResult(props: { id: string; type: string; deviceId: string }) {
  const p = useJob(props.id, () => load(props.id));
  const d = p.deliveries.find((x) => x.deviceId === props.deviceId);
  const state = d?.state ?? 'pending';
  const at = d?.at[state];
  return (
    <p class="command-result" role="status" data-command={props.id} data-state={state}>
      <strong>{commandLabel(props.type)}:</strong> <Badge tone={deliveryTone(state)}>{deliveryLabel(state)}</Badge>
      {at ? <small class="muted"> {timeAgo(at)}</small> : null}
      {d?.error ? <span class="error-text"> {d.error.message}</span> : null}
      {!isFinal(state) ? <small class="muted"> {tr('· đang chờ loa trả lời…', '· waiting for the speaker…')}</small> : null}
      <ErrorBox error={p.error} />
    </p>
  );
}
