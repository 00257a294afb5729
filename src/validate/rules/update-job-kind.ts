import { problem, type Rule } from '../rule.ts';
import { updatePoliciesOf } from './lib/update.ts';

const ID = 'update/job-kind';

/** Batch jobs have no deployments: Nomad ignores the update block, and so does the renderer. */
export const updateJobKindRule: Rule = {
  id: ID,
  description: 'Batch jobs have no update policy.',
  check({ jobs }) {
    return updatePoliciesOf(jobs).flatMap(({ file, job, path }) => {
      if (job.kind !== 'batch') return [];
      return [problem(ID, { file, path }, 'Batch jobs have no deployments, so this update policy is ignored', 'Remove `update`; use `restart` and `reschedule` to control retries of batch work.')];
    });
  },
};
