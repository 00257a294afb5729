import { at } from '../diagnostic.ts';
import { problem, type Rule } from '../rule.ts';
import { groupsOf } from './lib/visit.ts';

const ID = 'scaling/job-kind';

/** Nomad rejects scaling blocks on system jobs (400), and batch groups have nothing to scale. */
export const scalingJobKindRule: Rule = {
  id: ID,
  description: 'Only service jobs have scaling policies.',
  check({ jobs }) {
    return groupsOf(jobs).flatMap(({ file, job, group, groupPath }) => {
      if (group.scaling === undefined || job.kind === 'service') return [];
      return [problem(ID, { file, path: at(groupPath, 'scaling') }, `${String(job.kind)} jobs cannot be autoscaled`, job.kind === 'system' ? 'Remove scaling; a system job runs one allocation on every eligible node.' : 'Remove scaling; set count for the number of parallel batch allocations.')];
    });
  },
};
