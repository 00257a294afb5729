import { jobBuildFileNames, RESERVED_BUILD_FILES } from '../../render/build-files.ts';
import { at } from '../diagnostic.ts';
import { problem, type Rule } from '../rule.ts';
import { jobsOf } from './lib/visit.ts';

/** Rule id: a job's rendered files would take the name of a file another command writes in build/<env>/. */
export const JOB_RESERVED_ID = 'job/reserved-id';

/**
 * Rule `job/reserved-id`: a job's files in build/<env>/ (`<id>.json`, `<id>.nomad.hcl`) never
 * take the name of a file another command keeps there, such as the saved plan `plan.json`: render
 * and `drover plan` would overwrite each other's file, and `deploy --plan` would read a job as a plan.
 */
export const jobReservedIdRule: Rule = {
  id: JOB_RESERVED_ID,
  description: 'Job IDs do not collide with the files drover keeps in build/<env>/ (plan.json).',
  check({ env, jobs }) {
    return jobsOf(jobs).flatMap(({ file, job: spec }) => {
      if (typeof spec.id !== 'string') return [];
      const names = jobBuildFileNames(spec.id);
      return RESERVED_BUILD_FILES.filter((reserved) => names.includes(reserved.name)).map((reserved) =>
        problem(
          JOB_RESERVED_ID,
          { file, path: at('', 'id') },
          `Job ID "${spec.id}" would render to build/${env.name}/${reserved.name}, the file \`${reserved.writtenBy.replace('<env>', env.name)}\` writes there`,
          `Give the job another ID (e.g. "${spec.id}-job"): render and \`${reserved.writtenBy.replace('<env>', env.name)}\` would overwrite each other's file. Then run \`drover validate ${env.name}\`.`,
        ),
      );
    });
  },
};
