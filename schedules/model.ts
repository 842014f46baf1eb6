/**
 * A programme (chương trình phát định kỳ): what plays, where, and when it recurs.
 * The schemas validate the API's input; the types are what the engine computes with.
 * All dates and times in a recurrence are local to the programme's `timezone`.
 */
import { Type, type Static } from 'typebox';

export const DEFAULT_TIMEZONE = 'Asia/Ho_Chi_Minh';

/** 'HH:mm', 00:00–23:59. */
export const TimeOfDay = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' });
/** 'YYYY-MM-DD', a local calendar date. */
export const LocalDate = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' });
/** 'YYYY-MM-DDTHH:mm', a local date and time. */
export const LocalDateTime = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}T([01][0-9]|2[0-3]):[0-5][0-9]$' });

const Times = Type.Array(TimeOfDay, { minItems: 1, maxItems: 96 });
const strict = { additionalProperties: false } as const;

export const OnceRecurrence = Type.Object({ kind: Type.Literal('once'), at: LocalDateTime }, strict);
export const DailyRecurrence = Type.Object({ kind: Type.Literal('daily'), times: Times }, strict);
export const WeeklyRecurrence = Type.Object(
  {
    kind: Type.Literal('weekly'),
    /** ISO weekdays: 1 = Monday (Thứ Hai) … 7 = Sunday (Chủ Nhật). */
    weekdays: Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), { minItems: 1, maxItems: 7 }),
    times: Times,
  },
  strict,
);
export const MonthlyRecurrence = Type.Object(
  {
    kind: Type.Literal('monthly'),
    /** Days of the month; a day the month lacks (31 in April) is skipped, not moved. */
    days: Type.Array(Type.Integer({ minimum: 1, maximum: 31 }), { minItems: 1, maxItems: 31 }),
    times: Times,
  },
  strict,
);
/** Five fields (minute hour day-of-month month day-of-week), matched against local wall-clock time. */
export const CronRecurrence = Type.Object(
  { kind: Type.Literal('cron'), expr: Type.String({ minLength: 9, maxLength: 200 }) },
  strict,
);

export const Recurrence = Type.Union([OnceRecurrence, DailyRecurrence, WeeklyRecurrence, MonthlyRecurrence, CronRecurrence]);
export type Recurrence = Static<typeof Recurrence>;

const DurationMs = Type.Integer({ minimum: 1, maximum: 24 * 3_600_000 });
export const MediaItem = Type.Object(
  { kind: Type.Literal('media'), mediaId: Type.String({ minLength: 1, maxLength: 128 }), durationMs: DurationMs },
  strict,
);
export const StreamItem = Type.Object(
  { kind: Type.Literal('stream'), url: Type.String({ minLength: 1, maxLength: 2048 }), durationMs: DurationMs },
  strict,
);
export const ProgrammeItem = Type.Union([MediaItem, StreamItem]);
export type ProgrammeItem = Static<typeof ProgrammeItem>;

/** Where it plays: every speaker, or the union of some zones and devices. */
export const Targets = Type.Union([
  Type.Object({ all: Type.Literal(true) }, strict),
  Type.Object(
    {
      zones: Type.Optional(Type.Array(Type.String({ maxLength: 128 }), { maxItems: 1000 })),
      devices: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 20_000 })),
    },
    { ...strict, minProperties: 1 },
  ),
]);
export type Targets = Static<typeof Targets>;

/** PROTOCOL priorities: 1 routine (bản tin thông thường), 2 priority (bản tin ưu tiên); 3 is never scheduled. */
export const ScheduledPriority = Type.Union([Type.Literal(1), Type.Literal(2)]);
export type ScheduledPriority = Static<typeof ScheduledPriority>;

export const Programme = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 128 }),
    title: Type.String({ minLength: 1, maxLength: 200 }),
    items: Type.Array(ProgrammeItem, { minItems: 1, maxItems: 100 }),
    targets: Targets,
    priority: ScheduledPriority,
    volume: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
    recurrence: Recurrence,
    /** First local date it may play (inclusive). */
    startDate: Type.Optional(LocalDate),
    /** Last local date it may play (inclusive). */
    endDate: Type.Optional(LocalDate),
    /** Local dates it does not play (a holiday, a commune event). */
    skipDates: Type.Array(LocalDate, { maxItems: 1000, default: [] }),
    /** An IANA time zone name. */
    timezone: Type.String({ minLength: 1, maxLength: 64, default: DEFAULT_TIMEZONE }),
    paused: Type.Boolean({ default: false }),
    /** UTC ms: this version governs occurrences from here on; earlier ones belong to the previous version. */
    effectiveFrom: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  strict,
);
export type Programme = Static<typeof Programme>;
