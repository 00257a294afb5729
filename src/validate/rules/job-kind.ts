import { problem, type Rule } from '../rule.ts';
import { isRecord, list, show } from './lib/index.ts';
import { jobsOf } from './lib/visit.ts';

const ID = 'job/kind';
const KINDS = ['service', 'system', 'batch'];

/** Rule `job/kind`: each job file builds a job object of kind service, system or batch. */
export const jobKindRule: Rule = {
  id: ID,
  description: 'Each job file builds a job object of kind service, system or batch.',
  check({ jobs }) {
    // Every other rule skips non-objects, so this one reports them.
    const notJobs = list(jobs).flatMap((loaded) =>
      isRecord(loaded) && !isRecord(loaded.spec) && typeof loaded.file === 'string'
        ? [problem(ID, { file: loaded.file, path: '' }, `The job definition built ${show(loaded.spec)}, not a job object`, "Return the job from defineJob: `defineJob((env) => ({ id, kind, groups }))`.")]
        : [],
    );
    const unknownKinds = jobsOf(jobs).flatMap(({ file, job }) => {
      if (KINDS.includes(job.kind)) return [];
      return [problem(ID, { file, path: 'kind' }, `Job kind ${show(job.kind)} is not one drover renders`, 'Use kind "service" (long-running), "system" (every node) or "batch" (run to completion).')];
    });
    return [...notJobs, ...unknownKinds];
  },
};
