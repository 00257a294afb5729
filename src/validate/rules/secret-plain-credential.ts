import { at, type Diagnostic } from '../diagnostic.ts';
import { problem, type Rule } from '../rule.ts';
import { credentialShape, isSecretName } from './lib/credentials.ts';
import { entriesOf } from './lib/index.ts';
import { stringLeaves } from './lib/strings.ts';
import { jobsOf, tasksOf } from './lib/visit.ts';

const ID = 'secret/plain-credential';
const HINT = 'Store the value in Vault and reference it with `secrets: [{ env, path, key }]`; rotate it, since it is now in your repository.';
/** Task env values, which the name-based check below already covers. */
const TASK_ENV = /^groups\[\d+\]\.tasks\[\d+\]\.env\./;

/**
 * Credentials typed into a job end up in git, in the rendered JSON, in Nomad's job history and in
 * its UI. Messages name the variable or location and the kind of credential, never the value.
 */
export const secretPlainCredentialRule: Rule = {
  id: ID,
  description: 'No literal credentials in task env (by name or by shape), nor anywhere else in a job (by shape).',
  check({ jobs }) {
    const fromEnv = tasksOf(jobs).flatMap(({ file, task, path }) =>
      entriesOf(task.env).flatMap(([name, value]): Diagnostic[] => {
        const location = { file, path: at(at(path, 'env'), name) };
        if (isSecretName(name) && typeof value === 'string' && value.trim() !== '') {
          return [problem(ID, location, `${name} is set to a literal value, and its name says it is a credential`, HINT)];
        }
        const kind = credentialShape(value);
        return kind ? [problem(ID, location, `The value of ${name} looks like a credential (${kind})`, HINT)] : [];
      }),
    );
    // Args, meta, templates, links…: names there say nothing, so only the value's shape counts.
    const elsewhere = jobsOf(jobs).flatMap(({ file, job }) =>
      stringLeaves(job).flatMap((leaf): Diagnostic[] => {
        if (TASK_ENV.test(leaf.path)) return [];
        const kind = credentialShape(leaf.value);
        return kind ? [problem(ID, { file, path: leaf.path }, `This value looks like a credential (${kind})`, HINT)] : [];
      }),
    );
    return [...fromEnv, ...elsewhere];
  },
};
