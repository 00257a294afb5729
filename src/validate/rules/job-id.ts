import { at } from '../diagnostic.ts';
import { problem, type Rule } from '../rule.ts';
import { jobsOf } from './lib/visit.ts';

/** Nomad accepts more, but IDs also name Consul services, Vault roles and files: keep them DNS-safe. */
const JOB_ID = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Rule `job/id`: job IDs are valid RFC 1123 labels and unique across jobs/. */
export const jobIdRule: Rule = {
  id: 'job/id',
  description: 'Job IDs are valid RFC 1123 labels and unique across jobs/.',
  check({ jobs }) {
    const seen = new Map<string, string>();
    return jobsOf(jobs).flatMap(({ file, job: spec }) => {
      const location = { file, path: at('', 'id') };
      if (typeof spec.id !== 'string' || !JOB_ID.test(spec.id)) {
        return [
          problem('job/id', location, `Job ID ${JSON.stringify(spec.id)} is not a valid ID`, 'Use 1–63 lower-case letters, digits and "-", starting and ending with a letter or digit.'),
        ];
      }
      const previous = seen.get(spec.id);
      seen.set(spec.id, file);
      if (previous === undefined) return [];
      return [problem('job/id', location, `Job ID "${spec.id}" is already defined in ${previous}`, 'Give each job in jobs/ its own ID; Nomad would overwrite one with the other.')];
    });
  },
};
