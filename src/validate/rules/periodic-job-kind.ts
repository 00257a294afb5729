import { problem, type Rule } from '../rule.ts';
import { field } from './lib/index.ts';
import { jobsOf } from './lib/visit.ts';

const ID = 'periodic/job-kind';

/** Nomad only launches batch (and sysbatch) jobs periodically or on dispatch. */
export const periodicJobKindRule: Rule = {
  id: ID,
  description: '`periodic` and `parameterized` are only set on batch jobs.',
  check({ jobs }) {
    return jobsOf(jobs).flatMap(({ file, job }) => {
      if (job.kind === 'batch') return [];
      return (['periodic', 'parameterized'] as const).flatMap((key) =>
        field(job, key) === undefined ? [] : [problem(ID, { file, path: key }, `${key} is only valid on batch jobs, not ${String(job.kind)} jobs`, `Set kind: 'batch', or remove ${key}.`)],
      );
    });
  },
};
