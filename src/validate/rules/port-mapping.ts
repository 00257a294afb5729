import { at, type Diagnostic } from '../diagnostic.ts';
import { warning, type Rule } from '../rule.ts';
import { entriesOf, field, isRecord, list } from './lib/index.ts';
import { groupsOf } from './lib/visit.ts';

const ID = 'ports/unmapped-to';

/**
 * Rule `ports/unmapped-to`: in host networking only the docker driver maps a port's host number
 * to its `to`. For exec, raw_exec and java tasks nothing is mapped, yet Nomad still sets
 * `NOMAD_PORT_<label>` to the `to` value while Consul registers the host port: a program that
 * listens on `NOMAD_PORT_<label>` is never reached by its health checks, and two instances on one
 * node fight over the same number. A warning, because a program reading `NOMAD_HOST_PORT_<label>`
 * works.
 * @see https://developer.hashicorp.com/nomad/docs/job-specification/network#to
 */
export const portMappingRule: Rule = {
  id: ID,
  description: 'In host networking, a port with `to` is published by a docker task (no other driver maps ports).',
  check({ jobs }) {
    return groupsOf(jobs).flatMap(({ file, group, groupPath }): Diagnostic[] => {
      if (group.networkMode === 'bridge') return [];
      const published = publishedByDocker(group.tasks, entriesOf(group.ports).map(([label]) => label));
      return entriesOf(group.ports).flatMap(([label, port]): Diagnostic[] => {
        const to = field(port, 'to');
        if (typeof to !== 'number' || to === -1 || to === field(port, 'static') || published.has(label)) return [];
        return [
          warning(ID, { file, path: at(at(at(groupPath, 'ports'), label), 'to') }, `Port "${label}" maps to ${to}, but no docker task publishes it, and no other driver maps ports`, `Leave out \`to\` and have the program listen on \${NOMAD_PORT_${label}}, which then is the host port Consul registers.`),
        ];
      });
    });
  },
};

/** Port labels some docker task of the group publishes (a docker task without `ports` publishes all). */
function publishedByDocker(tasks: unknown, labels: readonly string[]): Set<string> {
  const published = new Set<string>();
  for (const task of list(tasks)) {
    if (!isRecord(task) || (task.driver !== undefined && task.driver !== 'docker')) continue;
    const ports = task.ports === undefined ? labels : list(task.ports);
    for (const label of ports) if (typeof label === 'string') published.add(label);
  }
  return published;
}
