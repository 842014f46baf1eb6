/**
 * CAP 1.2 in: alerts pushed by configured senders (each with its own key). Actual → alert,
 * Exercise/Test → drill, System/Draft → stored; Update and Cancel follow their references;
 * the same (sender, identifier) twice is one alert.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type {} from '../http/types.js';
import { commonErrors } from '../errors.js';
import type { MediaLibrary } from '../media/library.js';
import { assertCapMediaType, parseCap } from './cap/parse.js';
import { capToIntent, type CapIntent } from './cap/map.js';
import { ZONE_GEOCODE } from './cap/render.js';
import type { AlertService } from './service.js';
import { systemActor } from './service.js';
import type { AlertRecord } from './model.js';
import type { AlertRepository } from './repository.js';
import type { Store } from '../store/store.js';

export interface CapSender {
  sender: string;
  key: string;
  /** The commune its alerts may reach; null: the whole district. */
  commune: string | null;
}

export interface CapOptions {
  senders: CapSender[];
  geocodeTable: Record<string, string[]>;
  maxBytes: number;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

function senderFor(req: FastifyRequest, senders: CapSender[]): CapSender {
  const given = req.headers.authorization?.startsWith('Bearer ') ? req.headers.authorization.slice(7) : '';
  const found = senders.find((s) => timingSafeEqual(digest(s.key), digest(given)));
  if (!found) throw commonErrors.LOA_UNAUTHENTICATED();
  return found;
}

export function capRoutes(alerts: AlertService, repo: AlertRepository, library: MediaLibrary, store: Store, opts: CapOptions) {
  const geocodes = () => ({ ...zoneGeocodes(store), ...opts.geocodeTable });
  return async (app: FastifyInstance) => {
    app.addContentTypeParser(['application/cap+xml', 'application/xml', 'text/xml'], { parseAs: 'buffer', bodyLimit: opts.maxBytes }, (_req, body, done) => done(null, body));
    app.post('/api/v1/alerts/cap', { config: { public: true }, bodyLimit: opts.maxBytes, schema: { tags: ['alerts'], summary: 'Nhận cảnh báo CAP 1.2 / Receive a CAP 1.2 alert (Bearer: the sender key)' } }, async (req, reply) => {
      const sender = senderFor(req, opts.senders);
      assertCapMediaType(req.headers['content-type']);
      const cap = parseCap(req.body as Buffer, { maxBytes: opts.maxBytes });
      if (cap.sender !== sender.sender) throw commonErrors.LOA_FORBIDDEN();
      const existing = repo.byCap(cap.sender, cap.identifier);
      if (existing) return { duplicate: true, ...(await alerts.view(existing)) };
      const intent = capToIntent(cap, { geocodeTable: geocodes() });
      const actor = systemActor(sender.commune, `cap:${sender.sender}`);
      const result = await apply(intent, actor);
      reply.status(201);
      return { duplicate: false, unknownGeocodes: intent.unknownGeocodes, ...(await alerts.view(result)) };
    });
  };

  async function apply(intent: CapIntent, actor: ReturnType<typeof systemActor>): Promise<AlertRecord> {
    const earlier = intent.references.map((r) => repo.byCap(r.sender, r.identifier)).find((a): a is AlertRecord => a !== undefined && a.state === 'active');
    if (intent.msgType === 'Cancel' && earlier) return alerts.cancel(actor, earlier);
    const message = await messageOf(intent, actor);
    if (intent.msgType === 'Update' && earlier) {
      const updated = await alerts.update(actor, earlier, intent.title, message);
      return updated;
    }
    return alerts.create(actor, {
      hazard: intent.hazard,
      riskLevel: intent.riskLevel,
      title: intent.title,
      message,
      targets: { zones: intent.zones },
      areas: intent.areas,
      drill: intent.action === 'drill',
      storeOnly: intent.action === 'store' || intent.msgType === 'Cancel',
      ...(intent.notAfter !== undefined ? { notAfter: intent.notAfter } : {}),
      cap: { sender: intent.ref.sender, identifier: intent.ref.identifier, sent: intent.ref.sent },
    });
  }

  async function messageOf(intent: CapIntent, actor: ReturnType<typeof systemActor>) {
    if (!intent.audio || intent.action === 'store') return { text: intent.text || intent.title };
    const tmp = path.join(library.workDir, `cap-${randomBytes(8).toString('hex')}`);
    await fs.writeFile(tmp, intent.audio.bytes);
    return { media: await library.add(actor, tmp, intent.title), text: intent.text };
  }
}

/** Loa's own rendered CAP names zones with the LOA-ZONE geocode; they always map back. */
function zoneGeocodes(store: Store): Record<string, string[]> {
  return Object.fromEntries(store.zones.all().map((z) => [`${ZONE_GEOCODE}:${z.id}`, [z.id]]));
}
