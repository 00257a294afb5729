import type { Diagnostic, Location } from '../../diagnostic.ts';
import { at } from '../../diagnostic.ts';
import { problem } from '../../rule.ts';
import { DEFAULT_CANARY_ANALYSIS } from '../../../config/environment.ts';
import { toNanoseconds } from '../../../model/duration.ts';
import { durationProblems } from '../duration-format.ts';
import { isRecord, list, show } from './index.ts';

/** Prometheus's scrape interval when an environment does not say. */
export const DEFAULT_SCRAPE_INTERVAL = '15s';

/**
 * Checks progressive-canary settings wherever they are written (an environment's
 * `promotion.analysis`, a canary update policy's `analysis`): every field optional, every present
 * one sane. A job's `metrics` are checked too (the environment has none).
 */
export function canaryAnalysisProblems(rule: string, location: Location, analysis: unknown, options: { readonly metrics: boolean; readonly scrapeInterval?: unknown; readonly under?: unknown }): Diagnostic[] {
  if (analysis === undefined) return [];
  if (!isRecord(analysis)) return [problem(rule, location, `analysis ${show(analysis)} is not an object`, 'Write analysis as { steps, interval, count, failureLimit, maxErrorRatio, maxP99Latency, confidence, window }.')];
  const where = (...keys: (string | number)[]) => ({ file: location.file, path: keys.reduce<string>((path, key) => at(path, key), location.path) });
  const found: Diagnostic[] = [...durationProblems(rule, location, analysis, [['interval', false], ['maxP99Latency', false], ['window', false]])];
  found.push(...windowProblems(rule, where, analysis, options));
  if (analysis.steps !== undefined) {
    const steps = list(analysis.steps);
    if (!Array.isArray(analysis.steps) || steps.length === 0) found.push(problem(rule, where('steps'), `steps ${show(analysis.steps)} is not a non-empty list`, 'Write the traffic shares in order, e.g. [0.05, 0.25, 0.5].'));
    steps.forEach((step, i) => {
      if (typeof step !== 'number' || !(step > 0 && step <= 1)) found.push(problem(rule, where('steps', i), `step ${show(step)} is not a share in (0, 1]`, 'Write shares as fractions: 0.05 is 5 % of the route\'s traffic.'));
      else if (i > 0 && typeof steps[i - 1] === 'number' && step <= (steps[i - 1] as number)) found.push(problem(rule, where('steps', i), `step ${step} does not increase on ${show(steps[i - 1])}`, 'Each step must send more traffic to the canaries than the one before.'));
    });
  }
  for (const [key, min] of [['count', 1], ['failureLimit', 0]] as const) {
    const value = analysis[key];
    if (value !== undefined && !(Number.isInteger(value) && (value as number) >= min)) found.push(problem(rule, where(key), `${key} ${show(value)} is not a whole number ≥ ${min}`, `Set ${key} to ${min === 1 ? 'the measurements per step, e.g. 4' : 'the failing measurements tolerated, usually 0'}.`));
  }
  const confidence = analysis.confidence;
  if (confidence !== undefined && !(typeof confidence === 'number' && confidence >= 0.5 && confidence < 1)) found.push(problem(rule, where('confidence'), `confidence ${show(confidence)} is not in [0.5, 1)`, 'Write it as a fraction, e.g. 0.9: a verdict needs 90 % one-sided confidence.'));
  const ratio = analysis.maxErrorRatio;
  if (ratio !== undefined && !(typeof ratio === 'number' && ratio >= 0 && ratio <= 1)) found.push(problem(rule, where('maxErrorRatio'), `maxErrorRatio ${show(ratio)} is not a share in [0, 1]`, 'Write it as a fraction: 0.05 allows 5 % of answers to be 5xx.'));
  if (!options.metrics) {
    if (analysis.metrics !== undefined) found.push(problem(rule, where('metrics'), 'metrics belong to a job\'s canary update policy, not to the environment', 'Move the queries to the job\'s update.analysis.metrics.'));
    return found;
  }
  const names = new Set<string>();
  list(analysis.metrics).forEach((metric, i) => {
    if (!isRecord(metric)) return void found.push(problem(rule, where('metrics', i), `metric ${show(metric)} is not an object`, 'Write { name, query, max }.'));
    if (typeof metric.name !== 'string' || !/^[a-z0-9][a-z0-9_-]*$/.test(metric.name)) found.push(problem(rule, where('metrics', i, 'name'), `metric name ${show(metric.name)} is not a short id`, 'Use lower-case letters, digits, "-" and "_", e.g. "checkout-errors".'));
    else if (names.has(metric.name)) found.push(problem(rule, where('metrics', i, 'name'), `metric name "${metric.name}" is used twice`, 'Give each gate its own name.'));
    else names.add(metric.name);
    if (typeof metric.query !== 'string' || metric.query.trim() === '') found.push(problem(rule, where('metrics', i, 'query'), 'query is empty', 'Write a PromQL instant query that answers one number.'));
    if (typeof metric.max !== 'number' || !Number.isFinite(metric.max)) found.push(problem(rule, where('metrics', i, 'max'), `max ${show(metric.max)} is not a number`, 'Set the highest acceptable value of the query.'));
  });
  return found;
}

/**
 * Every query of a step looks only at the time spent at the step, so that time must hold at least
 * two scrapes at the first measurement (`interval` ≥ 2 × scrape interval: `rate()` needs two
 * samples), and a `window` cap can be neither shorter than two scrapes nor longer than the step.
 * `under` is what the written settings sit on (the environment's, for a job's).
 */
function windowProblems(rule: string, where: (...keys: string[]) => Location, analysis: Record<string, unknown>, options: { readonly scrapeInterval?: unknown; readonly under?: unknown }): Diagnostic[] {
  const scrape = nanos(options.scrapeInterval ?? DEFAULT_SCRAPE_INTERVAL);
  if (scrape === undefined) return [];
  const under = isRecord(options.under) ? options.under : {};
  const interval = nanos(analysis.interval ?? under.interval ?? DEFAULT_CANARY_ANALYSIS.interval);
  const count = [analysis.count, under.count, DEFAULT_CANARY_ANALYSIS.count].find((c) => typeof c === 'number') as number;
  const scrapeText = String(options.scrapeInterval ?? DEFAULT_SCRAPE_INTERVAL);
  const found: Diagnostic[] = [];
  if (analysis.interval !== undefined && interval !== undefined && interval < 2 * scrape) {
    found.push(problem(rule, where('interval'), `interval ${show(analysis.interval)} is shorter than two scrapes (${scrapeText} each): the first measurement of a step would see at most one sample`, `Set interval to at least ${2 * scrape / 1e9}s, or tell drover a shorter prometheus.scrapeInterval if Prometheus scrapes faster.`));
  }
  const window = analysis.window === undefined ? undefined : nanos(analysis.window);
  if (window !== undefined && window < 2 * scrape) {
    found.push(problem(rule, where('window'), `window ${show(analysis.window)} is shorter than two scrapes (${scrapeText} each): rate() needs two samples`, `Set window to at least ${2 * scrape / 1e9}s, or leave it out: the window is then the whole time at the step.`));
  }
  if (window !== undefined && interval !== undefined && window > interval * count) {
    found.push(problem(rule, where('window'), `window ${show(analysis.window)} is longer than a step (${count} × ${String(analysis.interval ?? under.interval ?? DEFAULT_CANARY_ANALYSIS.interval)}): it could never be filled with traffic of the step`, 'Leave window out (the whole time at the step) or make it at most interval × count.'));
  }
  return found;
}

function nanos(value: unknown): number | undefined {
  return typeof value === 'string' ? toNanoseconds(value) : undefined;
}
