/** The typed event bus features use to tell each other (and the live event stream) what happened. */
import { EventEmitter } from 'node:events';
import type { LiveView } from '../live/service.js';
import type { IngestJobView } from '../media/ingest-jobs.js';
import type { DeliveryState } from '../store/records.js';
import type { DeliverySummary } from '../dispatch/delivery-state.js';

export interface DeliveryEvent {
  jobId: string;
  kind: 'broadcast' | 'command';
  deviceId: string;
  state: DeliveryState;
  at: number;
  error: { code: string; message: string } | null;
}

export interface EventMap {
  'device.online': [{ deviceId: string; session: number; at: number }];
  'device.offline': [{ deviceId: string; session: number; reason: 'lost' | 'shutdown'; at: number }];
  'device.telemetry': [{ deviceId: string; at: number; data: Record<string, unknown> }];
  delivery: [DeliveryEvent];
  'job.finished': [{ jobId: string; kind: 'broadcast' | 'command'; status: 'completed' | 'cancelled'; at: number }];
  /** A job's summary, at most once a second while its acks arrive. */
  'job.progress': [{ jobId: string; kind: 'broadcast' | 'command'; commune: string | null; summary: DeliverySummary; at: number }];
  'broadcast.created': [{ id: string; title: string; priority: number; targeted: number; at: number }];
  /** An upload being processed: its percentage, then done (with the media) or failed (with the reason). */
  'media.job': [IngestJobView];
  /** A live source or relay went on air, ended, or failed (`reason` says why: a dead upstream, a stop). */
  'live.state': [LiveView];
}

export class EventBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(1000);
  }

  emit<K extends keyof EventMap>(name: K, ...args: EventMap[K]): void {
    this.emitter.emit(name, ...args);
  }

  on<K extends keyof EventMap>(name: K, fn: (...args: EventMap[K]) => void): () => void {
    this.emitter.on(name, fn as (...a: unknown[]) => void);
    return () => this.emitter.off(name, fn as (...a: unknown[]) => void);
  }
}
