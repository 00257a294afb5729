/**
 * Metric analysis of a canary step: PromQL queries measured every `intervalMs`, `count` times,
 * each value compared with a maximum. The decision (`decideStep`) is a pure function over the
 * measurements so far; `runAnalysis` is the thin loop that sleeps, queries and asks it.
 *
 * Inconclusive measurements (no series matched, `NaN` such as 0/0 when no request reached the
 * route, or a failed query) are tolerated up to `inconclusiveLimit` per metric and step; each
 * further one counts as a failure. Promoting on no evidence is the unsafe direction: a quiet route
 * fails the canary (Nomad reverts) with a reason that says there was no data, rather than passing.
 */
import { ApiError } from '../clients/api-error.ts';
import { sleep } from '../clients/retry.ts';
import type { PromAnswer, PrometheusClient } from '../clients/prometheus/index.ts';

/** One gate: a PromQL expression whose value must stay at or below `thresholdMax`. */
export interface AnalysisMetric {
  /** Short id used in events and messages, e.g. `error-ratio`. */
  readonly name: string;
  /** An instant query answering one number (a scalar, or a vector whose worst sample counts). */
  readonly query: string;
  readonly thresholdMax: number;
}

/** How one step is analysed. */
export interface AnalysisSpec {
  /** Wait before each measurement. */
  readonly intervalMs: number;
  /** Measurements per metric per step; a step lasts `intervalMs × count`. */
  readonly count: number;
  /** Failing measurements tolerated per metric and step; one more fails the canary. @default 0 */
  readonly failureLimit: number;
  /** Inconclusive measurements tolerated per metric and step before each counts as failing. @default 1 */
  readonly inconclusiveLimit: number;
  readonly metrics: readonly AnalysisMetric[];
}

/** `ok` = at or under the maximum, `failing` = over it (`+Inf` included), `inconclusive` = no number. */
export type Verdict = 'ok' | 'failing' | 'inconclusive';

/** One metric measured once. */
export interface Measurement {
  readonly metric: string;
  readonly query: string;
  readonly thresholdMax: number;
  /** Unix ms when the value was taken. */
  readonly atMs: number;
  /** `null` when there was no number: no series, or the query failed (see `error`). `NaN` stays `NaN`. */
  readonly value: number | null;
  readonly verdict: Verdict;
  readonly error?: string;
}

/** What a step's measurements say. */
export type StepDecision =
  | { readonly type: 'continue' }
  | { readonly type: 'pass' }
  | {
      readonly type: 'fail';
      readonly metric: string;
      readonly query: string;
      /** The value of the measurement that exhausted the limits. */
      readonly value: number | null;
      readonly thresholdMax: number;
      /** e.g. `error-ratio = 0.31 > max 0.05` or `error-ratio had no data (…)`. */
      readonly reason: string;
      /** When the first measurement that counted against the limit was taken (the threshold crossing). */
      readonly firstFailingAtMs: number;
    };

/** Options of {@link defaultCanaryMetrics}. */
export interface DefaultMetricsOptions {
  /** Range of `rate()`. @default "1m" */
  readonly window?: string;
  /** @default 0.05 */
  readonly maxErrorRatio?: number;
  /** Seconds. @default 0.5 */
  readonly maxP99Seconds?: number;
}

/**
 * The default gates over Fabio's metrics (prefix `fabio`) for one Consul service: the 5xx ratio
 * and the p99 latency of its routes. Both are service-wide: `fabio_http_status` has no target
 * label, so a canary's own errors are diluted by its traffic weight (at 25 % a canary failing
 * 20 % of its requests adds 5 points); the rising steps make a bad canary cross the line.
 */
export function defaultCanaryMetrics(service: string, options: DefaultMetricsOptions = {}): AnalysisMetric[] {
  const svc = promString(service);
  const window = options.window ?? '1m';
  if (!/^\d+(ms|s|m|h)$/.test(window)) throw new RangeError(`window "${window}" is not a PromQL duration`);
  const requests = `sum(rate(fabio_http_status_count{service=${svc}}[${window}]))`;
  // `or vector(0)`: with no 5xx series at all the ratio is 0, not "no data"; no traffic stays empty.
  const errors = `(sum(rate(fabio_http_status_count{service=${svc},code=~"5.."}[${window}])) or vector(0))`;
  return [
    { name: 'error-ratio', query: `${errors} / ${requests}`, thresholdMax: options.maxErrorRatio ?? 0.05 },
    { name: 'p99-latency', query: `histogram_quantile(0.99, sum by (le) (rate(fabio_route_bucket{service=${svc}}[${window}])))`, thresholdMax: options.maxP99Seconds ?? 0.5 },
  ];
}

/** A full spec with drover's defaults: 4 measurements 30 s apart per step, no failure tolerated, one gap. */
export function defaultAnalysisSpec(service: string, overrides: Partial<AnalysisSpec> = {}): AnalysisSpec {
  return { intervalMs: 30_000, count: 4, failureLimit: 0, inconclusiveLimit: 1, metrics: defaultCanaryMetrics(service), ...overrides };
}

/** ok / failing / inconclusive for one value. */
export function classifyValue(value: number | null, thresholdMax: number): Verdict {
  if (value === null || Number.isNaN(value)) return 'inconclusive';
  return value > thresholdMax ? 'failing' : 'ok';
}

/** The number a query answered: a scalar, or the worst (largest) non-NaN sample of a vector. */
export function valueOf(answer: PromAnswer): { readonly value: number | null; readonly error?: string } {
  if (answer.kind === 'scalar') return { value: answer.point.value };
  if (answer.kind !== 'vector') return { value: null, error: `the query answered a ${answer.kind}; an instant vector or scalar is needed` };
  if (answer.samples.length === 0) return { value: null };
  const numbers = answer.samples.map((s) => s.value).filter((v) => !Number.isNaN(v));
  return { value: numbers.length === 0 ? Number.NaN : Math.max(...numbers) };
}

/** Pass when every metric has `count` measurements within limits, fail as soon as one exhausts them, else continue. */
export function decideStep(measurements: readonly Measurement[], spec: AnalysisSpec): StepDecision {
  for (const metric of spec.metrics) {
    const bad = countedAgainst(measurements.filter((m) => m.metric === metric.name), spec.inconclusiveLimit);
    const tipping = bad[spec.failureLimit];
    if (tipping && bad[0]) return { type: 'fail', metric: metric.name, query: tipping.query, value: tipping.value, thresholdMax: tipping.thresholdMax, reason: describe(tipping), firstFailingAtMs: bad[0].atMs };
  }
  const done = spec.metrics.every((metric) => measurements.filter((m) => m.metric === metric.name).length >= spec.count);
  return done ? { type: 'pass' } : { type: 'continue' };
}

/** Options of {@link runAnalysis}. */
export interface RunAnalysisOptions {
  readonly prometheus: Pick<PrometheusClient, 'query'>;
  readonly spec: AnalysisSpec;
  readonly signal: AbortSignal;
  /** @default Date.now */
  readonly now?: () => number;
  readonly onMeasurement?: (measurement: Measurement) => void;
}

/** Measures every metric `count` times, `intervalMs` apart, and stops at the first pass or fail. Rejects with the signal's reason on abort. */
export async function runAnalysis(options: RunAnalysisOptions): Promise<Exclude<StepDecision, { type: 'continue' }>> {
  const { spec, signal } = options;
  const now = options.now ?? Date.now;
  if (spec.count < 1 || spec.metrics.length === 0) throw new RangeError('an analysis needs count ≥ 1 and at least one metric');
  const measurements: Measurement[] = [];
  for (;;) {
    await sleep(spec.intervalMs, signal);
    const atMs = now();
    for (const measurement of await Promise.all(spec.metrics.map((metric) => measure(options.prometheus, metric, atMs, signal)))) {
      measurements.push(measurement);
      options.onMeasurement?.(measurement);
    }
    const decision = decideStep(measurements, spec);
    if (decision.type !== 'continue') return decision;
  }
}

async function measure(prometheus: Pick<PrometheusClient, 'query'>, metric: AnalysisMetric, atMs: number, signal: AbortSignal): Promise<Measurement> {
  const base = { metric: metric.name, query: metric.query, thresholdMax: metric.thresholdMax, atMs };
  try {
    const { value, error } = valueOf(await prometheus.query(metric.query, { signal }));
    return { ...base, value, verdict: classifyValue(value, metric.thresholdMax), ...(error ? { error } : {}) };
  } catch (error) {
    if (signal.aborted || !(error instanceof ApiError)) throw error;
    // Prometheus unreachable or the query rejected: no evidence, handled like an empty result.
    return { ...base, value: null, verdict: 'inconclusive', error: error.message };
  }
}

/** The measurements that count against `failureLimit`, in time order: failing ones, and inconclusive ones past their limit. */
function countedAgainst(own: readonly Measurement[], inconclusiveLimit: number): Measurement[] {
  const bad: Measurement[] = [];
  let inconclusive = 0;
  for (const m of [...own].sort((a, b) => a.atMs - b.atMs)) {
    if (m.verdict === 'inconclusive') inconclusive += 1;
    if (m.verdict === 'failing' || (m.verdict === 'inconclusive' && inconclusive > inconclusiveLimit)) bad.push(m);
  }
  return bad;
}

function describe(m: Measurement): string {
  if (m.verdict === 'failing') return `${m.metric} = ${formatNumber(m.value)} > max ${m.thresholdMax}`;
  const why = m.error ?? (m.value === null ? 'no series matched: no traffic reached the route, or the metric is not scraped' : 'NaN: no requests in the window');
  return `${m.metric} had no data (${why})`;
}

function formatNumber(value: number | null): string {
  if (value === null) return 'none';
  return Number.isFinite(value) ? String(Number(value.toPrecision(4))) : String(value);
}

/** A PromQL double-quoted string literal. */
function promString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
