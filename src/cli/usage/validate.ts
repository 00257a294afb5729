/** `drover validate`: its help text and flags, apart from its code so that `--help` and completion load nothing else. */
import { COMMON_OPTIONS, OUTPUT_OPTIONS, type Choices } from '../args.ts';

export const VALIDATE_HELP = `drover validate [<env>]

Builds every job for <env> (every environment when omitted) and runs all checks: Nomad job rules,
Fabio routes, health checks, update policies, dependencies, secrets hygiene, environment files,
and the Vault policies and roles in vault-policies/ (parsed with HashiCorp's HCL parser:
coverage of every secret reference, least privilege, role bindings).
Prints every problem with its file, location and a hint. Exit 0 when valid, 65 otherwise.

  --project DIR       project root holding jobs/ and environments/ (default: current directory)
  --environments DIR  environment definitions (default: <project>/environments)
  --no-typecheck      skip type-checking jobs/ and environments/ with the project's tsc
  --output json       one JSON document on stdout (schema drover.validate/v1, see docs/output.md)
                      instead of the lines; problems are in it, not on stderr
`;

export const VALIDATE_OPTIONS = { ...COMMON_OPTIONS, ...OUTPUT_OPTIONS, 'no-typecheck': { type: 'boolean' } } as const;

/** The values of validate's enumerated flags: its parser refuses any other, completion offers exactly these. */
export const VALIDATE_CHOICES = { output: ['json'] } as const satisfies Choices;
