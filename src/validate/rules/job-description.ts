import { problem, type Rule } from '../rule.ts';
import { isNonEmptyString } from './lib/index.ts';
import { jobsOf } from './lib/visit.ts';

const ID = 'job/description';
/** Shown in the Nomad UI job header; longer text belongs in a linked runbook. */
const MAX_LENGTH = 1000;

/** Rule `job/description`: job descriptions are non-empty strings of at most 1000 characters. */
export const jobDescriptionRule: Rule = {
  id: ID,
  description: `Job descriptions are non-empty strings of at most ${MAX_LENGTH} characters.`,
  check({ jobs }) {
    return jobsOf(jobs).flatMap(({ file, job }) => {
      const description: unknown = job.description;
      if (description === undefined) return [];
      if (isNonEmptyString(description) && description.length <= MAX_LENGTH) return [];
      const message = isNonEmptyString(description) ? `Description is ${description.length} characters long` : 'Description is empty or not text';
      return [problem(ID, { file, path: 'description' }, `${message}; the limit is ${MAX_LENGTH}`, 'Write one or two sentences, and put details in a runbook under `links`.')];
    });
  },
};
