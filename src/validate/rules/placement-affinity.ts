import { at, type Diagnostic } from '../diagnostic.ts';
import { problem, type Rule } from '../rule.ts';
import { isIntegerBetween, isNonEmptyString, show } from './lib/index.ts';
import { placementsOf } from './lib/placement.ts';

const ID = 'placement/affinity';
/** Affinities are scored comparisons: no distinct_* or is_set operands. */
const OPERATORS = ['=', '!=', '>', '>=', '<', '<=', 'regexp', 'version', 'semver', 'set_contains_all', 'set_contains_any'];

/** Rule `placement/affinity`: affinities have an attribute, a comparison operator, a value and a non-zero weight in -100..100. */
export const placementAffinityRule: Rule = {
  id: ID,
  description: 'Affinities have an attribute, a comparison operator, a value and a non-zero weight in -100..100.',
  check({ jobs }) {
    return placementsOf(jobs, 'affinities').flatMap(({ file, item, path }): Diagnostic[] => {
      const at_ = (key: string) => ({ file, path: at(path, key) });
      const operator = item.operator ?? '=';
      if (typeof operator !== 'string' || !OPERATORS.includes(operator)) {
        return [problem(ID, at_('operator'), `Affinity operator ${show(operator)} is not allowed`, `Use one of ${OPERATORS.join(', ')}.`)];
      }
      if (!isNonEmptyString(item.attribute)) return [problem(ID, at_('attribute'), 'Affinity has no attribute', 'Set attribute, e.g. "${node.datacenter}".')];
      if (!isNonEmptyString(item.value)) return [problem(ID, at_('value'), 'Affinity has no value', 'Set the value the attribute should match.')];
      const weight = item.weight;
      if (weight === undefined || (isIntegerBetween(weight, -100, 100) && weight !== 0)) return [];
      return [problem(ID, at_('weight'), `Affinity weight ${show(weight)} must be a non-zero integer between -100 and 100`, 'Use a positive weight to prefer, a negative one to avoid (default 50).')];
    });
  },
};
