/** `drover history`: its help text and flags, apart from its code so that `--help` and completion load nothing else. */
import { COMMON_OPTIONS, OUTPUT_OPTIONS, type Choices } from '../args.ts';

/** `--help` text of `drover history`. */
export const HISTORY_HELP = `drover history <env> --job ID

Lists the versions Nomad keeps of a job in <env>, newest first: version, whether it is stable
(a deployment of it succeeded), when it was submitted (UTC, to the nanosecond), drover's meta
(release, git SHA, spec hash) and the status of that version's latest deployment. The current
version is marked with *. Roll back to one with \`drover rollback <env> --job ID --to VERSION\`.

  --job ID            the job (required)
  --output MODE       tty or plain: progress/retry lines on stderr, the table on stdout; ndjson:
                      events on stdout, the table on stderr; json: one document on stdout
                      (schema drover.history/v1, see docs/output.md), progress on stderr
  --project DIR, --environments DIR   as for deploy

Exit: 0 shown, 4 the job does not exist in <env>, 64 usage, 69 unreachable, 77 token missing,
wrong or denied.
`;

export const HISTORY_OPTIONS = { ...COMMON_OPTIONS, ...OUTPUT_OPTIONS, job: { type: 'string' } } as const;

/** The values of history's enumerated flags: its parser refuses any other, completion offers exactly these. */
export const HISTORY_CHOICES = { output: ['tty', 'plain', 'ndjson', 'json'] } as const satisfies Choices;
