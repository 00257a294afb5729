/** `drover loadtest`: its help text and flags, apart from its code so that `--help` and completion load nothing else. */
import { LOADTEST_DEFAULTS, LOADTEST_LIMITS } from '../../loadtest/settings.ts';
import { COMMON_OPTIONS, OUTPUT_OPTIONS, type Choices } from '../args.ts';

/** `drover loadtest --help`. */
export const LOADTEST_HELP = `drover loadtest <env> [--route /api] [--rps 1000] [--duration 60s] [options]

Sends HTTP GET load through the environment's Fabio (autocannon) and prints latency percentiles
(p50, p90, p99, max), answers by status class and code, errors and timeouts, the achieved rate
and throughput. One probe request goes first: the run is refused when Fabio cannot be reached
(exit 69) or answers 404 for the route (no route there, or the app has no such path; exit 69).

Target: DROVER_FABIO_ADDR when set (\`drover sandbox\` exports it), else fabio.address of
environments/<env>.ts. A target that is not on this machine (anything but 127.0.0.0/8, ::1,
localhost) is refused unless --allow-remote is given: load on a shared environment is a decision.

Bounds no flag lifts: at most ${LOADTEST_LIMITS.maxDurationSeconds / 60} minutes and ${LOADTEST_LIMITS.maxRequests} requests per run, --rps at most ${LOADTEST_LIMITS.maxRps},
at most ${LOADTEST_LIMITS.maxConnections} connections. Ctrl-C stops the run and prints what was measured.

During a progressive canary, run it in a second terminal while \`drover deploy <env>\` moves the
canary's weight; --split-header counts the answers by a header the app sets (in the sandbox,
X-Drover-Sandbox-Instance names the instance), so the canary's share shows.

  drover loadtest qa --route /api/products --rps 1000 --duration 60s
  drover loadtest prod --route / --host www.example.com --rps 200 --allow-remote
  drover loadtest prod --route /api/products --split-header X-Drover-Sandbox-Instance

Options:
  --route <path>           path sent to Fabio (default ${LOADTEST_DEFAULTS.route})
  --host <name>            Host header, for host-based routes (default: the target's)
  --rps <n|max>            requests per second over all connections (default ${LOADTEST_DEFAULTS.rps});
                           max = as fast as the connections allow
  --duration <d>           how long, e.g. 30s, 2m (default ${LOADTEST_DEFAULTS.durationSeconds}s; 1s to ${LOADTEST_LIMITS.maxDurationSeconds / 60}m)
  --connections <n>        concurrent connections (default rps/20, between 10 and 100; 50 for max)
  --requests <n>           stop after this many requests (default and upper bound ${LOADTEST_LIMITS.maxRequests})
  --split-header <name>    count answers by this response header's value
  --allow-remote           allow a target that is not on this machine
  --output MODE            plain or tty (default): the summary on stdout, progress on stderr;
                           json: one document on stdout (schema drover.loadtest/v1, docs/output.md)
  --project DIR, --environments DIR   as for deploy

Exit: 0 run done (whatever the answers were), 64 usage, 69 Fabio unreachable, no route, or not
one request answered after the probe (the summary is printed first), 130 interrupted (likewise).
`;

export const LOADTEST_OPTIONS = {
  ...COMMON_OPTIONS,
  ...OUTPUT_OPTIONS,
  route: { type: 'string' },
  host: { type: 'string' },
  rps: { type: 'string' },
  duration: { type: 'string' },
  connections: { type: 'string' },
  requests: { type: 'string' },
  'split-header': { type: 'string' },
  'allow-remote': { type: 'boolean' },
} as const;

/** The values of loadtest's enumerated flags: its parser refuses any other, completion offers exactly these. */
export const LOADTEST_CHOICES = { output: ['tty', 'plain', 'json'] } as const satisfies Choices;
