/** `drover demo`: its help text and flags, apart from its code so that `--help` and completion load nothing else. */
import { COMMON_OPTIONS, type Choices } from '../args.ts';

export const DEMO_HELP = `drover demo [--speed X] [--output tty|plain|ndjson]

The main job, on one machine: renders every environment, validates, then deploys to the
environments a release travels through, in promotion order — qa, then prod — each against its own
embedded drover sandbox, a SIMULATOR of the Nomad, Consul and Vault APIs (not a scheduler: nothing
really runs), plus a simulated Fabio and simulated app instances whose answers are scripted in
src/sandbox/example-apps.ts. Before each deploy the sandbox's Vault gets the jobs' secrets (random
placeholders) and the committed policies and roles; the deploy reaches it with a read-only token.
dev is rendered and validated only: it is for a real local agent (README, "Run the examples on a
real dev agent").

qa records a release and verifies it: smoke checks through the simulated Fabio, then the soak
(promotion.soak, in sandbox time). prod then deploys exactly that release (confirmed with --yes on
your behalf). To show the progressive canary, prod's sandbox first runs the jobs that have one at
an earlier image (tag "previous": simulated history); their update then shifts 5 % → 25 % → 50 % of
the route to the canary, judged by a REAL Prometheus (Debian's package; \`npm start\` tries to
install it) scraping the simulated Fabio every second, with the steps shortened to a few seconds.
Without Prometheus, prod deploys without that history, so no canary runs, and the demo says so.

Against real clusters, use \`drover deploy <env>\` (npm run deploy:qa / deploy:prod).

  --speed X     sandbox seconds per real second (default 10, so Nomad's deadlines pass quickly)
`;

export const DEMO_OPTIONS = { ...COMMON_OPTIONS, speed: { type: 'string' }, output: { type: 'string' }, 'git-sha': { type: 'string' } } as const;

/** The values of demo's enumerated flags: its parser refuses any other, completion offers exactly these. */
export const DEMO_CHOICES = { output: ['tty', 'plain', 'ndjson'] } as const satisfies Choices;
