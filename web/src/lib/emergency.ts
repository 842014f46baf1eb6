/** How an emergency is sent and followed: through the alerts API (hazard, risk level, per-speaker proof). */
import { api } from './api.js';
import type { Alert, AlertSignal, Hazard, RiskLevel, Targets } from './types.js';

export interface AlertPlan {
  hazard: string;
  riskLevel: RiskLevel['level'];
  title: string;
  message: { mediaId: string } | { text: string };
  targets: Targets;
  signal: AlertSignal;
  volume: number;
  repeats: number;
  drill: boolean;
}

export interface Vocabulary {
  hazards: Hazard[];
  riskLevels: RiskLevel[];
}

const path = (id: string) => `/api/v1/alerts/${encodeURIComponent(id)}`;

export const fetchVocabulary = () => api.get<Vocabulary>('/api/v1/alerts/vocabulary');
export const sendAlert = (plan: AlertPlan) => api.post<Alert>('/api/v1/alerts', plan);
export const loadAlert = (id: string) => api.get<Alert>(path(id));
export const listAlerts = () => api.get<{ items: Alert[] }>('/api/v1/alerts').then((b) => b.items);
export const cancelAlert = (id: string) => api.post<Alert>(`${path(id)}/cancel`);

/** The first repetition: its speakers' deliveries are the proof the alert was heard (as in the controller's view). */
export function firstBroadcastId(a: Alert): string | undefined {
  return a.repetitions[0]?.broadcastId;
}

/** Black or white, whichever reads better on the official colour (WCAG relative luminance). */
export function inkOn(hex: string): '#000' | '#fff' {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const l = 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
  return (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? '#000' : '#fff';
}
