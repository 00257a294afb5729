/** `drover plan`: its help text and flags, apart from its code so that `--help` and completion load nothing else. */
import { COMMON_OPTIONS, OUTPUT_OPTIONS, type Choices } from '../args.ts';

/** `--help` text of `drover plan`. */
export const PLAN_HELP = `drover plan <env> [--job ID] [--adopt] [--out FILE]

Validates and renders every job like deploy, then asks Nomad to plan each job deploy would
register (a dry run; nothing is changed) and shows, per group: create / update / none, how many
allocations would be placed, replaced destructively, updated in place or started as canaries,
count changes, and placements that would fail (with the reason). Jobs whose spec is unchanged
(only the release differs) are shown as unchanged, as deploy skips them. Also lists the jobs this
project owns in <env> that are no longer in jobs/: deploy stops them when pruning.

Writes the plan as JSON (default build/<env>/plan.json): per job the action, the job modify
index to enforce when registering, the diff type and the summary, then the jobs to stop.

  --job ID            plan only this job (no stops are listed)
  --adopt             plan over jobs with the same ID that this project does not own
  --out FILE          where to write the plan file (default: build/<env>/plan.json); deploy
                      exactly this plan with \`drover deploy <env> --plan FILE\` (refused, exit 4,
                      once the cluster or the jobs moved since)
  --git-sha SHA, --release ID   as for deploy (they are part of the rendered job meta). In an
                      environment that takes releases (prod), the plan is of the release deploy
                      would take (latest verified, or --release), with its image pins; a release
                      the gate refuses is refused here too (exit 4)
  --output MODE       tty or plain: progress/retry lines on stderr, the plan on stdout; ndjson:
                      events on stdout, the plan on stderr; json: one document on stdout
                      (schema drover.plan/v1, see docs/output.md), progress on stderr
  --project DIR, --environments DIR   as for deploy

Exit (Nomad's convention for plan): 0 no changes, 1 changes, 255 error; also 4 a job with the
same ID is owned by someone else (without --adopt), 64 usage, 65 invalid definitions, 77 a token
missing, wrong or denied.
`;

export const PLAN_OPTIONS = {
  ...COMMON_OPTIONS,
  ...OUTPUT_OPTIONS,
  job: { type: 'string' },
  adopt: { type: 'boolean' },
  out: { type: 'string' },
  'git-sha': { type: 'string' },
  release: { type: 'string' },
} as const;

/** The values of plan's enumerated flags: its parser refuses any other, completion offers exactly these. */
export const PLAN_CHOICES = { output: ['tty', 'plain', 'ndjson', 'json'] } as const satisfies Choices;
