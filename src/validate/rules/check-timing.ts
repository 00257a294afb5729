import { toNanoseconds } from '../../model/duration.ts';
import { at, type Diagnostic } from '../diagnostic.ts';
import { problem, type Rule } from '../rule.ts';
import { checksOf } from './lib/visit.ts';

const ID = 'check/timing';
const SECOND = 1_000_000_000;

/** Effective value in nanoseconds, or undefined when malformed (duration/format reports that). */
function nanosOr(value: unknown, fallback: string): number | undefined {
  return toNanoseconds(typeof value === 'string' ? value : value === undefined ? fallback : '');
}

/** Nomad rejects checks below 1s (minCheckInterval/minCheckTimeout); a timeout ≥ interval overlaps runs. */
export const checkTimingRule: Rule = {
  id: ID,
  description: 'Check interval and timeout are at least 1s, and the timeout is shorter than the interval.',
  check({ jobs }) {
    return checksOf(jobs).flatMap(({ file, check, checkPath }): Diagnostic[] => {
      const interval = nanosOr(check.interval, '10s');
      const timeout = nanosOr(check.timeout, '2s');
      if (interval === undefined || timeout === undefined) return [];
      if (interval < SECOND) {
        return [problem(ID, { file, path: at(checkPath, 'interval') }, `Check interval ${String(check.interval)} is below Nomad's minimum of 1s`, 'Set interval to "1s" or more.')];
      }
      if (timeout < SECOND) {
        return [problem(ID, { file, path: at(checkPath, 'timeout') }, `Check timeout ${String(check.timeout)} is below Nomad's minimum of 1s`, 'Set timeout to "1s" or more.')];
      }
      if (timeout >= interval) {
        return [problem(ID, { file, path: at(checkPath, 'timeout') }, `Check timeout ${String(check.timeout ?? '2s')} is not shorter than its interval ${String(check.interval ?? '10s')}`, 'Lower the timeout below the interval (e.g. interval "10s", timeout "2s"), or raise the interval.')];
      }
      return [];
    });
  },
};
