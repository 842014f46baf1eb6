/** The words people read for states, priorities and roles (never a colour alone: every badge has text). */
import { tr } from './i18n.js';
import type { DeliveryState, HealthState, Role } from './types.js';

export function healthLabel(s: HealthState): string {
  switch (s) {
    case 'ok':
      return tr('Hoạt động tốt', 'Working');
    case 'faulty':
      return tr('Có lỗi', 'Faulty');
    case 'silent':
      return tr('Im lặng (mất tín hiệu)', 'Silent (no heartbeat)');
    case 'offline':
      return tr('Mất kết nối', 'Offline');
    case 'never_seen':
      return tr('Chưa từng kết nối', 'Never connected');
  }
}

export function deliveryLabel(s: DeliveryState): string {
  const labels: Record<DeliveryState, [string, string]> = {
    pending: ['Chưa trả lời', 'No answer yet'],
    received: ['Đã nhận lệnh', 'Received'],
    downloading: ['Đang tải', 'Downloading'],
    ready: ['Sẵn sàng', 'Ready'],
    playing: ['Đang phát', 'Playing'],
    done: ['Đã phát xong', 'Done'],
    failed: ['Lỗi', 'Failed'],
    rejected: ['Từ chối', 'Rejected'],
    expired: ['Hết hạn', 'Expired'],
    interrupted: ['Bị ngắt', 'Interrupted'],
  };
  const [vi, en] = labels[s];
  return tr(vi, en);
}

/** Tone of a delivery state for its badge colour; the text says the same. */
export function deliveryTone(s: DeliveryState): 'ok' | 'bad' | 'warn' | 'busy' | 'idle' {
  if (s === 'done') return 'ok';
  if (s === 'failed' || s === 'rejected') return 'bad';
  if (s === 'expired' || s === 'interrupted') return 'warn';
  if (s === 'pending') return 'idle';
  return 'busy';
}

export function priorityLabel(p: number): string {
  return [tr('Nhạc nền', 'Background music'), tr('Thông thường', 'Routine'), tr('Ưu tiên', 'Priority'), tr('Khẩn cấp', 'Emergency')][p] ?? String(p);
}

export function priorityHint(p: number): string {
  return [
    tr('Phát khi loa rảnh, nhường mọi bản tin khác.', 'Plays when the speaker is free; yields to everything.'),
    tr('Bản tin hằng ngày, thông báo của xã.', 'Daily news and commune notices.'),
    tr('Ngắt nhạc nền và bản tin thông thường đang phát.', 'Interrupts background music and routine news.'),
    '',
  ][p] ?? '';
}

export function roleLabel(r: Role): string {
  const labels: Record<Role, [string, string]> = {
    admin: ['Quản trị viên', 'Administrator'],
    officer: ['Cán bộ phát thanh', 'Broadcast officer'],
    technician: ['Kỹ thuật viên', 'Technician'],
    viewer: ['Chỉ xem', 'Viewer'],
  };
  const [vi, en] = labels[r];
  return tr(vi, en);
}

export function jobStatusLabel(s: string): string {
  if (s === 'active') return tr('Đang thực hiện', 'In progress');
  if (s === 'completed') return tr('Đã xong', 'Finished');
  if (s === 'cancelled') return tr('Đã huỷ', 'Cancelled');
  return s;
}

export function faultLabel(f: string): string {
  const labels: Record<string, [string, string]> = {
    amp: ['Lỗi bộ khuếch đại', 'Amplifier fault'],
    line_open: ['Đứt dây loa', 'Speaker line open'],
    line_short: ['Chập dây loa', 'Speaker line short'],
    on_battery: ['Mất điện lưới, đang chạy pin', 'On battery (mains lost)'],
    battery_low: ['Pin yếu', 'Battery low'],
  };
  const l = labels[f];
  return l ? tr(l[0], l[1]) : f;
}
