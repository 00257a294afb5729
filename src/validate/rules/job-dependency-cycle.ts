import { at } from '../diagnostic.ts';
import { problem, type Rule } from '../rule.ts';
import { list } from './lib/index.ts';
import { jobsOf } from './lib/visit.ts';

const ID = 'job/dependency-cycle';

interface Node {
  readonly file: string;
  /** Known, non-self dependencies with their index in `dependsOn`. */
  readonly edges: readonly (readonly [string, number])[];
}

/** A cycle rotated to start at its smallest ID, so each cycle is reported once. */
function canonical(cycle: readonly string[]): string[] {
  const start = cycle.indexOf([...cycle].sort()[0] ?? '');
  return [...cycle.slice(start), ...cycle.slice(0, start)];
}

function findCycles(graph: ReadonlyMap<string, Node>): string[][] {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const cycles = new Map<string, string[]>();
  const visit = (id: string): void => {
    state.set(id, 'open');
    stack.push(id);
    for (const [next] of graph.get(id)?.edges ?? []) {
      if (state.get(next) === 'open') {
        const cycle = canonical(stack.slice(stack.indexOf(next)));
        cycles.set(cycle.join('\u0000'), cycle);
      } else if (!state.has(next)) {
        visit(next);
      }
    }
    stack.pop();
    state.set(id, 'done');
  };
  for (const id of [...graph.keys()].sort()) if (!state.has(id)) visit(id);
  return [...cycles.values()];
}

/** drover deploys dependencies first; a cycle has no first job, so no deploy order exists. */
export const jobDependencyCycleRule: Rule = {
  id: ID,
  description: 'dependsOn relations between jobs have no cycles.',
  check({ jobs }) {
    const visits = jobsOf(jobs).filter(({ job }) => typeof job.id === 'string');
    const ids = new Set(visits.map(({ job }) => job.id));
    const graph = new Map<string, Node>();
    for (const { file, job } of visits) {
      if (graph.has(job.id)) continue;
      const edges = list(job.dependsOn).flatMap((dep, i) => (typeof dep === 'string' && dep !== job.id && ids.has(dep) ? [[dep, i] as const] : []));
      graph.set(job.id, { file, edges });
    }
    return findCycles(graph).map((cycle) => {
      const [first = '', second = ''] = cycle;
      const node = graph.get(first);
      const index = node?.edges.find(([dep]) => dep === second)?.[1] ?? 0;
      return problem(ID, { file: node?.file ?? '', path: at('dependsOn', index) }, `Dependency cycle: ${[...cycle, first].join(' → ')}`, 'Remove one of these dependsOn entries; a job may only depend on jobs that do not (indirectly) depend on it.');
    });
  },
};
