import { at, type Diagnostic } from '../diagnostic.ts';
import { problem, type Rule } from '../rule.ts';
import { field, isNonEmptyString, isRecord, show } from './lib/index.ts';
import { groupsOf } from './lib/visit.ts';

const ID = 'scaling/target';

function targetProblem(target: unknown): { key: string; message: string; hint: string } | undefined {
  if (!isRecord(target)) return { key: '', message: `scaling target ${show(target)} is not an object`, hint: "Write `target: { kind: 'cpu', percent: 70 }`." };
  if (target.kind === 'cpu') {
    const percent = target.percent;
    if (typeof percent === 'number' && percent >= 1 && percent <= 100) return undefined;
    return { key: 'percent', message: `CPU target ${show(percent)}% is not between 1 and 100`, hint: 'Set percent to the average CPU utilisation to keep, e.g. 70.' };
  }
  if (target.kind === 'prometheus') {
    if (!isNonEmptyString(target.query)) return { key: 'query', message: 'Prometheus target has no query', hint: 'Set query to a PromQL expression that yields one value per group.' };
    const value = target.value;
    if (typeof value === 'number' && Number.isFinite(value) && value > 0) return undefined;
    return { key: 'value', message: `Prometheus target value ${show(value)} is not a positive number`, hint: 'Set value to the per-allocation level the autoscaler should hold.' };
  }
  return { key: 'kind', message: `scaling target kind ${show(target.kind)} is unknown`, hint: 'Use kind "cpu" or "prometheus".' };
}

/** Rule `scaling/target`: scaling targets are a CPU percentage in 1..100 or a Prometheus query with a positive value. */
export const scalingTargetRule: Rule = {
  id: ID,
  description: 'Scaling targets are a CPU percentage in 1..100 or a Prometheus query with a positive value.',
  check({ jobs }) {
    return groupsOf(jobs).flatMap(({ file, group, groupPath }): Diagnostic[] => {
      if (!isRecord(group.scaling)) return [];
      const found = targetProblem(field(group.scaling, 'target'));
      if (!found) return [];
      const path = at(at(groupPath, 'scaling'), 'target');
      return [problem(ID, { file, path: found.key ? at(path, found.key) : path }, found.message, found.hint)];
    });
  },
};
