import { at, type Diagnostic } from '../diagnostic.ts';
import { problem, warning, type Rule } from '../rule.ts';
import { isInteger, isRecord, show } from './lib/index.ts';
import { checksOf } from './lib/visit.ts';

const ID = 'check/restart';

/** Rule `check/restart`: check restart (liveness) limits are positive integers. */
export const checkRestartRule: Rule = {
  id: ID,
  description: 'Check restart (liveness) limits are positive integers.',
  check({ jobs }) {
    return checksOf(jobs).flatMap(({ file, check, checkPath }): Diagnostic[] => {
      const restart: unknown = check.restart;
      if (restart === undefined) return [];
      const path = at(checkPath, 'restart');
      if (!isRecord(restart)) return [problem(ID, { file, path }, `Check restart ${show(restart)} is not an object`, 'Write `restart: { limit: 3, grace: "30s" }`, or remove it.')];
      const limit = restart.limit;
      if (!isInteger(limit) || limit < 0) {
        return [problem(ID, { file, path: at(path, 'limit') }, `Check restart limit ${show(limit)} is not a non-negative integer`, 'Set limit to the number of consecutive failures before a restart, e.g. 3.')];
      }
      // Nomad treats limit 0 as "never restart": the block silently does nothing.
      if (limit === 0) return [warning(ID, { file, path: at(path, 'limit') }, 'Check restart limit 0 disables restarts', 'Set limit to 1 or more, or remove `restart` if the check should only gate traffic.')];
      return [];
    });
  },
};
