/** `drover rollback`: its help text and flags, apart from its code so that `--help` and completion load nothing else. */
import { COMMON_OPTIONS, OUTPUT_OPTIONS, type Choices } from '../args.ts';
import { FAILURE_LOGS_HELP, FAILURE_LOGS_OPTIONS } from './failure-logs.ts';

/** `--help` text of `drover rollback`. */
export const ROLLBACK_HELP = `drover rollback <env> --job ID [--to VERSION] [--logs-on-failure N]
drover rollback <env> --release ID [--yes] [--force --reason R] [--logs-on-failure N]

Reverts a job to an earlier version with Nomad's revert (a new version with the old spec), only
if the job is still at the version drover read (check-and-set), then watches the resulting
deployment to its end as deploy does. Without --to, the target is the newest stable version
older than the current one that runs a different spec (after an auto-revert the current version
is a copy of the last stable one). Canaries of the rollback are promoted as soon as they are
healthy: the target version already ran successfully.

  --job ID            the job to roll back
  --to VERSION        the version to revert to (see \`drover history <env> --job ID\`)
  --release ID        in an environment that takes releases (prod): deploy this earlier verified
                      release again, every job, through the same gate as \`drover deploy <env>
                      --release ID\` (outcome recorded on the release). drover renders jobs/ of
                      the working tree with the release's image pins, so newer image tags in
                      jobs/ do not matter; any other difference is refused, naming the job: then
                      run it from a checkout of the release's commit (\`git worktree add\`).
                      --yes, --force and --reason as for deploy.
  --output MODE       tty (live view), plain (one line per change, default in CI), ndjson
${FAILURE_LOGS_HELP}
  --project DIR, --environments DIR   as for deploy

Exit: 0 rolled back, 1 the rollback's deployment failed, 2 placement failure, 4 refused (no
stable earlier version, unknown version, job changed meanwhile, job not owned by this project),
64 usage, 69 unreachable, 77 token missing, wrong or denied.
`;

export const ROLLBACK_OPTIONS = {
  ...COMMON_OPTIONS,
  ...OUTPUT_OPTIONS,
  ...FAILURE_LOGS_OPTIONS,
  job: { type: 'string' },
  to: { type: 'string' },
  release: { type: 'string' },
  yes: { type: 'boolean' },
  force: { type: 'boolean' },
  reason: { type: 'string' },
} as const;

/** The values of rollback's enumerated flags: its parser refuses any other, completion offers exactly these. */
export const ROLLBACK_CHOICES = { output: ['tty', 'plain', 'ndjson'] } as const satisfies Choices;
