/**
 * How much a canary's own numbers prove. A canary that answered 2 of 20 requests with 503 has a
 * 10 % error ratio on paper, but 20 requests cannot tell 10 % from 3 %; promoting or failing on
 * that point estimate alone is a coin toss at the traffic a short step sees. So each verdict here
 * comes from a confidence interval (Wilson's score interval for a binomial share): `ok` only when
 * even the interval's upper end is within the bound, `failing` only when even its lower end is
 * past it, `inconclusive` in between ("not enough requests to tell"). The analysis treats
 * inconclusive as "measure again", and as a failure when the step ends without evidence.
 *
 * Pure functions over counts: no Prometheus, no clock.
 */

/** `ok` = within the bound, `failing` = past it, `inconclusive` = not enough evidence either way. */
export type Verdict = 'ok' | 'failing' | 'inconclusive';

/** Requests and 5xx answers counted over one window. */
export interface RequestCounts {
  readonly requests: number;
  readonly errors: number;
}

/** A judged measurement: the verdict, the number shown, its bound, and why in words. */
export interface Judgement {
  readonly verdict: Verdict;
  /** The canary's own figure (error ratio, or p99 seconds); `null` without data. */
  readonly value: number | null;
  /** The bound the value was held to. */
  readonly thresholdMax: number;
  /** e.g. `canary 12 % (6 of 50) vs stable 0.2 % (1 of 600); bound 5.2 %: failing`. */
  readonly detail: string;
}

/** The standard normal quantile of a one-sided confidence level (0.5 ≤ level < 1): 0.9 → 1.2816. */
export function zForConfidence(level: number): number {
  if (!(level >= 0.5 && level < 1)) throw new RangeError(`confidence ${level} is not in [0.5, 1)`);
  // Bisection on the normal CDF: slow-looking but 80 halvings of [0, 10] are exact to far below 1e-9.
  let lo = 0;
  let hi = 10;
  for (let i = 0; i < 80; i++) {
    const mid = (lo + hi) / 2;
    if (normalCdf(mid) < level) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Wilson's score interval of `errors / requests` at `z`; `[0, 1]` without requests. */
export function wilsonInterval(errors: number, requests: number, z: number): { readonly low: number; readonly high: number } {
  if (requests <= 0) return { low: 0, high: 1 };
  const p = Math.min(1, Math.max(0, errors / requests));
  const z2 = z * z;
  const denominator = 1 + z2 / requests;
  const centre = (p + z2 / (2 * requests)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / requests + z2 / (4 * requests * requests))) / denominator;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** Fewest error-free requests for which the interval's upper end reaches `bound`: the traffic a step needs to pass a healthy canary. */
export function requestsNeeded(bound: number, z: number): number {
  if (bound >= 1) return 1;
  if (bound <= 0) return Number.POSITIVE_INFINITY;
  // With no errors the upper end is z²/(n + z²): solve z²/(n + z²) ≤ bound for n.
  return Math.ceil((z * z * (1 - bound)) / bound);
}

/** Options of {@link judgeErrorRatio}. */
export interface ErrorRatioBounds {
  /** How far the canary's error ratio may exceed the stable instances'. */
  readonly maxExcess: number;
  /** One-sided confidence of each verdict, e.g. 0.9. */
  readonly confidence: number;
}

/**
 * The canary's 5xx ratio against the stable instances' over the same window. The bound is the
 * stable ratio plus `maxExcess` (stable instances that already fail 2 % make 2 % no fault of the
 * canary); without stable traffic the stable ratio counts as 0.
 */
export function judgeErrorRatio(canary: RequestCounts | undefined, stable: RequestCounts | undefined, bounds: ErrorRatioBounds): Judgement {
  const stableRatio = stable && stable.requests > 0 ? clampShare(stable.errors / stable.requests) : 0;
  const thresholdMax = Math.min(1, stableRatio + bounds.maxExcess);
  const stableText = stable && stable.requests > 0 ? `stable ${pct(stableRatio)} (${count(stable.errors)} of ${count(stable.requests)})` : 'no stable traffic';
  if (!canary || canary.requests <= 0) {
    return { verdict: 'inconclusive', value: null, thresholdMax, detail: `no requests reached the canary instances in the window (${stableText})` };
  }
  const value = clampShare(canary.errors / canary.requests);
  const z = zForConfidence(bounds.confidence);
  const { low, high } = wilsonInterval(canary.errors, canary.requests, z);
  const verdict: Verdict = high <= thresholdMax ? 'ok' : low > thresholdMax ? 'failing' : 'inconclusive';
  const base = `canary ${pct(value)} (${count(canary.errors)} of ${count(canary.requests)}) vs ${stableText}; bound ${pct(thresholdMax)}`;
  const why = verdict === 'inconclusive' ? `, too few requests to tell at ${pct(bounds.confidence)} confidence (${pct(low)}–${pct(high)}; an error-free canary needs ${requestsNeeded(thresholdMax, z)})` : '';
  return { verdict, value, thresholdMax, detail: `${base}${why}` };
}

/** Fewest canary requests behind a p99 worth judging: below it the "p99" is the slowest few answers. */
export const MIN_LATENCY_SAMPLES = 20;

/** Input of {@link judgeLatency}. */
export interface LatencyFigures {
  /** p99 seconds of the canary targets, `null`/`NaN` without data. */
  readonly canaryP99: number | null;
  /** p99 seconds of the stable targets. */
  readonly stableP99: number | null;
  /** Requests Fabio sent to the canary targets in the window. */
  readonly canaryRequests: number;
  /** Highest acceptable p99 in seconds. */
  readonly maxP99: number;
}

/**
 * The canary's p99 through Fabio against the stable targets'. Failing only when it is over
 * `maxP99` **and** more than half again the stable p99: a canary as slow as a slow stable version
 * is no regression, and one a little slower than a fast stable version is within the SLO.
 */
export function judgeLatency(figures: LatencyFigures): Judgement {
  const stable = figures.stableP99 !== null && Number.isFinite(figures.stableP99) ? figures.stableP99 : null;
  const thresholdMax = Math.max(figures.maxP99, stable === null ? 0 : stable * 1.5);
  const stableText = stable === null ? 'no stable data' : `stable ${ms(stable)}`;
  const canary = figures.canaryP99;
  if (canary === null || !Number.isFinite(canary) || figures.canaryRequests < MIN_LATENCY_SAMPLES) {
    const seen = canary === null || !Number.isFinite(canary) ? 'no canary latency data' : `canary ${ms(canary)}`;
    return { verdict: 'inconclusive', value: canary === null || Number.isNaN(canary) ? null : canary, thresholdMax, detail: `${seen} from ${count(figures.canaryRequests)} requests (fewer than ${MIN_LATENCY_SAMPLES} to judge a p99) vs ${stableText}` };
  }
  const verdict: Verdict = canary > thresholdMax ? 'failing' : 'ok';
  return { verdict, value: canary, thresholdMax, detail: `canary p99 ${ms(canary)} over ${count(figures.canaryRequests)} requests vs ${stableText}; bound ${ms(thresholdMax)}` };
}

function normalCdf(x: number): number {
  // Abramowitz–Stegun 7.1.26 erf approximation (|error| < 1.5e-7), plenty for a confidence level.
  const t = 1 / (1 + 0.3275911 * (Math.abs(x) / Math.SQRT2));
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

function clampShare(value: number): number {
  return Math.min(1, Math.max(0, value));
}

function pct(share: number): string {
  return `${Number((share * 100).toPrecision(3))} %`;
}

function ms(seconds: number): string {
  return seconds >= 1 ? `${Number(seconds.toPrecision(3))} s` : `${Number((seconds * 1000).toPrecision(3))} ms`;
}

function count(value: number): string {
  // increase() extrapolates: 49.7 requests means about 50.
  return String(Math.round(value));
}
