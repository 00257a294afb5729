import type { Environment } from '../config/environment.ts';
import type { LoadedJob } from '../model/loaded-job.ts';
import type { Diagnostic, Location } from './diagnostic.ts';


/** What every rule sees: all jobs of the project for one environment. */
export interface ValidationInput {
  readonly env: Environment;
  readonly jobs: readonly LoadedJob[];
  /** Environment variables of the drover process, for rules that look for leaked values. */
  readonly processEnv?: Readonly<Record<string, string | undefined>>;
  /** Jobs of the project not built for this environment (`excludeFrom`), by file name. */
  readonly excluded?: readonly { readonly name: string; readonly reason: string }[];
}

/** A pure check. One rule per file under `rules/`, id like `fabio/unique-route`. */
export interface Rule {
  readonly id: string;
  readonly description: string;
  check(input: ValidationInput): Diagnostic[];
}

/** Builds an error diagnostic for `rule` at `job`'s file and `path`. */
export function problem(rule: string, location: Location, message: string, hint: string): Diagnostic {
  return { rule, severity: 'error', message, location, hint };
}

/** Builds a warning: reported, but does not fail validation. */
export function warning(rule: string, location: Location, message: string, hint: string): Diagnostic {
  return { rule, severity: 'warning', message, location, hint };
}
