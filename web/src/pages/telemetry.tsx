/** The speaker's latest telemetry (PROTOCOL lifecycle: `tele`), with words for the known fields. */
import { tr } from '../lib/i18n.js';
import { yesNo } from '../lib/format.js';

type Field = [key: string, label: () => string, show: (v: unknown) => string];

const uptime = (v: unknown) => {
  const s = Number(v);
  const h = Math.floor(s / 3600);
  return h >= 24 ? `${Math.floor(h / 24)} ${tr('ngày', 'd')} ${h % 24} h` : `${h} h ${Math.floor((s % 3600) / 60)} min`;
};
const state = (v: unknown) => (v === 'ok' ? tr('Bình thường', 'OK') : v === 'fault' ? tr('LỖI', 'FAULT') : v === 'open' ? tr('Đứt dây', 'Open') : v === 'short' ? tr('Chập', 'Short') : String(v));
const power = (v: unknown) => (v === 'mains' ? tr('Điện lưới', 'Mains') : v === 'battery' ? tr('Pin', 'Battery') : v === 'solar' ? tr('Năng lượng mặt trời', 'Solar') : String(v));

const FIELDS: Field[] = [
  ['volume', () => tr('Âm lượng', 'Volume'), (v) => `${v}%`],
  ['muted', () => tr('Tắt tiếng', 'Muted'), (v) => yesNo(v === true)],
  ['playing', () => tr('Đang phát', 'Playing'), (v) => (v ? String(v) : tr('Không', 'Nothing'))],
  ['rssiDbm', () => tr('Sóng (RSSI)', 'Signal (RSSI)'), (v) => `${v} dBm`],
  ['tempC', () => tr('Nhiệt độ', 'Temperature'), (v) => `${v} °C`],
  ['power', () => tr('Nguồn điện', 'Power'), power],
  ['batteryPct', () => tr('Pin', 'Battery'), (v) => `${v}%`],
  ['amp', () => tr('Bộ khuếch đại', 'Amplifier'), state],
  ['line', () => tr('Dây loa', 'Speaker line'), state],
  ['storageFreeMb', () => tr('Bộ nhớ trống', 'Free storage'), (v) => `${v} MB`],
  ['uptimeS', () => tr('Thời gian chạy', 'Uptime'), uptime],
  ['seq', () => tr('Số thứ tự bản tin', 'Sequence'), String],
];

export function Telemetry(props: { tele: Record<string, unknown> | null }) {
  const t = props.tele;
  return (
    <section class="panel" aria-labelledby="tele-h">
      <h2 id="tele-h">{tr('Số liệu gần nhất', 'Latest telemetry')}</h2>
      {!t ? (
        <p class="muted">{tr('Chưa nhận được số liệu.', 'No telemetry yet.')}</p>
      ) : (
        <dl class="facts">
          {FIELDS.filter(([k]) => t[k] !== undefined).map(([k, label, show]) => (
            <div key={k} data-tele={k}>
              <dt>{label()}</dt>
              <dd>{show(t[k])}</dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}
