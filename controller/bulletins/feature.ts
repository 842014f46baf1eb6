/**
 * Bulletins from above: the province's source system pushes bulletins with a level. Normal ones
 * land in the officer's inbox, priority ones are offered for the next programme slot, emergencies
 * go out at once through the alert path. A repeated push (same source and id) is the same bulletin.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { Type } from 'typebox';
import type {} from '../http/types.js';
import type { Feature, FeatureContext } from '../feature.js';
import { commonErrors, defineErrors } from '../errors.js';
import { inScope, type Actor } from '../auth/permissions.js';
import type { AlertService } from '../alerts/service.js';
import { occurrenceBroadcastId } from '../programmes/engine.js';
import type { ProgrammeService } from '../programmes/service.js';
import { WriteCoalescer } from '../store/coalescer.js';

export interface BulletinSource {
  source: string;
  key: string;
  commune: string | null;
}

export interface Bulletin {
  id: string;
  source: string;
  sourceId: string;
  level: 'normal' | 'priority' | 'emergency';
  title: string;
  text: string | null;
  mediaId: string | null;
  receivedAt: number;
  state: 'inbox' | 'offered' | 'scheduled' | 'sent' | 'dismissed';
  suggestedAt: number | null;
  programmeId: string | null;
  /** The broadcast its programme makes at the accepted time: once it goes out, the bulletin is `sent`. */
  broadcastId?: string | null;
  alertId: string | null;
  commune: string | null;
}

const PushBody = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 128 }),
    level: Type.Union([Type.Literal('normal'), Type.Literal('priority'), Type.Literal('emergency')]),
    title: Type.String({ minLength: 1, maxLength: 200 }),
    text: Type.Optional(Type.String({ maxLength: 10_000 })),
    /** Audio bytes, base64 (at most ~7 MB). */
    audioBase64: Type.Optional(Type.String({ maxLength: 10_000_000 })),
  },
  { additionalProperties: false },
);
const ScheduleBody = Type.Object({ at: Type.Optional(Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}T([01][0-9]|2[0-3]):[0-5][0-9]$' })), zones: Type.Optional(Type.Array(Type.String({ maxLength: 128 }))) }, { additionalProperties: false });
const IdParams = Type.Object({ id: Type.String({ maxLength: 128 }) });

export const bulletinErrors = defineErrors({
  LOA_BULLETIN_SLOT_PASSED: {
    status: 409,
    vi: 'Khung giờ đã đề xuất ({offered}) đã qua. Bản tin nay được đề xuất cho khung giờ kế tiếp ({next}); hãy xác nhận lại hoặc chọn giờ.',
    en: 'The offered slot ({offered}) has passed. The bulletin is now offered for the next slot ({next}); accept again or choose a time.',
  },
});

const digest = (s: string) => createHash('sha256').update(s).digest();
const localMinute = (ms: number) => new Date(ms + 7 * 3_600_000).toISOString().slice(0, 16);
const fromLocalMinute = (at: string) => Date.parse(`${at}:00+07:00`);

export function sourcesFromEnv(env: NodeJS.ProcessEnv = process.env): BulletinSource[] {
  return env.LOA_BULLETIN_SOURCES ? (JSON.parse(env.LOA_BULLETIN_SOURCES) as BulletinSource[]) : [];
}

export function createBulletinsFeature(sources: BulletinSource[] = sourcesFromEnv()): Feature {
  return {
    name: 'bulletins',
    async start(ctx) {
      const db = new Low<{ items: Record<string, Bulletin> }>(new JSONFile(path.join(ctx.config.dataDir, 'config', 'bulletins.json')), { items: {} });
      await db.read();
      const coalescer = new WriteCoalescer(() => db.write(), ctx.config.flushMs, (err) => ctx.logger.error({ err }, 'bulletins write failed'));
      const save = async (b: Bulletin) => {
        db.data.items[b.id] = b;
        coalescer.mark();
        await coalescer.flush();
      };
      const alerts = ctx.services.alerts as AlertService | undefined;
      const programmes = ctx.services.programmes as ProgrammeService | undefined;
      const off = ctx.bus.on('broadcast.created', (e) => {
        const b = Object.values(db.data.items).find((x) => x.state === 'scheduled' && x.broadcastId === e.id);
        if (b) void save({ ...b, state: 'sent' });
      });
      const stop = async () => {
        off();
        await coalescer.flush();
      };
      return { routes: routes(ctx, db, save, sources, alerts, programmes), stop };
    },
  };
}

function sourceOf(req: FastifyRequest, sources: BulletinSource[]): BulletinSource {
  const given = req.headers.authorization?.startsWith('Bearer ') ? req.headers.authorization.slice(7) : '';
  const found = sources.find((s) => timingSafeEqual(digest(s.key), digest(given)));
  if (!found) throw commonErrors.LOA_UNAUTHENTICATED();
  return found;
}

function routes(
  ctx: FeatureContext,
  db: Low<{ items: Record<string, Bulletin> }>,
  save: (b: Bulletin) => Promise<void>,
  sources: BulletinSource[],
  alerts: AlertService | undefined,
  programmes: ProgrammeService | undefined,
) {
  const find = (source: string, sourceId: string) => Object.values(db.data.items).find((b) => b.source === source && b.sourceId === sourceId);
  const nextSlot = (actor: Actor): number | null => {
    if (!programmes) return null;
    const now = ctx.clock.now();
    // A slot whose play commands have already gone out (the prefetch) is too close for the speakers to fetch the bulletin.
    const earliest = now + programmes.leadMs;
    return programmes.agenda(actor, now, now + 7 * 86_400_000).find((o) => o.at > earliest)?.at ?? null;
  };
  const accepting = new Set<string>();
  /**
   * The local minute it goes out: the officer's own time, else the offered slot. A time already past
   * would be sent late or silently never (the engine looks back one grace period only), so a passed
   * slot is replaced by the next one and offered again rather than accepted.
   */
  const slotToAccept = async (b: Bulletin, actor: Actor, chosen: string | undefined): Promise<string> => {
    const now = ctx.clock.now();
    if (chosen !== undefined) {
      if (fromLocalMinute(chosen) <= now) throw commonErrors.LOA_BAD_REQUEST({ reason: `at ${chosen} đã qua / has passed` });
      return chosen;
    }
    if (b.suggestedAt === null) throw commonErrors.LOA_BAD_REQUEST({ reason: 'at' });
    if (b.suggestedAt > now) return localMinute(b.suggestedAt);
    const next = nextSlot(actor);
    await save({ ...b, suggestedAt: next });
    throw bulletinErrors.LOA_BULLETIN_SLOT_PASSED({ offered: localMinute(b.suggestedAt), next: next === null ? '—' : localMinute(next) });
  };
  /** Its own audio, or its text read out (the province often sends text only). */
  const audioOf = async (b: Bulletin, actor: Actor) => {
    if (b.mediaId) return ctx.library.get(b.mediaId);
    if (!b.text) throw commonErrors.LOA_BAD_REQUEST({ reason: 'bản tin không có âm thanh lẫn nội dung / the bulletin has neither audio nor text' });
    return ctx.speech.speak(actor, b.text, { title: b.title });
  };
  const mediaFrom = async (actor: Actor, base64: string, title: string) => {
    const tmp = path.join(ctx.library.workDir, `bulletin-${randomBytes(8).toString('hex')}`);
    await fs.writeFile(tmp, Buffer.from(base64, 'base64'));
    return ctx.library.add(actor, tmp, title);
  };

  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<TypeBoxTypeProvider>();
    const tags = ['bulletins'];
    r.post('/api/v1/bulletins', { config: { public: true }, bodyLimit: 12 * 1024 * 1024, schema: { tags, summary: 'Bản tin từ cấp trên (khoá nguồn) / Bulletin from above (source key)', body: PushBody } }, async (req, reply) => {
      const source = sourceOf(req, sources);
      const existing = find(source.source, req.body.id);
      if (existing) return { duplicate: true, bulletin: existing };
      const actor: Actor = { id: `source:${source.source}`, username: source.source, role: 'officer', commune: source.commune };
      const media = req.body.audioBase64 ? await mediaFrom(actor, req.body.audioBase64, req.body.title) : null;
      const b: Bulletin = {
        id: `bt-${createHash('sha256').update(`${source.source}\n${req.body.id}`).digest('hex').slice(0, 20)}`,
        source: source.source,
        sourceId: req.body.id,
        level: req.body.level,
        title: req.body.title,
        text: req.body.text ?? null,
        mediaId: media?.id ?? null,
        receivedAt: ctx.clock.now(),
        state: req.body.level === 'normal' ? 'inbox' : 'offered',
        suggestedAt: req.body.level === 'priority' ? nextSlot(actor) : null,
        programmeId: null,
        alertId: null,
        commune: source.commune,
      };
      if (b.level === 'emergency') {
        if (!alerts) throw commonErrors.LOA_UNAVAILABLE({ reason: 'alerts' });
        const message = media ? { mediaId: media.id } : { text: b.text ?? b.title };
        const alert = await alerts.create(actor, { hazard: 'other', riskLevel: 4, title: b.title, message, targets: { all: true } });
        b.state = 'sent';
        b.alertId = alert.id;
      }
      await save(b);
      reply.status(201);
      return { duplicate: false, bulletin: b };
    });
    r.get('/api/v1/bulletins', { schema: { tags, summary: 'Hộp thư bản tin / Bulletin inbox' } }, async (req) => ({
      items: Object.values(db.data.items)
        .filter((b) => inScope(req.actor!, b.commune))
        .sort((a, b) => b.receivedAt - a.receivedAt),
    }));
    r.post('/api/v1/bulletins/:id/schedule', { config: { permission: 'broadcasts.write' }, schema: { tags, summary: 'Đưa vào lịch phát / Schedule it', params: IdParams, body: ScheduleBody } }, async (req, reply) => {
      const b = db.data.items[req.params.id];
      if (!b || !inScope(req.actor!, b.commune)) throw commonErrors.LOA_NOT_FOUND({ what: 'bản tin / bulletin', id: req.params.id });
      if (!programmes) throw commonErrors.LOA_UNAVAILABLE({ reason: 'programmes' });
      // Accepted once: a second click (or two officers at once) must not play it twice.
      if (b.state === 'scheduled' || b.state === 'sent' || accepting.has(b.id)) throw commonErrors.LOA_CONFLICT({ what: 'lịch phát của bản tin / the schedule of bulletin', id: b.id });
      accepting.add(b.id);
      try {
        const at = await slotToAccept(b, req.actor!, req.body.at);
        const media = await audioOf(b, req.actor!);
        const targets = req.body.zones?.length ? { zones: req.body.zones } : ({ all: true } as const);
        const { programme, conflicts } = await programmes.create(req.actor!, { title: b.title, items: [{ kind: 'media', mediaId: media.id, durationMs: media.durationMs }], targets, priority: b.level === 'priority' ? 2 : 1, recurrence: { kind: 'once', at } });
        const broadcastId = occurrenceBroadcastId(`${programme.id}@${new Date(fromLocalMinute(at)).toISOString()}`, 0);
        await save({ ...b, mediaId: media.id, state: 'scheduled', programmeId: programme.id, broadcastId });
        reply.status(201);
        return { bulletin: db.data.items[b.id], programme, conflicts };
      } finally {
        accepting.delete(b.id);
      }
    });
  };
}
