/** What a technician reads about an alarm: Vietnamese first, English too. */
import type { AlarmDetail, AlarmType } from './rules.js';

export interface Text {
  vi: string;
  en: string;
}

const LINE: Record<string, Text> = { open: { vi: 'hở mạch', en: 'open circuit' }, short: { vi: 'chập mạch', en: 'short circuit' } };

export function alarmText(type: AlarmType, name: string, d: AlarmDetail): Text {
  switch (type) {
    case 'offline':
      return { vi: `Loa "${name}" mất kết nối.`, en: `Speaker "${name}" is offline.` };
    case 'silent':
      return { vi: `Loa "${name}" còn kết nối nhưng không gửi tín hiệu.`, en: `Speaker "${name}" is connected but silent.` };
    case 'amp_fault':
      return { vi: `Loa "${name}" hỏng bộ khuếch đại (âm ly).`, en: `Speaker "${name}" reports an amplifier fault.` };
    case 'line_fault': {
      const l = LINE[String(d.line)] ?? { vi: String(d.line), en: String(d.line) };
      return { vi: `Loa "${name}" lỗi đường dây loa: ${l.vi}.`, en: `Speaker "${name}" has a line fault: ${l.en}.` };
    }
    case 'power':
      return d.level === 'battery_low'
        ? { vi: `Loa "${name}" pin yếu (${d.batteryPct ?? '?'}%).`, en: `Speaker "${name}" battery low (${d.batteryPct ?? '?'}%).` }
        : { vi: `Loa "${name}" mất điện lưới, đang chạy bằng pin.`, en: `Speaker "${name}" lost mains power and runs on battery.` };
    case 'missed_broadcast':
      return { vi: `Loa "${name}" không phát bản tin gần nhất "${d.title}".`, en: `Speaker "${name}" did not play the last broadcast "${d.title}".` };
  }
}

export type AlarmEvent = 'raised' | 'cleared' | 'updated' | 'reminder';

const PREFIX: Record<AlarmEvent, Text> = {
  raised: { vi: 'Cảnh báo', en: 'Alarm' },
  updated: { vi: 'Cảnh báo (thay đổi)', en: 'Alarm (changed)' },
  reminder: { vi: 'Nhắc lại, chưa ai xác nhận', en: 'Reminder, not acknowledged' },
  cleared: { vi: 'Đã hết', en: 'Cleared' },
};

export function eventText(event: AlarmEvent, text: Text): Text {
  return { vi: `${PREFIX[event].vi}: ${text.vi}`, en: `${PREFIX[event].en}: ${text.en}` };
}
