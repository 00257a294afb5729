/**
 * The gates of a progressive canary and the PromQL each one asks, judged on the canary itself.
 *
 * - `error-ratio`: the application's own `http_requests_total{code}` counters, summed per
 *   instance (`host:port`, Prometheus's default `instance` label for a discovered target), split
 *   into the canary's instances and the stable ones. Fabio's `fabio_http_status` has no target
 *   label, so a canary's errors there are diluted by its weight and by every stable instance:
 *   it is not evidence about the canary and is never used for this gate.
 * - `p99-latency`: Fabio's per-target histogram `fabio_route_bucket{service,target}` for the
 *   canary's targets against the stable ones.
 * - `custom`: a job's own PromQL, with `$window`, `$service`, `$canary_instances`,
 *   `$stable_instances`, `$canary_targets` and `$stable_targets` filled in per measurement.
 *
 * Every query's range is the time spent at the step so far (`window`), never older traffic.
 */
import type { PromAnswer } from '../wire/prometheus-answer.ts';
import type { Verdict } from './evidence.ts';
import { judgeErrorRatio, judgeLatency, type Judgement, type RequestCounts } from './evidence.ts';

/** A gate of the analysis. */
export type Gate =
  | { readonly kind: 'error-ratio'; readonly name: string; readonly service: string; readonly maxExcess: number; readonly confidence: number }
  | { readonly kind: 'latency'; readonly name: string; readonly service: string; readonly maxP99Seconds: number }
  | { readonly kind: 'custom'; readonly name: string; readonly query: string; readonly thresholdMax: number };

/** What a measurement judged: the canary against the stable instances, or whatever a custom query says. */
export type GateScope = 'canary-vs-stable' | 'custom';

/** Which instances are the canary's: from Nomad's canary allocations, addresses from Consul's catalog. */
export interface CanaryTargets {
  /** `host:port` of each canary instance (Prometheus's `instance` label). */
  readonly canary: readonly string[];
  /** `host:port` of every other instance of the service. */
  readonly stable: readonly string[];
}

/** The variables a measurement fills into its queries. */
export interface MeasureContext {
  /** Consul service name of the weighted route. */
  readonly service: string;
  readonly targets: CanaryTargets;
  /** Whole seconds, ≥ 1: the range of every `rate()`/`increase()`. */
  readonly windowSeconds: number;
}

/** Runs one instant query; rejects on failure (the caller decides what a failure means). */
export type QueryFn = (promql: string) => Promise<PromAnswer>;

/** One gate measured once. */
export interface GateReading extends Judgement {
  readonly scope: GateScope;
  /** The queries sent, in order, as sent. */
  readonly queries: readonly string[];
}

/** The name of the application request counter the error gate reads. */
export const APP_REQUESTS_METRIC = 'http_requests_total';

/** The queries of a gate for these instances and this window, as they are sent. */
export function gateQueries(gate: Gate, context: MeasureContext): string[] {
  return buildQueries(gate, context.service, context.windowSeconds, regexVariables(context.targets));
}

/**
 * The queries of a gate before the canaries exist (for `drover plan`): the instance and target
 * regexes stay `$canary_instances`, `$stable_instances`, `$canary_targets`, `$stable_targets`.
 */
export function gateQueryTemplates(gate: Gate, service: string, windowSeconds: number): string[] {
  const placeholders = Object.fromEntries(['canary_instances', 'stable_instances', 'canary_targets', 'stable_targets'].map((name) => [name, `$${name}`]));
  return buildQueries(gate, service, windowSeconds, placeholders as Record<string, string>);
}

function buildQueries(gate: Gate, service: string, windowSeconds: number, regex: Readonly<Record<string, string>>): string[] {
  const window = `${windowSeconds}s`;
  switch (gate.kind) {
    case 'error-ratio': {
      const instances = `${regex['canary_instances']}|${regex['stable_instances']}`;
      return [`sum by (instance, code) (increase(${APP_REQUESTS_METRIC}{instance=~${promString(instances)}}[${window}]))`];
    }
    case 'latency': {
      const svc = promString(gate.service);
      const bucket = (targets: string) => `histogram_quantile(0.99, sum by (le) (rate(fabio_route_bucket{service=${svc},target=~${promString(targets)}}[${window}])))`;
      return [bucket(regex['canary_targets']!), bucket(regex['stable_targets']!), `sum(increase(fabio_route_count{service=${svc},target=~${promString(regex['canary_targets']!)}}[${window}]))`];
    }
    case 'custom':
      return [fillTemplate(gate.query, { window, service, ...regex })];
  }
}

/** Measures one gate: asks its queries and judges the answers. A failed query rejects. */
export async function readGate(gate: Gate, context: MeasureContext, query: QueryFn): Promise<GateReading> {
  const queries = gateQueries(gate, context);
  const answers = await Promise.all(queries.map((q) => query(q)));
  switch (gate.kind) {
    case 'error-ratio': {
      const byInstance = countsByInstance(answers[0]!);
      const judged = judgeErrorRatio(sumOf(context.targets.canary, byInstance), sumOf(context.targets.stable, byInstance), { maxExcess: gate.maxExcess, confidence: gate.confidence });
      const noAppMetrics = context.targets.canary.every((instance) => !byInstance.has(instance));
      const detail = noAppMetrics ? `${judged.detail}. No ${APP_REQUESTS_METRIC} series for the canary instances (${context.targets.canary.join(', ') || 'none found'}): is the app's /metrics scraped? Fabio's status codes are service-wide and are not used as evidence about the canary` : judged.detail;
      return { ...judged, detail, scope: 'canary-vs-stable', queries };
    }
    case 'latency': {
      const judged = judgeLatency({ canaryP99: scalarOf(answers[0]!), stableP99: scalarOf(answers[1]!), canaryRequests: scalarOf(answers[2]!) ?? 0, maxP99: gate.maxP99Seconds });
      return { ...judged, scope: 'canary-vs-stable', queries };
    }
    case 'custom': {
      const value = worstOf(answers[0]!);
      const verdict: Verdict = value === null || Number.isNaN(value) ? 'inconclusive' : value > gate.thresholdMax ? 'failing' : 'ok';
      const shown = value === null ? 'no series matched' : Number.isNaN(value) ? 'NaN (0/0: no requests in the window?)' : String(Number(value.toPrecision(4)));
      return { verdict, value, thresholdMax: gate.thresholdMax, detail: `${shown}; max ${gate.thresholdMax}`, scope: 'custom', queries };
    }
  }
}

/** `$name` placeholders of custom queries, longest names first so `$canary_targets` is not read as `$canary…`. */
export function fillTemplate(template: string, variables: Readonly<Record<string, string>>): string {
  const names = Object.keys(variables).sort((a, b) => b.length - a.length);
  return names.reduce((text, name) => text.split(`$${name}`).join(variables[name]!), template);
}

/** The regex variables of custom queries: canary/stable instances (`host:port`) and Fabio targets (`http://host:port/`). */
export function regexVariables(targets: CanaryTargets): Record<string, string> {
  return {
    canary_instances: anyOf(targets.canary),
    stable_instances: anyOf(targets.stable),
    canary_targets: anyOf(targets.canary.map(targetUrl)),
    stable_targets: anyOf(targets.stable.map(targetUrl)),
  };
}

/** Fabio's `target` label of an instance: the URL it proxies to. */
export function targetUrl(instance: string): string {
  return `http://${instance}/`;
}

/** An RE2 alternation matching exactly these strings; matches nothing when empty. */
export function anyOf(values: readonly string[]): string {
  // An empty alternation would match the empty label value, i.e. every series without the label;
  // `$.` asks for a character after the end of the text: it matches nothing, not even "".
  if (values.length === 0) return '$.';
  return [...new Set(values)].sort().map((v) => v.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&')).join('|');
}

/** A PromQL double-quoted string literal. */
export function promString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function countsByInstance(answer: PromAnswer): Map<string, RequestCounts> {
  const counts = new Map<string, { requests: number; errors: number }>();
  if (answer.kind !== 'vector') return counts;
  for (const sample of answer.samples) {
    const instance = sample.labels['instance'];
    if (instance === undefined || !Number.isFinite(sample.value)) continue;
    const entry = counts.get(instance) ?? { requests: 0, errors: 0 };
    entry.requests += sample.value;
    if (/^5\d\d$/.test(sample.labels['code'] ?? '')) entry.errors += sample.value;
    counts.set(instance, entry);
  }
  return counts;
}

function sumOf(instances: readonly string[], counts: ReadonlyMap<string, RequestCounts>): RequestCounts | undefined {
  const present = instances.map((i) => counts.get(i)).filter((c): c is RequestCounts => c !== undefined);
  if (present.length === 0) return undefined;
  return { requests: present.reduce((n, c) => n + c.requests, 0), errors: present.reduce((n, c) => n + c.errors, 0) };
}

/** A scalar, or the single sample of a vector; `null` when there is none. */
function scalarOf(answer: PromAnswer): number | null {
  if (answer.kind === 'scalar') return answer.point.value;
  if (answer.kind !== 'vector' || answer.samples.length === 0) return null;
  return answer.samples[0]!.value;
}

/** A scalar, or the worst (largest) non-NaN sample of a vector; NaN when every sample is NaN. */
function worstOf(answer: PromAnswer): number | null {
  if (answer.kind === 'scalar') return answer.point.value;
  if (answer.kind !== 'vector' || answer.samples.length === 0) return null;
  const numbers = answer.samples.map((s) => s.value).filter((v) => !Number.isNaN(v));
  return numbers.length === 0 ? Number.NaN : Math.max(...numbers);
}
