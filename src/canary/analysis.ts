/**
 * Metric analysis of a canary step: every gate (gates.ts) measured every `intervalMs`, over a
 * window that is the time spent at the step so far, on the canary's own instances against the
 * stable ones. The decision (`decideStep`) is a pure function over the measurements so far;
 * `runAnalysis` is the thin loop that sleeps, resolves the canary's instances, queries and asks it.
 *
 * A step passes when, after `count` measurements, every gate's latest one is `ok`. A gate that is
 * `failing` more than `failureLimit` times fails the canary at once. `inconclusive` (too few
 * requests to tell, no series, a failed query) is "measure again": the step is extended by up to
 * `count` more measurements while evidence accumulates, and fails if it still has none then.
 * Promoting on no evidence is the unsafe direction.
 */
import { ApiError } from '../clients/api-error.ts';
import { sleep } from '../clients/retry.ts';
import type { PrometheusClient } from '../clients/prometheus/index.ts';
import type { Verdict } from './evidence.ts';
import { readGate, type CanaryTargets, type Gate, type GateScope } from './gates.ts';

/** How one step is analysed. */
export interface AnalysisSpec {
  /** Wait before each measurement. */
  readonly intervalMs: number;
  /** Measurements per gate per step; a step lasts at least `intervalMs × count`. */
  readonly count: number;
  /** Failing measurements tolerated per gate and step; one more fails the canary. @default 0 */
  readonly failureLimit: number;
  /** Longest query window; the window is otherwise the whole time spent at the step. */
  readonly maxWindowMs?: number;
  readonly gates: readonly Gate[];
}

export type { Verdict } from './evidence.ts';

/** One gate measured once. */
export interface Measurement {
  readonly metric: string;
  readonly scope: GateScope;
  /** The queries sent, joined by a blank line when a gate needs several. */
  readonly query: string;
  readonly thresholdMax: number;
  /** Unix ms when the value was taken. */
  readonly atMs: number;
  /** The query range used, seconds. */
  readonly windowSeconds: number;
  /** `null` when there was no number: no series, or the query failed (see `error`). */
  readonly value: number | null;
  readonly verdict: Verdict;
  /** What was compared with what, in words. */
  readonly detail: string;
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
      /** The value of the measurement that decided it. */
      readonly value: number | null;
      readonly thresholdMax: number;
      /** e.g. `error-ratio failing: canary 31 % (…) vs stable 0 % (…)` or `… had no evidence after 8 measurements (…)`. */
      readonly reason: string;
      /** When the first measurement that counted against the canary was taken (the threshold crossing). */
      readonly firstFailingAtMs: number;
    };

/**
 * Fail once a gate was failing more than `failureLimit` times; pass once every gate has `count`
 * measurements and its latest is ok; fail for lack of evidence after `2 × count`; else continue.
 */
export function decideStep(measurements: readonly Measurement[], spec: Pick<AnalysisSpec, 'count' | 'failureLimit' | 'gates'>): StepDecision {
  const perGate = spec.gates.map((gate) => measurements.filter((m) => m.metric === gate.name).sort((a, b) => a.atMs - b.atMs));
  for (const own of perGate) {
    const failing = own.filter((m) => m.verdict === 'failing');
    const tipping = failing[spec.failureLimit];
    if (tipping) return failure(tipping, `${tipping.metric} failing: ${tipping.detail}`, failing[0]!.atMs);
  }
  const latest = perGate.map((own) => own[own.length - 1]);
  const measured = Math.min(...perGate.map((own) => own.length));
  if (measured >= spec.count && latest.every((m) => m?.verdict === 'ok')) return { type: 'pass' };
  if (measured < spec.count * 2) return { type: 'continue' };
  const stuck = latest.find((m) => m !== undefined && m.verdict !== 'ok')!;
  return failure(stuck, `${stuck.metric} had no evidence after ${measured} measurements: ${stuck.error ?? stuck.detail}`, stuck.atMs);
}

/** Options of {@link runAnalysis}. */
export interface RunAnalysisOptions {
  readonly prometheus: Pick<PrometheusClient, 'query'>;
  readonly spec: AnalysisSpec;
  /** Consul service name of the weighted route. */
  readonly service: string;
  /** Which instances are the canary's now; asked before every measurement (a canary can be replaced). */
  readonly targets: (signal: AbortSignal) => Promise<CanaryTargets>;
  readonly signal: AbortSignal;
  /** @default Date.now */
  readonly now?: () => number;
  readonly onMeasurement?: (measurement: Measurement) => void;
}

/** Measures every gate `intervalMs` apart until the step passes or fails. Rejects with the signal's reason on abort. */
export async function runAnalysis(options: RunAnalysisOptions): Promise<Exclude<StepDecision, { type: 'continue' }>> {
  const { spec, signal } = options;
  const now = options.now ?? Date.now;
  if (spec.count < 1 || spec.gates.length === 0) throw new RangeError('an analysis needs count ≥ 1 and at least one gate');
  const stepStartedAtMs = now();
  const measurements: Measurement[] = [];
  for (;;) {
    await sleep(spec.intervalMs, signal);
    const atMs = now();
    const windowSeconds = windowFor(atMs - stepStartedAtMs, spec.maxWindowMs);
    const targets = await options.targets(signal);
    const taken = await Promise.all(spec.gates.map((gate) => measure(options, gate, { service: options.service, targets, windowSeconds }, atMs)));
    for (const measurement of taken) {
      measurements.push(measurement);
      options.onMeasurement?.(measurement);
    }
    const decision = decideStep(measurements, spec);
    if (decision.type !== 'continue') return decision;
  }
}

/** The query range for a measurement `elapsedMs` into the step: whole seconds, at least 1, at most the cap. */
export function windowFor(elapsedMs: number, maxWindowMs?: number): number {
  const capped = maxWindowMs === undefined ? elapsedMs : Math.min(elapsedMs, maxWindowMs);
  return Math.max(1, Math.floor(capped / 1000));
}

async function measure(options: RunAnalysisOptions, gate: Gate, context: Parameters<typeof readGate>[1], atMs: number): Promise<Measurement> {
  const { signal } = options;
  try {
    const reading = await readGate(gate, context, (promql) => options.prometheus.query(promql, { signal }));
    return { metric: gate.name, scope: reading.scope, query: reading.queries.join('\n\n'), thresholdMax: reading.thresholdMax, atMs, windowSeconds: context.windowSeconds, value: reading.value, verdict: reading.verdict, detail: reading.detail };
  } catch (error) {
    if (signal.aborted || !(error instanceof ApiError)) throw error;
    // Prometheus unreachable or the query rejected: no evidence, handled like an empty result.
    return { metric: gate.name, scope: gate.kind === 'custom' ? 'custom' : 'canary-vs-stable', query: '', thresholdMax: Number.NaN, atMs, windowSeconds: context.windowSeconds, value: null, verdict: 'inconclusive', detail: `the query failed: ${error.message}`, error: error.message };
  }
}

function failure(m: Measurement, reason: string, firstFailingAtMs: number): StepDecision {
  return { type: 'fail', metric: m.metric, query: m.query, value: m.value, thresholdMax: m.thresholdMax, reason, firstFailingAtMs };
}
