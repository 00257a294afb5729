import { sortDiagnostics, type Diagnostic } from './diagnostic.ts';
import { rules } from './rules/index.ts';
import { dropShadowedUnknownKeys } from './rules/unknown-keys.ts';
import type { Rule, ValidationInput } from './rule.ts';

/** Runs every rule and returns all diagnostics, sorted. A rule that throws is itself a diagnostic. */
export function validateJobs(input: ValidationInput, ruleSet: readonly Rule[] = rules): Diagnostic[] {
  return sortDiagnostics(dropShadowedUnknownKeys(
    ruleSet.flatMap((rule) => {
      try {
        return rule.check(input);
      } catch (error) {
        return [
          {
            rule: rule.id,
            severity: 'error' as const,
            message: `Rule ${rule.id} could not check the definitions: ${error instanceof Error ? error.message : String(error)}`,
            location: { file: 'jobs/', path: '' },
            hint: 'A definition is malformed in a way drover did not expect; fix the shape, and report this as a drover bug.',
          },
        ];
      }
    }),
  ));
}
