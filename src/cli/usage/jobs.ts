/** `drover jobs`: its help text and flags, apart from its code so that `--help` and completion load nothing else. */
import { COMMON_OPTIONS, OUTPUT_OPTIONS, type Choices } from '../args.ts';

export const JOBS_HELP = `drover jobs [<env>]

Lists the jobs in jobs/ as built for <env> (default: the first environment by name), in deploy
order: each wave deploys after the previous one succeeded; jobs in a wave deploy in parallel.
Jobs whose definition excludes <env> (defineJob's excludeFrom) follow as wave "-", with the reason.

  --output json       one JSON document on stdout (schema drover.jobs/v1, see docs/output.md)
`;

export const JOBS_OPTIONS = { ...COMMON_OPTIONS, ...OUTPUT_OPTIONS } as const;

/** The values of jobs's enumerated flags: its parser refuses any other, completion offers exactly these. */
export const JOBS_CHOICES = { output: ['json'] } as const satisfies Choices;
