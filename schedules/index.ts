/** The programme schedule engine: pure functions from programmes and a window to instants. */
export * from './model.js';
export { scheduleErrors } from './errors.js';
export {
  occurrences,
  programmeOccurrences,
  occurrenceKey,
  validateProgramme,
  programmeIssues,
  assertValidProgramme,
  type Occurrence,
  type ProgrammeOccurrence,
} from './occurrences.js';
export { findConflicts, resolveOrder, type Conflict, type Contender, type Planned, type OverlapsTargets } from './conflicts.js';
export { agenda } from './agenda.js';
