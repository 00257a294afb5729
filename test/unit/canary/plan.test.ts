import { describe, expect, it } from 'vitest';
import { describeCanaryPlan } from '../../../src/canary/describe.ts';
import { analysisSettings, analysisSpec, canaryPromotionOf, progressiveCanaryPlan, weightedService } from '../../../src/canary/plan.ts';
import { DEFAULT_CANARY_ANALYSIS } from '../../../src/config/environment.ts';
import { aGroup, anEnvironment, aService, aServiceJob } from '../validate/builders.ts';

const routed = aService({ name: 'api', routes: [{ path: '/api', strip: '/api' }] });
const progressiveEnv = anEnvironment({ promotion: { canary: 'progressive' }, prometheus: { address: 'http://prometheus:9090' } });

describe('canary promotion of a group', () => {
  it('is the group policy, else the job policy, else the environment, and undefined without canaries', () => {
    const env = anEnvironment({ promotion: { canary: 'auto' } });
    expect(canaryPromotionOf(aServiceJob({ update: { strategy: 'canary' } }), aGroup(), env)).toBe('auto');
    expect(canaryPromotionOf(aServiceJob({ update: { strategy: 'canary', promotion: 'progressive' } }), aGroup(), env)).toBe('progressive');
    const group = aGroup({ update: { strategy: 'canary', promotion: 'manual' } });
    expect(canaryPromotionOf(aServiceJob({ update: { strategy: 'canary', promotion: 'progressive' } }), group, env)).toBe('manual');
    expect(canaryPromotionOf(aServiceJob({ update: { strategy: 'rolling' } }), aGroup(), env)).toBeUndefined();
  });
});

describe('weightedService', () => {
  it('takes the first service with an HTTP route that routes canaries, with its route source', () => {
    const group = aGroup({ services: [aService({ name: 'db' }), aService({ name: 'off', routeCanaries: false, routes: [{ path: '/x' }] }), routed] });
    expect(weightedService(group)).toMatchObject({ service: { name: 'api' }, routeSource: '/api' });
    expect(weightedService(aGroup({ services: [aService({ name: 'www', routes: [{ host: 'WWW.Example.com', path: '/' }] })] }))?.routeSource).toBe('www.example.com/');
    expect(weightedService(aGroup({ services: [aService({ routes: [{ kind: 'tcp', port: 5432 }] })] }))).toBeUndefined();
  });
});

describe('progressiveCanaryPlan', () => {
  it('builds the steps and default gates from the environment', () => {
    const job = aServiceJob({ update: { strategy: 'canary' }, groups: [aGroup({ name: 'web', services: [routed] })] });
    const plan = progressiveCanaryPlan(job, progressiveEnv)!;
    expect(plan).toMatchObject({ group: 'web', service: 'api', routeSource: '/api', steps: [0.05, 0.25, 0.5] });
    expect(plan.analysis).toEqual({
      intervalMs: 30_000, count: 4, failureLimit: 0,
      gates: [
        { kind: 'error-ratio', name: 'error-ratio', service: 'api', maxExcess: 0.05, confidence: 0.9 },
        { kind: 'latency', name: 'p99-latency', service: 'api', maxP99Seconds: 0.5 },
      ],
    });
  });

  it('applies the job overrides over the environment, and the job metrics instead of the defaults', () => {
    const env = anEnvironment({ promotion: { canary: 'progressive', analysis: { interval: '10s', count: 2, maxErrorRatio: 0.01 } } });
    const update = { strategy: 'canary', analysis: { steps: [0.1, 1], count: 3, metrics: [{ name: 'orders', query: 'sum(rate(orders_failed[5m]))', max: 2 }] } };
    const plan = progressiveCanaryPlan(aServiceJob({ update, groups: [aGroup({ services: [routed] })] }), env)!;
    expect(plan.steps).toEqual([0.1, 1]);
    expect(plan.analysis).toEqual({ intervalMs: 10_000, count: 3, failureLimit: 0, gates: [{ kind: 'custom', name: 'orders', query: 'sum(rate(orders_failed[5m]))', thresholdMax: 2 }] });
  });

  it('is undefined for auto or manual canaries and for progressive groups without a route', () => {
    const auto = anEnvironment({ promotion: { canary: 'auto' } });
    expect(progressiveCanaryPlan(aServiceJob({ update: { strategy: 'canary' }, groups: [aGroup({ services: [routed] })] }), auto)).toBeUndefined();
    expect(progressiveCanaryPlan(aServiceJob({ update: { strategy: 'canary' } }), progressiveEnv)).toBeUndefined();
  });
});

describe('analysis settings', () => {
  it('layers drover defaults, environment, job', () => {
    expect(analysisSettings(undefined, {})).toEqual(DEFAULT_CANARY_ANALYSIS);
    expect(analysisSettings({ count: 2 }, { count: 5, window: '2m' })).toEqual({ ...DEFAULT_CANARY_ANALYSIS, count: 5, window: '2m' });
  });

  it('turns durations into milliseconds and seconds, and a window into a cap on the step window', () => {
    const spec = analysisSpec('api', { ...DEFAULT_CANARY_ANALYSIS, interval: '1m30s', maxP99Latency: '250ms', window: '2m' });
    expect(spec).toMatchObject({ intervalMs: 90_000, maxWindowMs: 120_000 });
    expect(spec.gates[1]).toEqual({ kind: 'latency', name: 'p99-latency', service: 'api', maxP99Seconds: 0.25 });
    expect(analysisSpec('api', DEFAULT_CANARY_ANALYSIS)).not.toHaveProperty('maxWindowMs');
  });
});

describe('describeCanaryPlan', () => {
  it('lists each step and the queries of every measurement with its range', () => {
    const env = anEnvironment({ promotion: { canary: 'progressive', analysis: { steps: [0.1, 0.5], interval: '2s', count: 3 } } });
    const plan = progressiveCanaryPlan(aServiceJob({ update: { strategy: 'canary' }, groups: [aGroup({ name: 'web', services: [routed] })] }), env)!;
    const lines = describeCanaryPlan('api', plan);
    expect(lines[0]).toBe('api: progressive canary of group "web" on api /api: 10 % → 50 %, then promote');
    expect(lines[1]).toBe('  each step: 3 measurements 2s apart (6s, up to 12s while evidence is thin); every gate\'s last one must be ok, one failing fails the canary');
    expect(lines.filter((l) => l.startsWith('    measurement'))).toEqual(['    measurement 1 (range 2s):', '    measurement 2 (range 4s):', '    measurement 3 (range 6s):']);
    expect(lines).toContain('      error-ratio: sum by (instance, code) (increase(http_requests_total{instance=~"$canary_instances|$stable_instances"}[4s]))');
    expect(lines.filter((l) => l.includes('p99-latency'))).toHaveLength(9);
  });
});
