/** `drover dashboards`: its help text and flags, apart from its code so that `--help` and completion load nothing else. */
import { COMMON_OPTIONS } from '../args.ts';

export const DASHBOARDS_HELP = `drover dashboards <env> [--prometheus URL | --live] [--out DIR] [--range DURATION]

Writes <env>'s dashboards (cluster, jobs, Fabio routes, deploys) as static HTML pages, one per
dashboard plus index.html, to <out>/<env>/: every panel with its title, description, unit and
queries. With a Prometheus, each query is run over the last --range and the page shows a sparkline
(inline SVG) and the last value of every series, or the error Prometheus gave. The pages need no
Grafana, no script and no network: open <out>/<env>/index.html in a browser.
The Grafana JSON and provisioning of the same dashboards are written by \`drover render <env>\`
(grafana/<env>/).

  --prometheus URL    read values from this Prometheus (e.g. http://127.0.0.1:9090)
  --live              read values from <env>'s Prometheus: DROVER_PROMETHEUS_ADDR, else
                      prometheus.address in environments/<env>.ts (token: DROVER_PROMETHEUS_TOKEN)
  --out DIR           output folder (default: build/dashboards)
  --range DURATION    time window of the values, e.g. 30m, 6h (default: 1h)
  --project DIR       project root holding jobs/ and environments/ (default: current directory)
  --environments DIR  environment definitions (default: <project>/environments)
  --no-typecheck      skip type-checking jobs/ and environments/ with the project's tsc
`;

export const DASHBOARDS_OPTIONS = {
  ...COMMON_OPTIONS,
  'no-typecheck': { type: 'boolean' },
  prometheus: { type: 'string' },
  live: { type: 'boolean' },
  out: { type: 'string' },
  range: { type: 'string' },
} as const;
