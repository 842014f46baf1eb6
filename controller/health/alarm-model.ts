/** An alarm: one occurrence of a (speaker, type) problem, from raise to clear. */
import type { Text } from './messages.js';
import type { AlarmDetail, AlarmType } from './rules.js';

export interface AlarmAck {
  by: string;
  at: number;
  note: string;
}

export interface Alarm {
  id: string;
  deviceId: string;
  type: AlarmType;
  state: 'open' | 'cleared';
  raisedAt: number;
  clearedAt: number | null;
  detail: AlarmDetail;
  message: Text;
  /** The speaker's village and commune when raised (for scope once a speaker is gone). */
  zoneId: string | null;
  commune: string | null;
  ack: AlarmAck | null;
  lastNotifiedAt: number | null;
  notifications: number;
}
