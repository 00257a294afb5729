/** `drover logs`: its help text and flags, apart from its code so that `--help` and completion load nothing else. */
import { COMMON_OPTIONS, OUTPUT_OPTIONS, type Choices } from '../args.ts';

/** `--help` text of `drover logs`. */
export const LOGS_HELP = `drover logs <env> <job> [options]

Prints the logs of every matching allocation of <job> in <env>, each line prefixed with where it
comes from: "api[2] v14 canary | <line>" (group[index], job version, canary; "/task" after the
index for a task not named after its group when an allocation has several; "stderr" before the
bar for stderr lines next to stdout ones).
The prefix has a colour of its own per allocation on a terminal (never with NO_COLOR). Logs are
read through Nomad's client filesystem API (GET /v1/client/fs/logs/:alloc), reached through
NOMAD_ADDR: the servers forward it to the node running the allocation.

Without --alloc, --version or --since: the allocations Nomad wants running (the current ones).
Without --follow, each task's lines are printed one allocation after the other (sorted by group
and index; Nomad's logs carry no timestamps, so lines of different allocations cannot be merged
in time order). With --follow, new lines of every allocation are printed as they arrive,
interleaved; allocations that start meanwhile (a deploy, a reschedule) are followed from their
first line, and one that stops is reported with its status and why (its root-cause task event).

  --group G           only allocations of task group G
  --task T            only task T (default: every task of each allocation)
  --alloc ID          only this allocation (an ID or a unique prefix of it)
  --canary            only canaries not promoted yet (Nomad clears the flag on promotion)
  --version N         only allocations of job version N (stopped ones included)
  -f, --follow        keep streaming until Ctrl-C, which ends it with exit 0 (the normal end of a
                      follow, not an interruption; without --follow, Ctrl-C exits 130)
  --tail N            the last N lines of each task log before following (default 100, at most
                      10000; 0 = none)
  --since DURATION    e.g. 10m, 2h (at most 168h): only allocations whose task ran in that
                      window (running, or stopped within it). Nomad's logs carry no timestamps,
                      so a log cannot be cut at a time: a task that started within the window is
                      shown from its first line (up to 10000, or --tail when given), an older one
                      by its last --tail lines.
  --stderr            stderr instead of stdout
  --both              stdout and stderr
  --output MODE       plain (default): lines on stdout, notes (following, stopped, no logs yet)
                      on stderr; ndjson: one record per line on stdout (schema drover.logs/v1,
                      see docs/output.md)
  --project DIR, --environments DIR   as for deploy

ACLs: reading logs needs the read-logs capability on the job's namespace (listing allocations
and following them needs read-job). A token without it exits 77 with the policy line to add:
  namespace "<namespace>" { capabilities = ["read-job", "read-logs"] }

Exit: 0 shown (or a follow ended by Ctrl-C), 64 usage (unknown job, bad flag), 69 unreachable,
77 token missing, wrong or lacking read-logs, 130 interrupted (without --follow).
`;

export const LOGS_OPTIONS = {
  ...COMMON_OPTIONS,
  ...OUTPUT_OPTIONS,
  group: { type: 'string' },
  task: { type: 'string' },
  alloc: { type: 'string' },
  canary: { type: 'boolean' },
  version: { type: 'string' },
  follow: { type: 'boolean', short: 'f' },
  tail: { type: 'string' },
  since: { type: 'string' },
  stderr: { type: 'boolean' },
  both: { type: 'boolean' },
} as const;

/** The values of logs's enumerated flags: its parser refuses any other, completion offers exactly these. */
export const LOGS_CHOICES = { output: ['tty', 'plain', 'ndjson'] } as const satisfies Choices;
