/**
 * Small PromQL builders for the dashboards, so label values from jobs and environments are always
 * quoted and escaped the same way, and the variable substitution the static page and the tests
 * use matches what Grafana does with the same text.
 */

/**
 * The label that carries a Nomad job's name on Nomad's own series (`nomad_client_allocs_*`,
 * `nomad_nomad_job_summary_*`). Nomad calls it `job`, which clashes with the scrape job's target
 * label: Prometheus keeps the target's (`job="nomad"`) and renames the scraped one `exported_job`,
 * which prometheus/prometheus.yml's metric_relabel_configs then rename `nomad_job`.
 */
export const NOMAD_JOB_LABEL = 'nomad_job';

/** A PromQL string literal (double-quoted; JSON's escapes are a subset PromQL reads the same). */
export function quote(value: string): string {
  return JSON.stringify(value);
}

/** `name="value"` */
export function eq(name: string, value: string): string {
  return `${name}=${quote(value)}`;
}

/** `name=~"regex"` */
export function re(name: string, regex: string): string {
  return `${name}=~${quote(regex)}`;
}

/** A regex (RE2, anchored by Prometheus) matching exactly `value`. */
export function literalRegex(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `metric{a="b",c=~"d"}`, or the bare name without matchers. */
export function selector(metric: string, matchers: readonly string[]): string {
  return matchers.length === 0 ? metric : `${metric}{${matchers.join(',')}}`;
}

/**
 * Replaces `$name` (and `${name}`) with the given values, longest names first so `$__rate_interval`
 * is not read as `$__rate…`; unknown variables stay as written.
 */
export function substituteVariables(expr: string, values: Readonly<Record<string, string>>): string {
  const names = Object.keys(values).sort((a, b) => b.length - a.length);
  return names.reduce((text, name) => text.split(`\${${name}}`).join(values[name]!).split(`$${name}`).join(values[name]!), expr);
}

/** The variables of a query in order of first use (`$__rate_interval`, `$datacenter`). */
export function variablesOf(expr: string): string[] {
  return [...new Set([...expr.matchAll(/\$\{?([A-Za-z_]\w*)\}?/g)].map((m) => m[1]!))];
}

/**
 * The label that carries the job on drover's deploy metrics as Prometheus stores them. The
 * metrics file names it `job`; node-exporter's textfile collector serves it, so it clashes with
 * the node-exporter scrape job's `job` label the same way, and the same relabelling makes it
 * `nomad_job`.
 */
export const DEPLOY_JOB_LABEL = 'nomad_job';
