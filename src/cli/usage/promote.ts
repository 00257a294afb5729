/** `drover promote`: its help text and flags, apart from its code so that `--help` and completion load nothing else. */
import { COMMON_OPTIONS, OUTPUT_OPTIONS, type Choices } from '../args.ts';
import { FAILURE_LOGS_HELP, FAILURE_LOGS_OPTIONS } from './failure-logs.ts';

/** `--help` text of `drover promote`. */
export const PROMOTE_HELP = `drover promote <env> [--job ID] [--logs-on-failure N]

Promotes every deployment of this project's jobs in <env> that is running with canaries not yet
promoted (all groups), then watches each to its end, as deploy does: fails fast on failing
allocations and reports a rollback. Says so, and exits 0, when nothing awaits promotion.
Nomad refuses to promote unhealthy canaries (e.g. \`Task group "api" has 0/1 healthy allocations\`);
drover shows that error and exits 1.

Releases. A \`deploy --stop-at-canary\` records its release (qa) or its outcome on the release
(prod) as waiting for promotion; promote completes that record with how each promoted job ended.
In an environment others take releases from (qa) it then verifies the release as deploy would
have (every job's smoke checks, then the soak), holding the environment lock from the promotion
to the end of the soak: verified → prod may take it; failed → exit 1 with the failing request.

  --job ID            promote only this job's deployment
  --soak DURATION     qa: overrides promotion.soak for the verification (recorded as waited)
  --wait-lock         qa: wait for the environment lock instead of refusing (exit 4)
  --output MODE       tty (live view), plain (one line per change, default in CI), ndjson
${FAILURE_LOGS_HELP}
  --project DIR, --environments DIR   as for deploy

Exit: 0 promoted and deployed (and, in qa, the waiting release verified; or nothing to promote),
1 promotion refused, deployment or verification failed, 2 placement failure, 4 refused (job not
owned by this project, lock held), 64 usage, 69 unreachable, 77 token missing, wrong or denied.
`;

export const PROMOTE_OPTIONS = { ...COMMON_OPTIONS, ...OUTPUT_OPTIONS, ...FAILURE_LOGS_OPTIONS, job: { type: 'string' }, soak: { type: 'string' }, 'wait-lock': { type: 'boolean' } } as const;

/** The values of promote's enumerated flags: its parser refuses any other, completion offers exactly these. */
export const PROMOTE_CHOICES = { output: ['tty', 'plain', 'ndjson'] } as const satisfies Choices;
