import { problem, type Rule } from '../rule.ts';
import { isIntegerBetween, show } from './lib/index.ts';
import { jobsOf } from './lib/visit.ts';

const ID = 'job/priority';

/** Rule `job/priority`: job priority is an integer in 1..100. */
export const jobPriorityRule: Rule = {
  id: ID,
  description: 'Job priority is an integer in 1..100.',
  check({ jobs }) {
    return jobsOf(jobs).flatMap(({ file, job }) => {
      const priority: unknown = job.priority;
      if (priority === undefined || isIntegerBetween(priority, 1, 100)) return [];
      return [problem(ID, { file, path: 'priority' }, `Priority ${show(priority)} is not an integer between 1 and 100`, 'Set priority between 1 and 100 (default 50; higher may preempt lower), or remove it.')];
    });
  },
};
