import { describe, expect, it } from 'vitest';
import { updateCanariesRule } from '../../../src/validate/rules/update-canaries.ts';
import { updateCanaryPromotionRule } from '../../../src/validate/rules/update-canary-promotion.ts';
import { updateDeadlinesRule } from '../../../src/validate/rules/update-deadlines.ts';
import { updateJobKindRule } from '../../../src/validate/rules/update-job-kind.ts';
import { updateMaxParallelRule } from '../../../src/validate/rules/update-max-parallel.ts';
import { aBatchJob, aGroup, anEnvironment, aServiceJob, aSystemJob, error, run, where } from './builders.ts';

const canary = (extra: Record<string, unknown> = {}) => ({ strategy: 'canary', ...extra });

describe('update/canary-promotion', () => {
  const noPromotion = { ...anEnvironment(), promotion: { confirm: false, prune: false } } as never;

  it('accepts promotion from the policy or from the environment', () => {
    expect(run(updateCanaryPromotionRule, aServiceJob({ update: canary() }))).toEqual([]);
    expect(run(updateCanaryPromotionRule, aServiceJob({ update: canary({ promotion: 'auto' }) }), { env: noPromotion })).toEqual([]);
  });

  it('reports a canary policy when neither the policy nor the environment says how to promote', () => {
    const job = aServiceJob({ update: canary(), groups: [aGroup({ update: canary() })] });
    expect(where(run(updateCanaryPromotionRule, job, { env: noPromotion }))).toEqual([error('update/canary-promotion', 'update.promotion'), error('update/canary-promotion', 'groups[0].update.promotion')]);
  });

  it('reports an unknown promotion mode', () => {
    expect(where(run(updateCanaryPromotionRule, aServiceJob({ update: canary({ promotion: 'yes' }) })))).toEqual([error('update/canary-promotion', 'update.promotion')]);
  });
});

describe('update/canaries', () => {
  it('reports fewer than one canary, and canaries on system jobs', () => {
    expect(where(run(updateCanariesRule, aServiceJob({ update: canary({ canaries: 0 }) })))).toEqual([error('update/canaries', 'update.canaries')]);
    expect(where(run(updateCanariesRule, aServiceJob({ groups: [aGroup({ update: canary({ canaries: 1.5 }) })] })))).toEqual([error('update/canaries', 'groups[0].update.canaries')]);
    expect(where(run(updateCanariesRule, aSystemJob({ update: canary() })))).toEqual([error('update/canaries', 'update.strategy', 'jobs/agent.ts')]);
  });
});

describe('update/max-parallel', () => {
  it('flags 0 (deployments disabled) and non-integers', () => {
    const job = aServiceJob({ update: { strategy: 'rolling', maxParallel: 0 }, groups: [aGroup({ update: { strategy: 'rolling', maxParallel: '2' } })] });
    const found = run(updateMaxParallelRule, job);
    expect(where(found)).toEqual([error('update/max-parallel', 'update.maxParallel'), error('update/max-parallel', 'groups[0].update.maxParallel')]);
    expect(found[0]?.message).toContain('disables deployments');
  });
});

describe('update/deadlines', () => {
  const rolling = (extra: Record<string, unknown>) => aServiceJob({ update: { strategy: 'rolling', ...extra } });

  it('accepts Nomad defaults and progressDeadline 0', () => {
    expect(run(updateDeadlinesRule, rolling({}))).toEqual([]);
    expect(run(updateDeadlinesRule, rolling({ healthyDeadline: '20m', progressDeadline: '0' }))).toEqual([]);
  });

  it('reports healthyDeadline not longer than minHealthyTime', () => {
    expect(where(run(updateDeadlinesRule, rolling({ minHealthyTime: '5m' })))).toEqual([error('update/deadlines', 'update.healthyDeadline')]);
    expect(where(run(updateDeadlinesRule, rolling({ minHealthyTime: '1m', healthyDeadline: '30s' })))).toEqual([error('update/deadlines', 'update.healthyDeadline')]);
  });

  it('reports progressDeadline not longer than healthyDeadline (default 10m counts)', () => {
    expect(where(run(updateDeadlinesRule, rolling({ healthyDeadline: '10m' })))).toEqual([error('update/deadlines', 'update.progressDeadline')]);
  });
});

describe('update/job-kind', () => {
  it('reports update policies on batch jobs', () => {
    const job = aBatchJob({ update: { strategy: 'rolling' } });
    expect(where(run(updateJobKindRule, job))).toEqual([error('update/job-kind', 'update', 'jobs/report.ts')]);
    expect(run(updateJobKindRule, aSystemJob({ update: { strategy: 'rolling' } }))).toEqual([]);
  });
});
