import type { Diagnostic } from '../diagnostic.ts';
import { didYouMean, didYouMeanText } from '../did-you-mean.ts';
import { environmentShape } from '../keys/environment-keys.ts';
import { jobShape } from '../keys/job-keys.ts';
import { findUnknownKeys, type KeyShape } from '../keys/shape.ts';
import { problem, type Rule } from '../rule.ts';
import type { EnvironmentRule } from './lib/environment-rule.ts';

export const JOB_UNKNOWN_KEY = 'job/unknown-key';
export const ENV_UNKNOWN_KEY = 'env/unknown-key';

/**
 * Rule `job/unknown-key`: every key of a built job is one drover knows. A misspelt optional key
 * (`minHealthyTim`) would otherwise be dropped silently and Nomad's default used instead.
 */
export const jobUnknownKeyRule: Rule = {
  id: JOB_UNKNOWN_KEY,
  description: 'Every key of a job spec is one drover knows (catches misspelt optional keys).',
  check({ jobs }) {
    return jobs.flatMap(({ file, spec }) => unknownKeyDiagnostics(JOB_UNKNOWN_KEY, file, spec, jobShape));
  },
};

/** Rule `env/unknown-key`: every key of an environment definition is one drover knows. */
export const envUnknownKeyRule: EnvironmentRule = {
  id: ENV_UNKNOWN_KEY,
  description: 'Every key of an environment definition is one drover knows.',
  check({ env, file }) {
    return unknownKeyDiagnostics(ENV_UNKNOWN_KEY, file, env, environmentShape);
  },
};

function unknownKeyDiagnostics(rule: string, file: string, value: unknown, shape: KeyShape): Diagnostic[] {
  return findUnknownKeys(value, shape).map(({ path, key, known }) => {
    const near = didYouMean(key, known);
    const suggestion = near.length ? didYouMeanText(key, near) : '';
    const hint = near[0] ? `Rename "${key}" to "${near[0]}".` : `Remove "${key}"; keys allowed here: ${[...known].sort().join(', ')}.`;
    return problem(rule, { file, path }, `Unknown key "${key}": drover would ignore it.${suggestion}`, hint);
  });
}

/**
 * Drops an unknown-key diagnostic where another rule reports the same path: that rule knows why
 * the key is wrong (`periodic` on a service job, a `token` in an environment file) and says more.
 */
export function dropShadowedUnknownKeys(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const isUnknownKey = (d: Diagnostic) => d.rule === JOB_UNKNOWN_KEY || d.rule === ENV_UNKNOWN_KEY;
  const explained = new Set(diagnostics.filter((d) => !isUnknownKey(d)).map((d) => `${d.location.file}\u0000${d.location.path}`));
  return diagnostics.filter((d) => !isUnknownKey(d) || !explained.has(`${d.location.file}\u0000${d.location.path}`));
}
