import { at, type Diagnostic } from '../diagnostic.ts';
import { problem, type Rule } from '../rule.ts';
import { isInteger, isRecord, show } from './lib/index.ts';
import { groupsOf } from './lib/visit.ts';

const ID = 'scaling/range';

/** Rule `scaling/range`: scaling bounds satisfy 1 ≤ min ≤ max, and a fixed count lies within them. */
export const scalingRangeRule: Rule = {
  id: ID,
  description: 'Scaling bounds satisfy 1 ≤ min ≤ max, and a fixed count lies within them.',
  check({ jobs }) {
    return groupsOf(jobs).flatMap(({ file, group, groupPath }): Diagnostic[] => {
      const scaling: unknown = group.scaling;
      if (scaling === undefined) return [];
      const path = at(groupPath, 'scaling');
      if (!isRecord(scaling)) return [problem(ID, { file, path }, `scaling ${show(scaling)} is not an object`, 'Write `scaling: { min: 1, max: 3, target: { kind: \'cpu\', percent: 70 } }`, or remove it.')];
      const { min, max } = scaling;
      if (!isInteger(min) || min < 1) {
        return [problem(ID, { file, path: at(path, 'min') }, `scaling.min ${show(min)} must be an integer of at least 1`, 'Set min to the smallest number of allocations that can carry the service, at least 1.')];
      }
      if (!isInteger(max) || max < min) {
        return [problem(ID, { file, path: at(path, 'max') }, `scaling.max ${show(max)} must be an integer of at least min (${min})`, `Set max to ${min} or more.`)];
      }
      const count: unknown = group.count;
      if (isInteger(count) && (count < min || count > max)) {
        return [problem(ID, { file, path: at(groupPath, 'count') }, `count ${count} is outside the scaling range ${min}..${max}`, 'Remove count (the group starts at scaling.min), or set it within min..max.')];
      }
      return [];
    });
  },
};
