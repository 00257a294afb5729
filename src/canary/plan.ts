/**
 * Which jobs get a progressive canary, and with what: pure functions over the job and the
 * environment, so `deploy` and validation agree on the answer.
 */
import { DEFAULT_CANARY_ANALYSIS, type CanaryAnalysisSettings, type CanaryPromotion, type Environment } from '../config/environment.ts';
import { toNanoseconds } from '../model/duration.ts';
import type { GroupSpec, JobSpec } from '../model/job.ts';
import type { CanaryAnalysisOverrides, UpdatePolicy } from '../model/policies.ts';
import type { ServiceSpec } from '../model/service.ts';
import { routeSource } from '../render/fabio-tags.ts';
import type { AnalysisSpec } from './analysis.ts';
import type { Gate } from './gates.ts';

/** What `runProgressiveCanary` needs for one job, minus the clients. */
export interface ProgressiveCanaryPlan {
  /** Group whose canaries are weighted. */
  readonly group: string;
  /** Consul service name of the weighted route. */
  readonly service: string;
  /** Route source as in the urlprefix tag: `/api` or `www.example.com/`. */
  readonly routeSource: string;
  readonly steps: readonly number[];
  readonly analysis: AnalysisSpec;
}

/** A group's update policy as the renderer applies it: its own, else the job's. */
export function effectiveUpdate(job: JobSpec, group: GroupSpec): UpdatePolicy | undefined {
  return group.update ?? job.update;
}

/** The promotion mode of a group's canaries, or `undefined` when the group deploys none. */
export function canaryPromotionOf(job: JobSpec, group: GroupSpec, env: Environment): CanaryPromotion | undefined {
  const update = effectiveUpdate(job, group);
  if (update?.strategy !== 'canary') return undefined;
  return update.promotion ?? env.promotion.canary;
}

/** The service whose route the canary traffic is weighted on: the group's first with an HTTP route that routes canaries. */
export function weightedService(group: GroupSpec): { readonly service: ServiceSpec; readonly routeSource: string } | undefined {
  for (const service of group.services ?? []) {
    if (service.routeCanaries === false) continue;
    const route = (service.routes ?? []).find((r) => r.kind === undefined || r.kind === 'http');
    if (route && route.kind !== 'tcp' && route.kind !== 'redirect') return { service, routeSource: routeSource(route.host, route.path) };
  }
  return undefined;
}

/**
 * The progressive canary of a job: its first group whose canaries are promoted `progressive` and
 * that has a routed service. `undefined` when the job has none (its canaries follow `auto` or
 * `manual`); a progressive group without a route is a validation error (`update/progressive-canary`).
 */
export function progressiveCanaryPlan(job: JobSpec, env: Environment): ProgressiveCanaryPlan | undefined {
  for (const group of job.groups) {
    if (canaryPromotionOf(job, group, env) !== 'progressive') continue;
    const routed = weightedService(group);
    if (!routed) continue;
    const update = effectiveUpdate(job, group);
    const overrides: CanaryAnalysisOverrides = (update?.strategy === 'canary' && update.analysis) || {};
    const settings = analysisSettings(env.promotion.analysis, overrides);
    return {
      group: group.name,
      service: routed.service.name,
      routeSource: routed.routeSource,
      steps: settings.steps,
      analysis: analysisSpec(routed.service.name, settings, overrides),
    };
  }
  return undefined;
}

/** The environment's settings with the job's overrides on top (drover's defaults under both). */
export function analysisSettings(env: Partial<CanaryAnalysisSettings> | undefined, job: CanaryAnalysisOverrides): CanaryAnalysisSettings {
  const { metrics: _metrics, ...own } = job;
  return { ...DEFAULT_CANARY_ANALYSIS, ...env, ...own };
}

/** The `AnalysisSpec` of `runAnalysis`: the job's own gates, else the default ones judging the canary against the stable instances. */
export function analysisSpec(service: string, settings: CanaryAnalysisSettings, overrides: CanaryAnalysisOverrides = {}): AnalysisSpec {
  const gates: Gate[] = overrides.metrics?.length ? overrides.metrics.map((m) => ({ kind: 'custom', name: m.name, query: m.query, thresholdMax: m.max })) : defaultGates(service, settings);
  return {
    intervalMs: Math.round(nanos(settings.interval) / 1e6),
    count: settings.count,
    failureLimit: settings.failureLimit,
    ...(settings.window === undefined ? {} : { maxWindowMs: Math.round(nanos(settings.window) / 1e6) }),
    gates,
  };
}

/** The default gates: the canary's own 5xx ratio and its p99 through Fabio, each against the stable instances. */
export function defaultGates(service: string, settings: Pick<CanaryAnalysisSettings, 'maxErrorRatio' | 'maxP99Latency' | 'confidence'>): Gate[] {
  return [
    { kind: 'error-ratio', name: 'error-ratio', service, maxExcess: settings.maxErrorRatio, confidence: settings.confidence },
    { kind: 'latency', name: 'p99-latency', service, maxP99Seconds: nanos(settings.maxP99Latency) / 1e9 },
  ];
}

function nanos(duration: string): number {
  const value = toNanoseconds(duration);
  if (value === undefined) throw new RangeError(`"${duration}" is not a duration`);
  return value;
}
