import { at, type Diagnostic } from '../diagnostic.ts';
import { problem } from '../rule.ts';
import { isNonEmptyString, isRecord, show } from './lib/index.ts';

const ID = 'job/exclude-from';

/** A loaded job definition as this check sees it: only its file and its `excludeFrom`. */
export interface ExclusionSource {
  readonly file: string;
  readonly value: { readonly excludeFrom?: unknown };
}

/**
 * Rule `job/exclude-from`: `defineJob(build, { excludeFrom })` names environments of the project,
 * each with a reason. Checked on the definitions, not on built jobs: an excluded job is never
 * built for that environment. A misspelt name would silently deploy the job where it was meant
 * to be left out, so it is an error.
 */
export function checkExclusions(definitions: readonly ExclusionSource[], known: readonly string[]): Diagnostic[] {
  return definitions.flatMap(({ file, value }): Diagnostic[] => {
    const excludeFrom = value.excludeFrom;
    if (excludeFrom === undefined) return [];
    if (!isRecord(excludeFrom)) {
      return [problem(ID, { file, path: 'excludeFrom' }, `excludeFrom ${show(excludeFrom)} is not an object`, "Map environment names to reasons, e.g. `{ dev: 'needs docker' }`.")];
    }
    return Object.entries(excludeFrom).flatMap(([name, reason]): Diagnostic[] => {
      const location = { file, path: at('excludeFrom', name) };
      if (!known.includes(name)) {
        return [problem(ID, location, `excludeFrom names "${name}", which is not an environment of this project`, `Use one of: ${[...known].sort().join(', ') || '(none found)'}.`)];
      }
      if (!isNonEmptyString(reason)) {
        return [problem(ID, location, `excludeFrom.${name} gives no reason`, '`drover jobs` shows the reason to whoever wonders where the job went; say why it does not run there.')];
      }
      return [];
    });
  });
}
