import type { EnvironmentDefinition } from '../../../config/environment.ts';
import type { Diagnostic } from '../../diagnostic.ts';

/** What an environment rule sees: one environment file. */
export interface EnvironmentCheck {
  readonly env: EnvironmentDefinition;
  /** Project-relative file, e.g. `environments/qa.ts`. */
  readonly file: string;
  /** Names of all environments of the project, when known (for cross-references). */
  readonly known?: readonly string[] | undefined;
}

/** A pure check of one environment definition, id like `env/address`. */
export interface EnvironmentRule {
  readonly id: string;
  readonly description: string;
  check(input: EnvironmentCheck): Diagnostic[];
}
