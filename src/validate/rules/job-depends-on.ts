import { at, type Diagnostic } from '../diagnostic.ts';
import { problem, type Rule } from '../rule.ts';
import { show } from './lib/index.ts';
import { jobsOf } from './lib/visit.ts';

const ID = 'job/depends-on';

/** Rule `job/depends-on`: dependsOn lists IDs of other jobs in jobs/. */
export const jobDependsOnRule: Rule = {
  id: ID,
  description: 'dependsOn lists IDs of other jobs in jobs/.',
  check({ jobs, excluded = [], env }) {
    const visits = jobsOf(jobs);
    const ids = new Set(visits.map(({ job }) => job.id));
    return visits.flatMap(({ file, job }): Diagnostic[] => {
      const dependsOn: unknown = job.dependsOn;
      if (dependsOn === undefined) return [];
      if (!Array.isArray(dependsOn)) {
        return [problem(ID, { file, path: 'dependsOn' }, `dependsOn ${show(dependsOn)} is not a list`, "List the job IDs this job needs, e.g. `dependsOn: ['postgres']`.")];
      }
      return dependsOn.flatMap((dependency: unknown, i): Diagnostic[] => {
        const location = { file, path: at('dependsOn', i) };
        if (dependency === job.id) {
          return [problem(ID, location, `Job "${String(job.id)}" depends on itself`, 'Remove its own ID from dependsOn.')];
        }
        if (typeof dependency === 'string' && ids.has(dependency)) return [];
        const left = excluded.find((e) => e.name === dependency);
        if (left) {
          return [problem(ID, location, `dependsOn names "${left.name}", which is not deployed to ${env.name}: ${left.reason}`, `Depend on it only where it runs, e.g. \`dependsOn: env.is('${env.name}') ? [] : ['${left.name}']\`.`)];
        }
        return [problem(ID, location, `dependsOn names ${show(dependency)}, which is not a job in jobs/`, `Use the ID of a job in this project (${[...ids].sort().join(', ')}), or remove the entry.`)];
      });
    });
  },
};
