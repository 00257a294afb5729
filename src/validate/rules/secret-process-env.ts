import { type Diagnostic } from '../diagnostic.ts';
import { problem, type Rule } from '../rule.ts';
import { secretProcessValues } from './lib/credentials.ts';
import { stringLeaves } from './lib/strings.ts';
import { jobsOf } from './lib/visit.ts';

const ID = 'secret/process-env';

/**
 * Catches `env: { TOKEN: process.env.NOMAD_TOKEN }` and friends: a job module that copies a
 * credential from the deployer's shell into the job spec, where it is stored in plain text. The
 * message names the variable, never the value.
 */
export const secretProcessEnvRule: Rule = {
  id: ID,
  description: 'No value in a job contains the value of a secret-looking variable of the drover process (NOMAD_TOKEN, *_PASSWORD, …).',
  check({ jobs, processEnv }) {
    const secrets = secretProcessValues(processEnv);
    if (secrets.size === 0) return [];
    return jobsOf(jobs).flatMap(({ file, job }) =>
      stringLeaves(job).flatMap((leaf): Diagnostic[] => {
        const leaked = [...secrets.entries()].find(([value]) => leaf.value.includes(value));
        if (!leaked) return [];
        return [problem(ID, { file, path: leaf.path }, `This value looks like a credential: it contains the value of ${leaked[1]} from drover's environment`, `Do not read ${leaked[1]} (or any credential) into a job; store it in Vault and reference it with \`secrets\`.`)];
      }),
    );
  },
};
