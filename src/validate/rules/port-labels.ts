import type { GroupSpec } from '../../model/job.ts';
import { at, type Diagnostic } from '../diagnostic.ts';
import { problem, type Rule } from '../rule.ts';
import { entriesOf, itemsOf, list, show } from './lib/index.ts';
import { servicesOf, tasksOf } from './lib/visit.ts';

const ID = 'ports/unknown-label';

/** Port labels a group declares. */
export function portLabelsOf(group: GroupSpec): Set<string> {
  return new Set(entriesOf(group.ports).map(([label]) => label));
}

function unknown(file: string, path: string, label: unknown, labels: Set<string>): Diagnostic[] {
  if (typeof label === 'string' && labels.has(label)) return [];
  const known = labels.size ? [...labels].sort().join(', ') : 'none';
  return [
    problem(ID, { file, path }, `Port ${show(label)} is not a port label of this group (declared: ${known})`, `Add ${show(label)} to the group's \`ports\`, or use one of its labels.`),
  ];
}

/** Rule `ports/unknown-label`: service ports, check ports and docker `ports` name a port label of the group. */
export const portLabelsRule: Rule = {
  id: ID,
  description: 'Service ports, check ports and docker `ports` name a port label of the group.',
  check({ jobs }) {
    const fromServices = servicesOf(jobs).flatMap(({ file, group, service, path }) => {
      const labels = portLabelsOf(group);
      const checks = itemsOf<Record<string, unknown>>(service.checks, at(path, 'checks'));
      return [
        ...unknown(file, at(path, 'port'), service.port, labels),
        ...checks.flatMap(([check, checkPath]) => (check.port === undefined ? [] : unknown(file, at(checkPath, 'port'), check.port, labels))),
      ];
    });
    const fromTasks = tasksOf(jobs).flatMap(({ file, group, task, path }) => {
      if (task.driver !== undefined && task.driver !== 'docker') return [];
      const labels = portLabelsOf(group);
      const ports = (task as { ports?: unknown }).ports;
      return list(ports).flatMap((label, i) => unknown(file, at(at(path, 'ports'), i), label, labels));
    });
    return [...fromServices, ...fromTasks];
  },
};
