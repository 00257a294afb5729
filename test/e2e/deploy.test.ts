import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { formatEvent } from '../../src/report/formatters.ts';
import { createStyle } from '../../src/report/style.ts';
import type { RunningSandbox } from '../../src/sandbox/server.ts';
import type { NomadDeployment, NomadJobRead } from '../../src/wire/nomad-api.ts';
import { nomadGet, runAgainst, sandboxFor } from '../support/sandbox.ts';
import { tempProject } from '../support/temp-project.ts';

const SHA = '2222222222222222222222222222222222222222';

describe('drover deploy against the sandbox', { timeout: 30_000 }, () => {
  let project: { dir: string; cleanup: () => Promise<void> };
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    project = await tempProject({ environments: 'standalone' });
  });
  afterAll(async () => project.cleanup());
  beforeEach(async () => {
    sandbox = await sandboxFor('qa');
  });
  afterEach(async () => sandbox.close());

  const deploy = (...argv: string[]) => runAgainst(sandbox, ['deploy', 'qa', '--git-sha', SHA, ...argv], { cwd: project.dir });
  /** Changes the api image tag, which makes a new job version. */
  const bumpApi = async (tag: string) => {
    const file = join(project.dir, 'jobs/api.ts');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace(/example-shop\/api:[^']+'/, `example-shop/api:${tag}'`));
  };

  it('deploys every example job in dependency order and exits 0', async () => {
    const result = await deploy();
    expect(result.code, result.stderr).toBe(0);
    const registered = result.events.filter((e) => e.type === 'job-registered').map((e) => (e as { job: string }).job);
    expect(registered.indexOf('postgres')).toBeLessThan(registered.indexOf('api'));
    expect(registered.indexOf('api')).toBeLessThan(registered.indexOf('www'));
    const finished = result.events.filter((e) => e.type === 'job-finished');
    expect(finished).toHaveLength(8);
    for (const e of finished) expect(e.type === 'job-finished' && e.outcome.status).toBe('succeeded');
  });

  it('registers nothing on a no-op redeploy', async () => {
    expect((await deploy()).code).toBe(0);
    const again = await deploy();
    expect(again.code).toBe(0);
    expect(again.events.filter((e) => e.type === 'job-registered')).toEqual([]);
    expect(again.events.filter((e) => e.type === 'job-finished').every((e) => e.type === 'job-finished' && e.outcome.status === 'unchanged')).toBe(true);
  });

  it('fails fast on an image pull failure, rolls back, and names job, group, allocation, task, event and message', async () => {
    await bumpApi('1.8.2');
    expect((await deploy('--job', 'api')).code).toBe(0);
    await bumpApi('9.9.9-missing');
    sandbox.admin.setScenario({ jobId: 'api', namespace: 'shop', version: 1 }, { kind: 'image-pull-fails', message: 'manifest for ghcr.io/example-shop/api:9.9.9-missing not found' });
    const result = await deploy('--job', 'api');
    expect(result.code, result.stderr).toBe(1);
    const failure = result.events.find((e) => e.type === 'allocation-failed');
    expect(failure).toMatchObject({ job: 'api', failure: { group: 'api', task: 'api', eventType: 'Driver Failure' } });
    expect(failure?.type === 'allocation-failed' && failure.failure.message).toContain('manifest for ghcr.io/example-shop/api:9.9.9-missing not found');
    // The plain (CI) reporter's line for it names all of it.
    expect(formatEvent(failure!, createStyle(false))).toMatch(/^\[api\] allocation api\.api\[\d\] \([0-9a-f]{8}\) group api task api: Driver Failure: manifest/);
    const deployments = await nomadGet<NomadDeployment[]>(sandbox, '/v1/job/api/deployments');
    const failed = deployments.find((d) => d.JobVersion === 1)!;
    expect(failed.Status).toBe('failed');
    expect(failed.StatusDescription).toMatch(/^Deployment marked as failed - rolling back to job version 0/);
    // drover failed it within 2 s of sandbox time after the first Driver Failure event, far from
    // Nomad's own healthy_deadline (3 m for api).
    const allocs = await nomadGet<{ JobVersion: number; TaskStates: Record<string, { Events: { Type: string; Time: number | string }[] }> }[]>(sandbox, '/v1/job/api/allocations');
    const firstFailure = allocs
      .filter((a) => a.JobVersion === 1)
      .flatMap((a) => Object.values(a.TaskStates ?? {}).flatMap((t) => t.Events))
      .filter((e) => e.Type === 'Driver Failure')
      .map((e) => BigInt(e.Time))
      .sort((a, b) => (a < b ? -1 : 1))[0]!;
    const failedAfterNs = BigInt(failed.ModifyTime) - firstFailure;
    expect(failedAfterNs).toBeGreaterThanOrEqual(0n);
    expect(failedAfterNs).toBeLessThan(2_000_000_000n);
    const job = await nomadGet<NomadJobRead>(sandbox, '/v1/job/api');
    expect(job.Version).toBe(2);
    expect(job.TaskGroups[0]!.Tasks.find((t) => t.Name === 'api')!.Config.image).toBe('ghcr.io/example-shop/api:1.8.2');
    const finished = result.events.find((e) => e.type === 'job-finished');
    expect(finished).toMatchObject({ outcome: { status: 'failed', runningVersion: 2 } });
  });

  it('exits 1 once a crash loop exhausts the restart policy', async () => {
    sandbox.admin.setScenario({ jobId: 'api', namespace: 'shop' }, { kind: 'crash-loop', crashAfterMs: 1000 });
    const result = await deploy('--job', 'api');
    expect(result.code, result.stderr).toBe(1);
    expect(result.events.find((e) => e.type === 'allocation-failed')).toMatchObject({
      failure: { kind: 'restarts-exhausted', eventType: 'Terminated', message: 'Exit Code: 1', details: { exit_code: '1' }, consequences: expect.arrayContaining([expect.objectContaining({ type: 'Not Restarting' })]) },
    });
  });

  it('exits 2 when the job cannot be placed', async () => {
    sandbox.admin.setScenario({ jobId: 'api', namespace: 'shop' }, { kind: 'unplaceable', dimension: 'memory' });
    const result = await deploy('--job', 'api');
    expect(result.code, result.stderr).toBe(2);
    expect(result.events.find((e) => e.type === 'job-finished')).toMatchObject({ outcome: { status: 'placement-failed', group: 'api' } });
    expect(JSON.stringify(result.events)).toContain('memory exhausted');
  });

  it('still exits 2 when Nomad has ended the deployment before drover fails it (500 "can\'t fail terminal deployment")', async () => {
    sandbox.admin.setScenario({ jobId: 'api', namespace: 'shop' }, { kind: 'unplaceable', dimension: 'memory' });
    // The answer a real Nomad 2.0.5 gave drover on a placement failure: the race is Nomad's to win.
    const refusal = sandbox.admin.injectFault({ service: 'nomad', method: 'POST', path: '/v1/deployment/fail/', kind: 'error', status: 500, message: "can't fail terminal deployment", times: 1 });
    const result = await deploy('--job', 'api');
    expect(sandbox.admin.listFaults().find((f) => f.id === refusal)?.hits, 'the fail call was refused').toBe(1);
    expect(result.code, result.stderr).toBe(2);
    expect(result.events.find((e) => e.type === 'job-finished')).toMatchObject({ outcome: { status: 'placement-failed', group: 'api' } });
    expect(JSON.stringify(result.events)).toContain('Nomad had already ended deployment');
  });

  it('exits 3 at healthy canaries awaiting manual promotion with --stop-at-canary', async () => {
    const prod = await sandboxFor('prod');
    try {
      const run = (...argv: string[]) => runAgainst(prod, ['deploy', 'prod', '--git-sha', SHA, '--job', 'api', ...argv], { cwd: project.dir });
      expect((await run()).code).toBe(0);
      await bumpApi('1.9.0');
      const result = await run('--stop-at-canary');
      expect(result.code, result.stderr).toBe(3);
      expect(result.stderr).toContain('drover promote prod --job api');
    } finally {
      await prod.close();
    }
  });

  it('stops a job removed from jobs/ after the rest succeeded (qa prunes), and only then', async () => {
    const own = await tempProject({ environments: 'standalone' });
    try {
      const run = () => runAgainst(sandbox, ['deploy', 'qa', '--git-sha', SHA], { cwd: own.dir });
      expect((await run()).code).toBe(0);
      await rm(join(own.dir, 'jobs/worker.ts'));
      const result = await run();
      expect(result.code, result.stderr).toBe(0);
      expect((await nomadGet<NomadJobRead>(sandbox, '/v1/job/worker')).Stop).toBe(true);
      expect((await nomadGet<NomadJobRead>(sandbox, '/v1/job/api')).Stop).toBe(false);
    } finally {
      await own.cleanup();
    }
  });

  it('refuses a job with the same ID that this project does not own', async () => {
    const foreign = { Job: { ID: 'www', Name: 'www', Type: 'service', Namespace: 'shop', Datacenters: ['qa1'], TaskGroups: [{ Name: 'web', Count: 1, Tasks: [{ Name: 'web', Driver: 'docker', Config: { image: 'nginx:1' } }] }] } };
    const response = await fetch(`${sandbox.addresses.nomad}/v1/jobs?namespace=shop`, { method: 'POST', body: JSON.stringify(foreign) });
    expect(response.ok).toBe(true);
    const result = await deploy();
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('www (owned by not deployed by drover');
    expect(result.events.filter((e) => e.type === 'job-registered')).toEqual([]);
  });

  it('refuses a second concurrent deploy to the same environment within a second, naming the holder', async () => {
    sandbox.admin.setScenario({ jobId: 'postgres', namespace: 'shop' }, { kind: 'slow-healthy', healthyAfterMs: 60_000 });
    const first = deploy();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = Date.now();
    const second = await deploy();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(second.code).toBe(4);
    expect(second.stderr).toMatch(/locked by another deploy[\s\S]*holder\s+\S+@/);
    expect((await first).code).toBe(0);
  });
});
