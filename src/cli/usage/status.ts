/** `drover status`: its help text and flags, apart from its code so that `--help` and completion load nothing else. */
import { COMMON_OPTIONS, OUTPUT_OPTIONS, type Choices } from '../args.ts';

/** `--help` text of `drover status`. */
export const STATUS_HELP = `drover status <env>

Shows every job this project owns in <env> (by its drover.project and drover.env meta): version,
release, job status, the latest deployment's status, healthy/desired allocations per group,
canaries of an active deployment (placed/desired, promoted), and the last failure (the latest
failed deployment's description, or the most recent failed allocation's last task event). Jobs
in jobs/ that are not deployed yet are listed too.

  --output MODE       tty or plain: progress/retry lines on stderr, the table on stdout; ndjson:
                      events on stdout, the table on stderr; json: one document on stdout
                      (schema drover.status/v1, see docs/output.md), progress on stderr
  --project DIR, --environments DIR   as for deploy

Exit: 0 shown, 64 usage, 69 unreachable, 77 token missing, wrong or denied.
`;

export const STATUS_OPTIONS = { ...COMMON_OPTIONS, ...OUTPUT_OPTIONS } as const;

/** The values of status's enumerated flags: its parser refuses any other, completion offers exactly these. */
export const STATUS_CHOICES = { output: ['tty', 'plain', 'ndjson', 'json'] } as const satisfies Choices;
