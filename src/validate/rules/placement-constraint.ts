import { at, type Diagnostic } from '../diagnostic.ts';
import { problem, type Rule } from '../rule.ts';
import { isNonEmptyString, show } from './lib/index.ts';
import { OPERATORS, placementsOf } from './lib/placement.ts';

const ID = 'placement/constraint';
/** Operators that compare the attribute with nothing: a value is a misunderstanding. */
const NO_VALUE = ['distinct_hosts', 'is_set', 'is_not_set'];

function constraintProblem(item: Readonly<Record<string, unknown>>): { key: string; message: string; hint: string } | undefined {
  const operator = item.operator ?? '=';
  if (typeof operator !== 'string' || !OPERATORS.includes(operator)) {
    return { key: 'operator', message: `Constraint operator ${show(operator)} is unknown`, hint: `Use one of ${OPERATORS.join(', ')}.` };
  }
  if (operator === 'distinct_hosts') {
    if (item.attribute !== undefined) return { key: 'attribute', message: 'distinct_hosts takes no attribute', hint: "Remove attribute: `{ operator: 'distinct_hosts' }` spreads allocations over hosts." };
    if (item.value !== undefined) return { key: 'value', message: 'distinct_hosts takes no value', hint: "Remove value: `{ operator: 'distinct_hosts' }`." };
    return undefined;
  }
  if (!isNonEmptyString(item.attribute)) {
    return { key: 'attribute', message: `Constraint "${operator}" has no attribute`, hint: 'Set attribute to a node attribute, e.g. "${node.class}" or "${meta.storage}".' };
  }
  if (NO_VALUE.includes(operator)) {
    return item.value === undefined ? undefined : { key: 'value', message: `${operator} takes no value`, hint: 'Remove value; the operator only tests whether the attribute is set.' };
  }
  if (operator === 'distinct_property') {
    const ok = item.value === undefined || (typeof item.value === 'string' && /^[1-9]\d*$/.test(item.value));
    return ok ? undefined : { key: 'value', message: `distinct_property limit ${show(item.value)} is not a positive integer`, hint: 'Set value to how many allocations may share a property value, e.g. "1", or remove it.' };
  }
  if (!isNonEmptyString(item.value)) {
    return { key: 'value', message: `Constraint "${operator}" needs a value to compare with`, hint: operator === 'regexp' ? 'Set value to a regular expression, e.g. "^linux$".' : 'Set value, e.g. "linux".' };
  }
  return undefined;
}

/** Rule `placement/constraint`: constraints use a known operator, with an attribute and value exactly when the operator needs them. */
export const placementConstraintRule: Rule = {
  id: ID,
  description: 'Constraints use a known operator, with an attribute and value exactly when the operator needs them.',
  check({ jobs }) {
    return placementsOf(jobs, 'constraints').flatMap(({ file, item, path }): Diagnostic[] => {
      const found = constraintProblem(item);
      return found ? [problem(ID, { file, path: at(path, found.key) }, found.message, found.hint)] : [];
    });
  },
};
