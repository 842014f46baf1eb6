/** The commune-wide calendar: every programme's occurrences in one sorted list. */
import type { Programme } from './model.js';
import { programmeOccurrences, type ProgrammeOccurrence } from './occurrences.js';

/**
 * All occurrences of the programmes in [from, to), sorted by start, then higher priority, then
 * programme id. Throws LOA_SCHEDULE_INVALID if any programme is invalid (validate them on save).
 */
export function agenda(programmes: readonly Programme[], from: number, to: number): ProgrammeOccurrence[] {
  return programmes
    .flatMap((p) => programmeOccurrences(p, from, to))
    .sort((a, b) => a.at - b.at || b.priority - a.priority || a.programmeId.localeCompare(b.programmeId));
}
