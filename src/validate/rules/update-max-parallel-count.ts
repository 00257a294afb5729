import { warning, type Rule } from '../rule.ts';
import { isInteger } from './lib/index.ts';
import { effectiveUpdateOf, renderedCount } from './lib/effective-update.ts';
import { groupsOf } from './lib/visit.ts';

const ID = 'update/max-parallel-count';

/**
 * Rule `update/max-parallel-count` (warning): `maxParallel` above a group's count (when the count
 * is above 1) replaces every allocation at once on a destructive change. Nomad 2.0.5 warns about
 * the same on every plan and registration (nomad/structs/structs.go `TaskGroup.Warnings`).
 */
export const updateMaxParallelCountRule: Rule = {
  id: ID,
  description: 'Update maxParallel is not above the group count, or a destructive change replaces every allocation at once.',
  check({ jobs }) {
    return groupsOf(jobs).flatMap((visit) => {
      const update = effectiveUpdateOf(visit);
      const count = renderedCount(visit.job, visit.group);
      const maxParallel: unknown = update?.policy.maxParallel ?? 1;
      if (!update || !isInteger(count) || !isInteger(maxParallel) || count <= 1 || maxParallel <= count) return [];
      const name = typeof visit.group.name === 'string' ? visit.group.name : '?';
      return [
        warning(
          ID,
          { file: visit.file, path: update.pathOf('maxParallel') },
          `maxParallel ${maxParallel} is above group "${name}"'s count ${count}: a destructive change replaces all its allocations at once (Nomad warns: Update max parallel count is greater than task group count (${maxParallel} > ${count}))`,
          `Lower maxParallel to less than ${count} (e.g. 1) so some allocations keep serving while others are replaced, or raise the count.`,
        ),
      ];
    });
  },
};
