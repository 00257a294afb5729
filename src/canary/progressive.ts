/**
 * Traffic-weighted canaries gated by Prometheus, on top of Nomad's own canaries: Nomad places the
 * canaries and keeps the deployment waiting for promotion; drover shifts a growing share of the
 * route to them through a Fabio weight rule, measures, and then promotes or fails the deployment
 * (auto_revert rolls back). The weight rule is deleted on every way out, an abort included.
 *
 * Order on the way out. Failing: Nomad is told first, then the rule is deleted (deleting first
 * would hand the failing canaries an even share of the traffic, Fabio's default without a weight,
 * until Nomad stopped them). Promoting: the rule is deleted first, then Nomad promotes. A promote
 * takes the `canary` tag off the instances, after which Fabio finds no target for the rule and
 * logs `weight command … no target match` on every table rebuild until the key goes; deleting
 * first leaves the passed canaries an even share for the moment before the promote, which the
 * analysis has just judged safe at a larger share.
 */
import type { ConsulClient } from '../clients/consul/index.ts';
import type { NomadClient } from '../clients/nomad/index.ts';
import type { PrometheusClient } from '../clients/prometheus/index.ts';
import { runAnalysis, type AnalysisSpec, type StepDecision } from './analysis.ts';
import { canaryTargetsResolver } from './targets.ts';
import type { CanaryEvent, CanaryOutcome } from './events.ts';
import { canaryRuleKey, removeWeightRule, renderWeightRule, writeWeightRule } from './fabio-weights.ts';

/** Default traffic shares of the canaries, step by step. */
export const DEFAULT_CANARY_STEPS: readonly number[] = [0.05, 0.25, 0.5];

/** Options of {@link runProgressiveCanary}. */
export interface ProgressiveCanaryOptions {
  readonly nomad: Pick<NomadClient, 'deployments'>;
  readonly consul: Pick<ConsulClient, 'kv' | 'catalog'>;
  readonly prometheus: Pick<PrometheusClient, 'query'>;
  readonly env: string;
  /** Nomad job ID. */
  readonly job: string;
  /** Task group whose canaries are weighted (its `PlacedCanaries` name the canary instances). */
  readonly group: string;
  /** Consul service name of the routed service (Fabio's `service` label and route service). */
  readonly service: string;
  /** Route source as in its urlprefix tag, e.g. `/api` or `shop.example.com/api`. */
  readonly routeSource: string;
  /** The deployment whose canaries are healthy and waiting for promotion. */
  readonly deploymentId: string;
  /** Canary traffic shares, increasing, each in (0, 1]. @default [0.05, 0.25, 0.5] */
  readonly steps?: readonly number[];
  readonly analysis: AnalysisSpec;
  readonly report: (event: CanaryEvent) => void;
  /** Aborting stops the canary at once; the rule is still deleted, the deployment left as it is. */
  readonly signal: AbortSignal;
  /** @default Date.now */
  readonly now?: () => number;
  /** Bound on deleting the rule while unwinding. @default 5000 */
  readonly cleanupTimeoutMs?: number;
}

type Failed = Extract<StepDecision, { type: 'fail' }>;
/** How the steps ended, before the rule is deleted: every step passed, or a failed outcome. */
type Body = { readonly status: 'passed' } | Omit<Extract<CanaryOutcome, { status: 'failed' }>, 'ruleRemoved'>;

/**
 * Runs the canary to promotion or failure. Resolves with the outcome (a failed analysis is an
 * outcome, not an error); rejects with the signal's reason on abort and with the error of a
 * Nomad or Consul call that failed — in every case after deleting the weight rule.
 *
 * @example
 * const outcome = await runProgressiveCanary({ nomad, consul, prometheus, env: 'prod', job: 'api', group: 'api',
 *   service: 'api', routeSource: '/api', deploymentId, analysis, report, signal });
 * // outcome.status === 'failed': outcome.reason says what the canary did against the stable instances
 */
export async function runProgressiveCanary(options: ProgressiveCanaryOptions): Promise<CanaryOutcome> {
  const steps = checkSteps(options.steps ?? DEFAULT_CANARY_STEPS);
  const target = { env: options.env, job: options.job };
  const key = canaryRuleKey(target);
  // Render every rule before touching anything, so a bad service or route fails with nothing written.
  const rules = steps.map((weight) => renderWeightRule({ service: options.service, routeSource: options.routeSource, weight }));
  options.report({ type: 'canary-started', env: options.env, job: options.job, deploymentId: options.deploymentId, steps, key });
  let ruleRemoved = false;
  try {
    const body = await walkSteps(options, steps, rules);
    if (body.status === 'passed') {
      ruleRemoved = await removeRule(options, key);
      await options.nomad.deployments.promote(options.deploymentId, { all: true }, { signal: options.signal });
      options.report({ type: 'canary-promoted', job: options.job, deploymentId: options.deploymentId });
      return { status: 'promoted', deploymentId: options.deploymentId, weights: steps, ruleRemoved };
    }
    ruleRemoved = await removeRule(options, key);
    return { ...body, ruleRemoved };
  } catch (error) {
    if (!ruleRemoved) await removeRule(options, key);
    throw error;
  }
}

async function walkSteps(options: ProgressiveCanaryOptions, steps: readonly number[], rules: readonly string[]): Promise<Body> {
  const { job, signal } = options;
  const target = { env: options.env, job };
  const targets = canaryTargetsResolver({ nomad: options.nomad, consul: options.consul, deploymentId: options.deploymentId, group: options.group, service: options.service });
  for (const [i, weight] of steps.entries()) {
    const step = i + 1;
    const key = await writeWeightRule(options.consul, target, rules[i]!, { signal });
    options.report({ type: 'canary-weight-set', job, step, of: steps.length, weight, key, rule: rules[i]!, intervalMs: options.analysis.intervalMs, count: options.analysis.count });
    const decision = await runAnalysis({
      prometheus: options.prometheus,
      spec: options.analysis,
      service: options.service,
      targets,
      signal,
      ...(options.now ? { now: options.now } : {}),
      onMeasurement: (m) => options.report({ type: 'canary-measured', job, step, metric: m.metric, scope: m.scope, windowSeconds: m.windowSeconds, value: m.value, thresholdMax: m.thresholdMax, verdict: m.verdict, detail: m.detail }),
    });
    if (decision.type === 'fail') return failDeployment(options, step, weight, decision);
    options.report({ type: 'canary-step-passed', job, step, weight });
  }
  return { status: 'passed' };
}

async function failDeployment(options: ProgressiveCanaryOptions, step: number, weight: number, decision: Failed): Promise<Body> {
  const { job, deploymentId } = options;
  const { metric, query, value, thresholdMax, reason } = decision;
  options.report({ type: 'canary-analysis-failed', job, step, weight, metric, query, value, thresholdMax, reason });
  const failRequestedAtMs = (options.now ?? Date.now)();
  // No signal: once the revert is decided it is carried out, even if Ctrl-C arrives meanwhile.
  const response = await options.nomad.deployments.fail(deploymentId, { timeoutMs: options.cleanupTimeoutMs ?? 5000 });
  const timings = { thresholdCrossedAtMs: decision.firstFailingAtMs, failRequestedAtMs, crossingToFailRequestMs: failRequestedAtMs - decision.firstFailingAtMs };
  options.report({ type: 'canary-deployment-failed', job, deploymentId, revertedToVersion: response.RevertedJobVersion, timings });
  return { status: 'failed', deploymentId, step, weight, metric, query, value, thresholdMax, reason, revertedToVersion: response.RevertedJobVersion, timings };
}

/** Deletes the rule without the (possibly aborted) signal; reports instead of throwing, so the real outcome or error survives. */
async function removeRule(options: ProgressiveCanaryOptions, key: string): Promise<boolean> {
  try {
    await removeWeightRule(options.consul, { env: options.env, job: options.job }, { timeoutMs: options.cleanupTimeoutMs ?? 5000 });
    options.report({ type: 'canary-rule-removed', job: options.job, key });
    return true;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    options.report({ type: 'canary-rule-left', job: options.job, key, reason, hint: `Canary traffic stays weighted until the key is deleted: run \`consul kv delete ${key}\`.` });
    return false;
  }
}

function checkSteps(steps: readonly number[]): readonly number[] {
  if (steps.length === 0) throw new RangeError('a progressive canary needs at least one step');
  steps.forEach((w, i) => {
    if (!(w > 0 && w <= 1)) throw new RangeError(`step ${i + 1}: weight ${w} is not in (0, 1]`);
    if (i > 0 && w <= steps[i - 1]!) throw new RangeError(`step ${i + 1}: weight ${w} does not increase`);
  });
  return steps;
}
