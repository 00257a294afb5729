import { at, type Diagnostic } from '../diagnostic.ts';
import { problem, type Rule } from '../rule.ts';
import { show } from './lib/index.ts';
import { jobsOf } from './lib/visit.ts';

const ID = 'job/datacenters';

/** Rule `job/datacenters`: job datacenters, when given, are a non-empty list of names without whitespace. */
export const jobDatacentersRule: Rule = {
  id: ID,
  description: 'Job datacenters, when given, are a non-empty list of names without whitespace.',
  check({ jobs }) {
    return jobsOf(jobs).flatMap(({ file, job }): Diagnostic[] => {
      const datacenters: unknown = job.datacenters;
      if (datacenters === undefined) return [];
      if (!Array.isArray(datacenters) || datacenters.length === 0) {
        // An empty list would render as Datacenters [] and the job could run nowhere useful.
        return [problem(ID, { file, path: 'datacenters' }, 'datacenters is empty', "Remove datacenters to use the environment's, or list at least one datacenter.")];
      }
      return datacenters.flatMap((dc: unknown, i) =>
        typeof dc === 'string' && /^\S+$/.test(dc) ? [] : [problem(ID, { file, path: at('datacenters', i) }, `Datacenter ${show(dc)} is not a datacenter name`, 'Use the name as Nomad clients report it, e.g. "dc1" ("*" globs are allowed).')],
      );
    });
  },
};
