import { describe, expect, it } from 'vitest';
import { validateEnvironment } from '../../../src/validate/rules/environment.ts';
import { updateProgressiveCanaryRule } from '../../../src/validate/rules/update-progressive-canary.ts';
import { aGroup, anEnvironment, anEnvironmentWith, aService, aServiceJob, error, run, where } from './builders.ts';

const RULE = 'update/progressive-canary';
const routed = aService({ routes: [{ path: '/app' }] });
const withPrometheus = anEnvironment({ prometheus: { address: 'http://prometheus:9090' } });
const progressive = (analysis?: unknown) => ({ strategy: 'canary', promotion: 'progressive', ...(analysis === undefined ? {} : { analysis }) });

describe('update/progressive-canary', () => {
  it('accepts a progressive canary on a routed service with a Prometheus', () => {
    expect(run(updateProgressiveCanaryRule, aServiceJob({ update: progressive(), groups: [aGroup({ services: [routed] })] }), { env: withPrometheus })).toEqual([]);
  });

  it('needs a service with an HTTP route that routes canaries', () => {
    const off = aService({ routes: [{ path: '/app' }], routeCanaries: false });
    expect(where(run(updateProgressiveCanaryRule, aServiceJob({ update: progressive(), groups: [aGroup({ services: [off] })] }), { env: withPrometheus }))).toEqual([error(RULE, 'groups[0].services')]);
  });

  it('needs a Prometheus in the environment, reported once', () => {
    const job = aServiceJob({ update: progressive(), groups: [aGroup({ services: [routed] }), aGroup({ name: 'b', services: [routed] })] });
    expect(where(run(updateProgressiveCanaryRule, job))).toEqual([error(RULE, 'groups[0]')]);
  });

  it('checks every analysis setting where it is written', () => {
    const analysis = { steps: [0.5, 0.25, 2], count: 0, failureLimit: -1, maxErrorRatio: 5, interval: 'soon', metrics: [{ name: 'x', query: '', max: 'high' }, { name: 'x', query: 'up', max: 1 }] };
    const found = where(run(updateProgressiveCanaryRule, aServiceJob({ update: progressive(analysis), groups: [aGroup({ services: [routed] })] }), { env: withPrometheus }));
    expect(found.map((d) => d.path).sort()).toEqual([
      'update.analysis.count',
      'update.analysis.failureLimit',
      'update.analysis.interval',
      'update.analysis.maxErrorRatio',
      'update.analysis.metrics[0].max',
      'update.analysis.metrics[0].query',
      'update.analysis.metrics[1].name',
      'update.analysis.steps[1]',
      'update.analysis.steps[2]',
    ]);
  });
});

describe('env/promotion with progressive canaries', () => {
  const FILE = 'environments/qa.ts';
  const check = (path: string, value: unknown) => where(validateEnvironment(anEnvironmentWith(path, value), FILE));
  it('accepts "progressive" only with a prometheus.address', () => {
    expect(check('promotion.canary', 'progressive')).toEqual([{ rule: 'env/promotion', severity: 'error', file: FILE, path: 'prometheus.address' }]);
    expect(check('promotion.canary', 'gradual')).toEqual([{ rule: 'env/promotion', severity: 'error', file: FILE, path: 'promotion.canary' }]);
  });

  it('rejects job-only settings and bad values in promotion.analysis', () => {
    expect(check('promotion.analysis', { steps: [], metrics: [] }).map((d) => d.path).sort()).toEqual(['promotion.analysis.metrics', 'promotion.analysis.steps']);
  });

  it('rejects a confidence outside [0.5, 1)', () => {
    expect(check('promotion.analysis', { confidence: 1 }).map((d) => d.path)).toEqual(['promotion.analysis.confidence']);
    expect(check('promotion.analysis', { confidence: 0.95 })).toEqual([]);
  });
});

describe('step windows against the scrape interval', () => {
  const FILE = 'environments/prod.ts';
  const problems = (analysis: unknown, scrapeInterval?: string) => {
    const env = anEnvironmentWith('promotion.analysis', analysis) as unknown as Record<string, unknown>;
    const prometheus = { address: 'http://prometheus:9090', ...(scrapeInterval ? { scrapeInterval } : {}) };
    return validateEnvironment({ ...env, prometheus } as never, FILE).filter((d) => d.rule === 'env/promotion');
  };

  it('rejects an interval in which the first measurement of a step sees fewer than two scrapes', () => {
    const [found] = problems({ interval: '20s' });
    expect(found).toMatchObject({ location: { file: FILE, path: 'promotion.analysis.interval' }, message: 'interval "20s" is shorter than two scrapes (15s each): the first measurement of a step would see at most one sample' });
    expect(found?.hint).toContain('at least 30s');
    expect(problems({ interval: '2s' }, '1s')).toEqual([]);
  });

  it('rejects a window shorter than two scrapes or longer than the step', () => {
    expect(where(problems({ window: '10s' })).map((d) => d.path)).toEqual(['promotion.analysis.window']);
    const [tooLong] = problems({ interval: '30s', count: 2, window: '2m' });
    expect(tooLong?.message).toBe('window "2m" is longer than a step (2 × 30s): it could never be filled with traffic of the step');
    expect(problems({ window: '1m' })).toEqual([]);
  });

  it('checks a job\'s settings on top of the environment\'s', () => {
    const env = anEnvironment({ prometheus: { address: 'http://prometheus:9090', scrapeInterval: '5s' }, promotion: { canary: 'progressive', analysis: { interval: '10s', count: 2 } } });
    const found = where(run(updateProgressiveCanaryRule, aServiceJob({ update: progressive({ window: '30s' }), groups: [aGroup({ services: [routed] })] }), { env }));
    expect(found).toEqual([error(RULE, 'update.analysis.window')]);
  });
});
