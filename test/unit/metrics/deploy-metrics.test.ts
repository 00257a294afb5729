import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createDeployMetrics } from '../../../src/metrics/deploy-metrics.ts';

/** The value of `name` for exactly `labels`, or undefined. */
async function valueOf(registry: Registry, name: string, labels: Record<string, string>): Promise<number | undefined> {
  const metric = registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();
  return values.find((v) => JSON.stringify(v.labels) === JSON.stringify(labels))?.value;
}

describe('deploy metrics', () => {
  it('describe the run from its events: release, job outcomes and versions, verification, canaries, exit code and duration', async () => {
    const registry = new Registry();
    const metrics = createDeployMetrics(registry, { env: 'prod', startedAtMs: 1_000_000 });
    metrics.observe({ type: 'deploy-started', env: 'prod', release: 'r-1', waves: [['api', 'www']] });
    metrics.observe({ type: 'canary-analysis-failed', job: 'api', step: 2, weight: 0.25, metric: 'error-ratio', query: 'q', value: 0.4, thresholdMax: 0.05, reason: 'r' });
    metrics.observe({ type: 'canary-promoted', job: 'www', deploymentId: 'd2' });
    metrics.observe({ type: 'release-verified', release: 'r-1', env: 'qa' });
    metrics.observe({
      type: 'deploy-finished',
      env: 'prod',
      exitCode: 1,
      results: [
        { job: 'api', outcome: { status: 'failed', version: 4, reason: 'canary', runningVersion: 5 } },
        { job: 'www', outcome: { status: 'succeeded', version: 2 } },
        { job: 'db', outcome: { status: 'unchanged', version: 7 } },
        { job: 'old', outcome: { status: 'skipped', reason: 'dependency failed' } },
      ],
    });
    metrics.finish(1, 1_012_500);

    expect(await valueOf(registry, 'drover_deploy_last_exit_code', { env: 'prod' })).toBe(1);
    expect(await valueOf(registry, 'drover_deploy_last_run_timestamp_seconds', { env: 'prod' })).toBe(1012.5);
    expect(await valueOf(registry, 'drover_deploy_last_duration_seconds', { env: 'prod' })).toBe(12.5);
    expect(await valueOf(registry, 'drover_deploy_last_release_info', { env: 'prod', release: 'r-1' })).toBe(1);
    expect(await valueOf(registry, 'drover_release_last_verified', { env: 'qa', release: 'r-1' })).toBe(1);
    for (const [outcome, count] of Object.entries({ succeeded: 1, unchanged: 1, failed: 1, skipped: 1, 'awaiting-promotion': 0, 'placement-failed': 0 })) {
      expect(await valueOf(registry, 'drover_deploy_last_jobs', { env: 'prod', outcome }), outcome).toBe(count);
    }
    // A failed job reports the version Nomad went back to; a skipped one has none.
    expect(await valueOf(registry, 'drover_deploy_last_job_version', { env: 'prod', job: 'api' })).toBe(5);
    expect(await valueOf(registry, 'drover_deploy_last_job_version', { env: 'prod', job: 'db' })).toBe(7);
    expect(await valueOf(registry, 'drover_deploy_last_job_version', { env: 'prod', job: 'old' })).toBeUndefined();
    expect(await valueOf(registry, 'drover_canary_last_outcome', { env: 'prod', job: 'api', outcome: 'failed' })).toBe(1);
    expect(await valueOf(registry, 'drover_canary_last_outcome', { env: 'prod', job: 'www', outcome: 'promoted' })).toBe(1);
  });

  it('reports no running version for a job whose auto-revert waits for promotion, and each of its versions by role', async () => {
    const registry = new Registry();
    const metrics = createDeployMetrics(registry, { env: 'prod', startedAtMs: 0 });
    metrics.observe({
      type: 'deploy-finished',
      env: 'prod',
      exitCode: 1,
      results: [
        { job: 'api', outcome: { status: 'failed', version: 5, reason: 'crashed; reverted to version 4 (as version 6), whose canary waits for promotion', revert: { toVersion: 4, version: 6, deploymentId: 'd-revert' } } },
        { job: 'www', outcome: { status: 'failed', version: 3, reason: 'crashed', runningVersion: 2 } },
      ],
    });

    // Version 5's promoted canary serves beside the revert's canary: neither is "the" running version.
    expect(await valueOf(registry, 'drover_deploy_last_job_version', { env: 'prod', job: 'api' })).toBeUndefined();
    expect(await valueOf(registry, 'drover_deploy_last_revert_pending_version', { env: 'prod', job: 'api', role: 'failed' })).toBe(5);
    expect(await valueOf(registry, 'drover_deploy_last_revert_pending_version', { env: 'prod', job: 'api', role: 'revert' })).toBe(6);
    expect(await valueOf(registry, 'drover_deploy_last_revert_pending_version', { env: 'prod', job: 'api', role: 'reverted-to' })).toBe(4);
    expect(await valueOf(registry, 'drover_deploy_last_jobs', { env: 'prod', outcome: 'failed' })).toBe(2);
    // A revert that completed is a running version like any other, and has no pending series.
    expect(await valueOf(registry, 'drover_deploy_last_job_version', { env: 'prod', job: 'www' })).toBe(2);
    expect((await registry.getSingleMetric('drover_deploy_last_revert_pending_version')!.get()).values.map((v) => v.labels['job'])).toEqual(['api', 'api', 'api']);
  });

  it('writes no pending-revert series when no revert waits', async () => {
    const registry = new Registry();
    const metrics = createDeployMetrics(registry, { env: 'qa', startedAtMs: 0 });
    metrics.observe({ type: 'deploy-finished', env: 'qa', exitCode: 0, results: [{ job: 'api', outcome: { status: 'succeeded', version: 1 } }] });
    expect(await registry.metrics()).not.toMatch(/drover_deploy_last_revert_pending_version\{/);
  });

  it('still reports every outcome as 0 and the exit code when the run never started deploying', async () => {
    const registry = new Registry();
    createDeployMetrics(registry, { env: 'qa', startedAtMs: 0 }).finish(4, 2_000);
    expect(await valueOf(registry, 'drover_deploy_last_exit_code', { env: 'qa' })).toBe(4);
    expect(await valueOf(registry, 'drover_deploy_last_jobs', { env: 'qa', outcome: 'failed' })).toBe(0);
    expect(await registry.metrics()).not.toMatch(/drover_deploy_last_release_info\{/);
  });
});
