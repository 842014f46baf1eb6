/** An emergency alert as Loa keeps it: what was sent, to whom, every version, and who did what. */
import { Type } from 'typebox';
import type { Area } from './area.js';
import { AreaSchema } from './area.js';
import type { HazardId, RiskLevel } from './hazards.js';
import { HazardIdSchema, RiskLevelSchema } from './hazards.js';
import type { Targets } from '../store/records.js';

export type AlertSignal = 'siren' | 'chime' | 'none';

export interface AlertVersion {
  at: number;
  by: string;
  title: string;
  text: string | null;
  mediaId: string;
  /** One broadcast per repetition. */
  broadcastIds: string[];
}

export interface AlertRecord {
  id: string;
  /** A drill (exercise or test) is marked as such end to end. */
  kind: 'alert' | 'drill';
  /** stored: a CAP System or Draft message, kept and never played. */
  state: 'active' | 'cancelled' | 'stored';
  hazard: HazardId;
  riskLevel: RiskLevel;
  signal: AlertSignal;
  targets: Targets;
  areas: Area[];
  deviceIds: string[];
  repeats: number;
  intervalS: number;
  volume: number | null;
  notAfter: number;
  confirmWithinS: number;
  webhookUrl: string | null;
  versions: AlertVersion[];
  cap: { sender: string; identifier: string; sent: string } | null;
  createdAt: number;
  createdBy: string;
  commune: string | null;
  log: Array<{ at: number; action: string; by: string }>;
}

const Message = Type.Union([
  Type.Object({ mediaId: Type.String({ maxLength: 128 }) }, { additionalProperties: false }),
  Type.Object({ text: Type.String({ minLength: 1, maxLength: 5000 }), voice: Type.Optional(Type.String({ maxLength: 64 })) }, { additionalProperties: false }),
]);

export const AlertBody = Type.Object(
  {
    hazard: HazardIdSchema,
    riskLevel: RiskLevelSchema,
    title: Type.String({ minLength: 1, maxLength: 200 }),
    message: Message,
    targets: Type.Optional(
      Type.Object(
        {
          all: Type.Optional(Type.Literal(true)),
          zones: Type.Optional(Type.Array(Type.String({ maxLength: 128 }), { maxItems: 1000 })),
          devices: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 20_000 })),
        },
        { additionalProperties: false },
      ),
    ),
    areas: Type.Optional(Type.Array(AreaSchema, { maxItems: 20 })),
    repeats: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 })),
    intervalS: Type.Optional(Type.Integer({ minimum: 10, maximum: 3600 })),
    signal: Type.Optional(Type.Union([Type.Literal('siren'), Type.Literal('chime'), Type.Literal('none')])),
    volume: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
    notAfter: Type.Optional(Type.Integer({ minimum: 0 })),
    drill: Type.Optional(Type.Boolean()),
    confirmWithinS: Type.Optional(Type.Integer({ minimum: 5, maximum: 3600 })),
    webhookUrl: Type.Optional(Type.String({ pattern: '^https?://', maxLength: 2048 })),
  },
  { additionalProperties: false },
);

export const AlertUpdateBody = Type.Object({ title: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), message: Message }, { additionalProperties: false });
