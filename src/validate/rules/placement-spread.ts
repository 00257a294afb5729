import { at, type Diagnostic } from '../diagnostic.ts';
import { problem, type Rule } from '../rule.ts';
import { entriesOf, isIntegerBetween, isNonEmptyString, show } from './lib/index.ts';
import { placementsOf } from './lib/placement.ts';

const ID = 'placement/spread';

/** Rule `placement/spread`: spreads have an attribute, a weight in 1..100 and target percentages (0..100) summing to at most 100. */
export const placementSpreadRule: Rule = {
  id: ID,
  description: 'Spreads have an attribute, a weight in 1..100 and target percentages (0..100) summing to at most 100.',
  check({ jobs }) {
    return placementsOf(jobs, 'spreads').flatMap(({ file, item, path }): Diagnostic[] => {
      if (!isNonEmptyString(item.attribute)) {
        return [problem(ID, { file, path: at(path, 'attribute') }, 'Spread has no attribute', 'Set attribute, e.g. "${node.datacenter}".')];
      }
      // Nomad rejects weights ≤ 0 ("must have a positive weight from 0 to 100").
      if (item.weight !== undefined && !isIntegerBetween(item.weight, 1, 100)) {
        return [problem(ID, { file, path: at(path, 'weight') }, `Spread weight ${show(item.weight)} must be an integer between 1 and 100`, 'Set weight between 1 and 100 (default 50), or remove the spread.')];
      }
      const targetsPath = at(path, 'targets');
      const targets = entriesOf(item.targets);
      const bad = targets.find(([, percent]) => !isIntegerBetween(percent, 0, 100));
      if (bad) {
        return [problem(ID, { file, path: at(targetsPath, bad[0]) }, `Spread target "${bad[0]}" is ${show(bad[1])}%, not an integer between 0 and 100`, 'Give each target a whole percentage.')];
      }
      const sum = targets.reduce((total, [, percent]) => total + (percent as number), 0);
      if (sum <= 100) return [];
      return [problem(ID, { file, path: targetsPath }, `Spread target percentages add up to ${sum}%`, 'Lower the percentages so they add up to 100 or less.')];
    });
  },
};
