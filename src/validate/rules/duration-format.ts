import { isDuration, toNanoseconds } from '../../model/duration.ts';
import { at, type Diagnostic, type Location } from '../diagnostic.ts';
import { problem, type Rule } from '../rule.ts';
import { isRecord, show } from './lib/index.ts';
import { checksOf, groupsOf, jobsOf, tasksOf } from './lib/visit.ts';

const ID = 'duration/format';

/** `[field, required]` for each Duration-typed field of a model object. */
type Fields = readonly (readonly [string, boolean])[];
const UPDATE: Fields = [['minHealthyTime', false], ['healthyDeadline', false], ['progressDeadline', false]];
const RESTART: Fields = [['interval', true], ['delay', true]];
const RESCHEDULE: Fields = [['interval', false], ['delay', true], ['maxDelay', false]];
const MIGRATE: Fields = [['minHealthyTime', false], ['healthyDeadline', false]];
const SCALING: Fields = [['cooldown', false], ['evaluationInterval', false]];
const GROUP: Fields = [['shutdownDelay', false]];
const CHECK: Fields = [['interval', false], ['timeout', false]];
const CHECK_RESTART: Fields = [['grace', false]];
const TASK: Fields = [['killTimeout', false]];

/**
 * Exported for the environment rules, which check the promotion durations the same way. The
 * renderer converts durations to nanoseconds and treats a malformed one as a drover bug, so every
 * Duration field must be checked here.
 */
export function durationProblems(rule: string, location: Location, owner: unknown, fields: Fields): Diagnostic[] {
  if (!isRecord(owner)) return [];
  return fields.flatMap(([key, required]): Diagnostic[] => {
    const value = owner[key];
    const where = { file: location.file, path: at(location.path, key) };
    if (value === undefined) {
      return required ? [problem(rule, where, `${key} is required`, `Set ${key} to a duration such as "30s".`)] : [];
    }
    if (!isDuration(value)) {
      return [problem(rule, where, `${key} ${show(value)} is not a duration`, 'Write a Go duration such as "30s", "1m30s" or "250ms" (units ns, us, ms, s, m, h; no spaces, signs or exponents).')];
    }
    // Nanoseconds beyond 2^53 lose precision in JSON numbers (about 104 days).
    if ((toNanoseconds(value) ?? 0) > Number.MAX_SAFE_INTEGER) {
      return [problem(rule, where, `${key} ${value} is longer than the ~104 days Nomad's JSON can carry exactly`, 'Use a shorter duration.')];
    }
    return [];
  });
}

/** Rule `duration/format`: every Duration field (update, restart, reschedule, migrate, scaling, checks, kill timeout, shutdown delay) is a valid duration. */
export const durationFormatRule: Rule = {
  id: ID,
  description: 'Every Duration field (update, restart, reschedule, migrate, scaling, checks, kill timeout, shutdown delay) is a valid duration.',
  check({ jobs }) {
    const check = (file: string, path: string, owner: unknown, fields: Fields) => durationProblems(ID, { file, path }, owner, fields);
    return [
      ...jobsOf(jobs).flatMap(({ file, job }) => check(file, 'update', job.update, UPDATE)),
      ...groupsOf(jobs).flatMap(({ file, group, groupPath }) => [
        ...check(file, groupPath, group, GROUP),
        ...check(file, at(groupPath, 'update'), group.update, UPDATE),
        ...check(file, at(groupPath, 'restart'), group.restart, RESTART),
        ...check(file, at(groupPath, 'reschedule'), group.reschedule, RESCHEDULE),
        ...check(file, at(groupPath, 'migrate'), group.migrate, MIGRATE),
        ...check(file, at(groupPath, 'scaling'), group.scaling, SCALING),
      ]),
      ...checksOf(jobs).flatMap(({ file, check: spec, checkPath }) => [
        ...check(file, checkPath, spec, CHECK),
        ...check(file, at(checkPath, 'restart'), spec.restart, CHECK_RESTART),
      ]),
      ...tasksOf(jobs).flatMap(({ file, task, path }) => check(file, path, task, TASK)),
    ];
  },
};
