import { cronError } from '../cron.ts';
import { at, type Diagnostic } from '../diagnostic.ts';
import { problem, type Rule } from '../rule.ts';
import { field, isRecord, show } from './lib/index.ts';
import { jobsOf } from './lib/visit.ts';

const ID = 'periodic/cron';

/** Rule `periodic/cron`: periodic jobs have at least one cron expression, and each is valid for Nomad (hashicorp/cronexpr). */
export const periodicCronRule: Rule = {
  id: ID,
  description: 'Periodic jobs have at least one cron expression, and each is valid for Nomad (hashicorp/cronexpr).',
  check({ jobs }) {
    return jobsOf(jobs).flatMap(({ file, job }): Diagnostic[] => {
      const periodic = field(job, 'periodic');
      if (!isRecord(periodic)) return [];
      const crons = periodic.crons;
      if (!Array.isArray(crons) || crons.length === 0) {
        return [problem(ID, { file, path: 'periodic.crons' }, 'Periodic job has no cron expression', "Add at least one schedule, e.g. `crons: ['15 2 * * *']` (02:15 every day).")];
      }
      return crons.flatMap((cron: unknown, i): Diagnostic[] => {
        const reason = cronError(cron);
        if (!reason) return [];
        return [problem(ID, { file, path: at('periodic.crons', i) }, `Cron expression ${show(cron)} is invalid: ${reason}`, 'Write 5 fields "minute hour day-of-month month day-of-week" (e.g. "15 2 * * *"), or a macro such as "@daily".')];
      });
    });
  },
};
