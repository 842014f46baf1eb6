/**
 * Emergency alerts: one action, every speaker in the area, priority 3, with live proof per speaker.
 * Each repetition is a broadcast of its own; cancel stops them all; an update replaces the message
 * and keeps every earlier version.
 */
import type { Actor } from '../auth/permissions.js';
import type { BroadcastService } from '../broadcasts/service.js';
import type { Clock } from '../clock.js';
import type { DeviceRegistry } from '../devices/registry.js';
import { commonErrors, defineErrors } from '../errors.js';
import { newId } from '../ids.js';
import type { JobViews } from '../jobs/views.js';
import type { MediaLibrary } from '../media/library.js';
import type { MediaRecord } from '../store/records.js';
import { inScope } from '../auth/permissions.js';
import type { Area } from './area.js';
import { selectInAreas, validateArea } from './area.js';
import type { HazardId, RiskLevel } from './hazards.js';
import { hazard as hazardInfo, riskLevel as riskInfo } from './hazards.js';
import type { AlertRecord, AlertSignal } from './model.js';
import type { AlertRepository } from './repository.js';
import { notifyWebhook, type WebhookLogger } from './webhook.js';

export const alertErrors = defineErrors({
  LOA_ALERT_NO_TARGETS: {
    status: 422,
    vi: 'Không có loa nào trong vùng hoặc thôn đã chọn.',
    en: 'No speaker is in the chosen area or villages.',
  },
  LOA_ALERT_AREA: {
    status: 422,
    vi: 'Vùng cảnh báo không hợp lệ: {reason}',
    en: 'The alert area is not valid: {reason}',
  },
  LOA_ALERT_NOT_ACTIVE: {
    status: 409,
    vi: 'Cảnh báo này đã kết thúc hoặc đã huỷ.',
    en: 'This alert has ended or was cancelled.',
  },
  LOA_TTS_UNAVAILABLE: {
    status: 503,
    vi: 'Máy chủ chưa đọc được văn bản thành giọng nói. Hãy chọn một tệp âm thanh.',
    en: 'Text to speech is not available on this server. Choose an audio file.',
  },
});

/** The audio engine as alerts need it. */
export interface AlertAudio {
  speak(actor: Actor, text: string, voice?: string): Promise<MediaRecord>;
  /** The message with the siren or chime, and for a drill the drill announcement, before it. */
  withPrefix(actor: Actor, media: MediaRecord, prefix: { signal: AlertSignal; drill: boolean }): Promise<MediaRecord>;
}

export interface AlertInput {
  hazard: HazardId;
  riskLevel: RiskLevel;
  title: string;
  message: { mediaId: string } | { text: string; voice?: string } | { media: MediaRecord; text: string | null };
  targets?: { all?: true; zones?: string[]; devices?: string[] };
  areas?: Area[];
  repeats?: number;
  intervalS?: number;
  signal?: AlertSignal;
  volume?: number;
  notAfter?: number;
  drill?: boolean;
  confirmWithinS?: number;
  webhookUrl?: string;
  cap?: AlertRecord['cap'];
  /** A CAP System or Draft message: kept, never played. */
  storeOnly?: boolean;
}

export interface AlertServiceDeps {
  repo: AlertRepository;
  broadcasts: BroadcastService;
  registry: DeviceRegistry;
  library: MediaLibrary;
  jobs: JobViews;
  audio: AlertAudio;
  clock: Clock;
  logger: WebhookLogger;
  defaultWindowMs: number;
  confirmWithinS: number;
}

export class AlertService {
  private readonly followUps = new Set<NodeJS.Timeout>();

  constructor(private readonly d: AlertServiceDeps) {}

  async create(actor: Actor, input: AlertInput): Promise<AlertRecord> {
    const now = this.d.clock.now();
    const deviceIds = input.storeOnly ? [] : this.resolve(actor, input);
    const alert: AlertRecord = {
      id: newId('a'),
      kind: input.drill ? 'drill' : 'alert',
      state: input.storeOnly ? 'stored' : 'active',
      hazard: input.hazard,
      riskLevel: input.riskLevel,
      signal: input.signal ?? 'siren',
      targets: input.targets?.all ? { all: true } : { zones: input.targets?.zones ?? [], devices: input.targets?.devices ?? [] },
      areas: input.areas ?? [],
      deviceIds,
      repeats: input.repeats ?? 1,
      intervalS: input.intervalS ?? 120,
      volume: input.volume ?? null,
      notAfter: input.notAfter ?? now + this.d.defaultWindowMs,
      confirmWithinS: input.confirmWithinS ?? this.d.confirmWithinS,
      webhookUrl: input.webhookUrl ?? null,
      versions: [],
      cap: input.cap ?? null,
      createdAt: now,
      createdBy: actor.username,
      commune: actor.commune,
      log: [{ at: now, action: input.storeOnly ? 'stored' : 'created', by: actor.username }],
    };
    if (!input.storeOnly) alert.versions.push(await this.sendVersion(actor, alert, input.title, input.message));
    else alert.versions.push({ at: now, by: actor.username, title: input.title, text: 'text' in input.message ? input.message.text : null, mediaId: '', broadcastIds: [] });
    await this.d.repo.save(alert);
    if (!input.storeOnly) {
      this.notify(alert, 'created');
      this.scheduleFollowUp(alert);
    }
    return alert;
  }

  async cancel(actor: Actor, alert: AlertRecord): Promise<AlertRecord> {
    if (alert.state !== 'active') throw alertErrors.LOA_ALERT_NOT_ACTIVE();
    await this.stopCurrent(actor, alert);
    alert.state = 'cancelled';
    alert.log.push({ at: this.d.clock.now(), action: 'cancelled', by: actor.username });
    await this.d.repo.save(alert);
    this.notify(alert, 'cancelled');
    return alert;
  }

  /** Replaces the message on every speaker; the earlier versions stay in the history. */
  async update(actor: Actor, alert: AlertRecord, title: string | undefined, message: AlertInput['message']): Promise<AlertRecord> {
    if (alert.state !== 'active') throw alertErrors.LOA_ALERT_NOT_ACTIVE();
    await this.stopCurrent(actor, alert);
    alert.versions.push(await this.sendVersion(actor, alert, title ?? current(alert).title, message));
    alert.log.push({ at: this.d.clock.now(), action: 'updated', by: actor.username });
    await this.d.repo.save(alert);
    this.notify(alert, 'updated');
    this.scheduleFollowUp(alert);
    return alert;
  }

  get(actor: Actor, id: string): AlertRecord {
    const a = this.d.repo.get(id);
    if (!a || !inScope(actor, a.commune)) throw commonErrors.LOA_NOT_FOUND({ what: 'cảnh báo / alert', id });
    return a;
  }

  list(actor: Actor): AlertRecord[] {
    return this.d.repo
      .all()
      .filter((a) => inScope(actor, a.commune))
      .sort((a, b) => b.createdAt - a.createdAt);
  }

  /** Progress and proof: per repetition the broadcast summary; speakers not yet confirmed `playing`. */
  async view(alert: AlertRecord) {
    const v = current(alert);
    const first = v.broadcastIds[0];
    const deliveries = first ? await this.d.jobs.deliveries(first, systemActor(null)) : [];
    const confirmed = deliveries.filter((x) => x.at.playing !== undefined).map((x) => x.deviceId);
    const confirmedSet = new Set(confirmed);
    const deadline = v.at + alert.confirmWithinS * 1000;
    const unconfirmed = deliveries.filter((x) => !confirmedSet.has(x.deviceId)).map((x) => ({ deviceId: x.deviceId, state: x.state, error: x.error }));
    const repetitions = await Promise.all(
      v.broadcastIds.map((id) => this.d.jobs.broadcast(id).then((b) => ({ broadcastId: id, startAt: b.startAt, status: b.status, summary: b.summary }))),
    );
    const { deviceIds, ...rest } = alert;
    return {
      ...rest,
      hazardName: { vi: hazardInfo(alert.hazard).vi, en: hazardInfo(alert.hazard).en },
      risk: riskInfo(alert.riskLevel),
      title: v.title,
      text: v.text,
      mediaId: v.mediaId,
      targeted: deviceIds.length,
      confirmed: confirmed.length,
      confirmedPct: deviceIds.length ? Math.round((confirmed.length * 1000) / deviceIds.length) / 10 : 0,
      followUpDue: this.d.clock.now() >= deadline,
      /** Speakers to follow up (a technician phones the village): listed once the confirmation time has passed. */
      unconfirmed: this.d.clock.now() >= deadline ? unconfirmed : [],
      pending: unconfirmed.length,
      repetitions,
    };
  }

  stop(): void {
    for (const t of this.followUps) clearTimeout(t);
    this.followUps.clear();
  }

  private resolve(actor: Actor, input: AlertInput): string[] {
    const ids = new Set<string>();
    const t = input.targets;
    if (t && (t.all || t.zones?.length || t.devices?.length)) {
      const targets = t.all ? ({ all: true } as const) : { zones: t.zones ?? [], devices: t.devices ?? [] };
      for (const id of this.d.registry.resolveTargets(actor, targets)) ids.add(id);
    }
    for (const area of input.areas ?? []) {
      const reason = validateArea(area);
      if (reason) throw alertErrors.LOA_ALERT_AREA({ reason });
    }
    if (input.areas?.length) for (const id of selectInAreas(input.areas, this.d.registry.located(actor))) ids.add(id);
    if (ids.size === 0) throw alertErrors.LOA_ALERT_NO_TARGETS();
    return [...ids];
  }

  private async sendVersion(actor: Actor, alert: AlertRecord, title: string, message: AlertInput['message']) {
    const { media, text } = await this.messageMedia(actor, message);
    const played = await this.d.audio.withPrefix(actor, media, { signal: alert.signal, drill: alert.kind === 'drill' });
    const now = this.d.clock.now();
    const label = alert.kind === 'drill' ? 'DIỄN TẬP / DRILL' : 'KHẨN CẤP';
    const broadcastIds: string[] = [];
    for (let k = 0; k < alert.repeats; k++) {
      const startAt = now + k * alert.intervalS * 1000;
      // A repetition that would start after the alert's end is not sent at all.
      if (k > 0 && startAt >= alert.notAfter) break;
      const b = await this.d.broadcasts.create(actor, {
        title: `[${label}] ${title}${alert.repeats > 1 ? ` (${k + 1}/${alert.repeats})` : ''}`,
        mediaId: played.id,
        targets: { devices: alert.deviceIds },
        priority: 3,
        ...(k > 0 ? { startAt } : {}),
        notAfter: alert.notAfter,
        ...(alert.volume !== null ? { volume: alert.volume } : {}),
      });
      broadcastIds.push(b.id);
    }
    return { at: now, by: actor.username, title, text, mediaId: played.id, broadcastIds };
  }

  private async messageMedia(actor: Actor, message: AlertInput['message']): Promise<{ media: MediaRecord; text: string | null }> {
    if ('media' in message) return { media: message.media, text: message.text };
    if ('mediaId' in message) return { media: this.d.library.get(message.mediaId), text: null };
    return { media: await this.d.audio.speak(actor, message.text, message.voice), text: message.text };
  }

  private async stopCurrent(actor: Actor, alert: AlertRecord): Promise<void> {
    for (const id of current(alert).broadcastIds) {
      const b = this.d.jobs.getBroadcast(id);
      if (b.status === 'active') await this.d.broadcasts.cancel(actor, b);
    }
  }

  private scheduleFollowUp(alert: AlertRecord): void {
    const version = alert.versions.length;
    const timer = setTimeout(() => {
      this.followUps.delete(timer);
      const latest = this.d.repo.get(alert.id);
      if (!latest || latest.state !== 'active' || latest.versions.length !== version) return;
      void this.view(latest).then((v) => this.notify(latest, 'follow_up', { unconfirmed: v.unconfirmed }));
    }, alert.confirmWithinS * 1000);
    timer.unref();
    this.followUps.add(timer);
  }

  private notify(alert: AlertRecord, stage: string, extra: object = {}): void {
    if (!alert.webhookUrl) return;
    notifyWebhook(alert.webhookUrl, { stage, alertId: alert.id, kind: alert.kind, hazard: alert.hazard, riskLevel: alert.riskLevel, title: current(alert).title, at: this.d.clock.now(), ...extra }, this.d.logger);
  }
}

export function current(alert: AlertRecord) {
  return alert.versions[alert.versions.length - 1]!;
}

export function systemActor(commune: string | null, username = 'system'): Actor {
  return { id: username, username, role: 'admin', commune };
}
