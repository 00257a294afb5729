import { describe, expect, it } from 'vitest';
import prod from '../../../environments/prod.ts';
import qa from '../../../environments/qa.ts';
import { defineJob, type JobDefinition } from '../../../src/model/define-job.ts';
import type { JobSpec } from '../../../src/model/job.ts';
import { createRelease, type ReleaseProject } from '../../../src/release/create.ts';
import { loadReleaseForProd, recordProdOutcome } from '../../../src/release/prod.ts';
import { releaseId } from '../../../src/release/record.ts';
import { renderJob } from '../../../src/render/job.ts';
import { loadExampleJobs } from '../../support/example-jobs.ts';
import { aVerification, memoryStore, SHA, succeeded } from './builders.ts';

const examples = (await loadExampleJobs()).map(({ definition }) => ({ value: definition }));
const project = (definitions = examples): ReleaseProject => ({ name: 'drover', definitions, environments: [qa, prod] });
const created = new Date('2024-01-31T09:45:00Z');
const id = releaseId(created, SHA);

/** Deploys the examples to qa (on paper) and records the release; verified unless told otherwise. */
async function qaRelease(options: { verified?: boolean } = {}) {
  const store = memoryStore('qa');
  const jobs = examples.map(({ value }) => {
    const spec = value.build(qa);
    return { id: spec.id, job: renderJob(spec, { env: qa, project: 'drover', gitSha: SHA, release: id }), dependsOn: [] };
  });
  const release = await createRelease({ id, gitSha: SHA, project: project(), env: qa, jobs, results: succeeded(...jobs.map((j) => j.id)), now: created, operator: 'alice@laptop' }, { store });
  if (options.verified !== false) await store.markVerified(release.id, aVerification());
  return store;
}

/** The examples with `edit` applied to job `jobId` in every environment. */
function edited(jobId: string, edit: (spec: any) => void) {
  return examples.map(({ value }): { value: JobDefinition } => ({
    value: defineJob((env) => {
      const spec = structuredClone(value.build(env)) as JobSpec;
      if (spec.id === jobId) edit(spec);
      return spec;
    }),
  }));
}

const forProd = (store: Awaited<ReturnType<typeof qaRelease>>, extra: Partial<Parameters<typeof loadReleaseForProd>[0]> = {}) =>
  loadReleaseForProd({ store, project: project(), target: prod, gitSha: 'e'.repeat(40), releaseLabel: 'prod-1', now: new Date('2024-02-01T09:00:00Z'), ...extra });

describe('createRelease', () => {
  it('records every deployed job with its fingerprint, spec hash and qa version', async () => {
    const store = await qaRelease({ verified: false });
    const release = (await store.load(id))!;
    expect(release).toMatchObject({ id: 'r-20240131-094500-3f2a9c1', status: 'deployed', sourceEnv: 'qa', createdBy: 'alice@laptop' });
    expect(Object.keys(release.jobs)).toEqual(['api', 'db-backup', 'fabio', 'log-shipper', 'node-exporter', 'postgres', 'worker', 'www']);
    expect(release.jobs.api).toMatchObject({ envFreeHash: expect.stringMatching(/^[0-9a-f]{16}$/), specHash: expect.stringMatching(/^[0-9a-f]{16}$/), source: { status: 'succeeded', version: 1 } });
  });
});

describe('loadReleaseForProd', () => {
  it('accepts the latest verified release and pins prod to QA\'s images', async () => {
    const accepted = await forProd(await qaRelease());
    expect(accepted.release.id).toBe(id);
    expect(accepted.forced).toBeUndefined();
    expect(accepted.images['ghcr.io/example-shop/api']).toBe('ghcr.io/example-shop/api:1.8.2');
  });

  it('keeps QA\'s image when jobs/ has moved to a newer tag since', async () => {
    const bumped = edited('api', (spec) => (spec.groups[0].tasks[0].image = 'ghcr.io/example-shop/api:1.9.0'));
    const accepted = await forProd(await qaRelease(), { project: project(bumped) });
    expect(accepted.images['ghcr.io/example-shop/api']).toBe('ghcr.io/example-shop/api:1.8.2');
  });

  it('refuses (exit 4) when a job differs from what QA verified apart from environment values', async () => {
    const changed = edited('worker', (spec) => (spec.groups[0].tasks[0].env.QUEUE_NAME = 'orders-v2'));
    const error = await forProd(await qaRelease(), { project: project(changed) }).catch((e: unknown) => e);
    expect(error).toMatchObject({ exitCode: 4, message: `Refusing to deploy release ${id} to prod` });
    expect((error as { context: Record<string, string> }).context.because).toMatch(/^worker: differs from the verified job in fields that do not depend on the environment/);
    expect((error as { hint: string }).hint).toContain(`git diff ${SHA} -- jobs/`);
  });

  it('refuses an unverified release by id, and takes it with --force --reason, recording what was overridden', async () => {
    const store = await qaRelease({ verified: false });
    await expect(forProd(store, { id })).rejects.toMatchObject({ exitCode: 4, context: { because: expect.stringContaining('not verified') } });
    const forced = await forProd(store, { id, force: true, reason: 'hotfix INC-1234' });
    expect(forced.forced).toEqual({ reason: 'hotfix INC-1234', overrode: [expect.stringContaining('not verified')] });
  });

  it('treats --force without --reason as a usage error (64) before reading anything', async () => {
    await expect(forProd(memoryStore('qa'), { force: true })).rejects.toMatchObject({ exitCode: 64, message: '--force needs --reason "…"' });
  });

  it('refuses (exit 4) when there is no verified release', async () => {
    await expect(forProd(await qaRelease({ verified: false }))).rejects.toMatchObject({ exitCode: 4, message: 'No verified release in qa' });
  });

  it('compares only the jobs being deployed', async () => {
    const changed = edited('worker', (spec) => (spec.groups[0].tasks[0].env.QUEUE_NAME = 'orders-v2'));
    await expect(forProd(await qaRelease(), { project: project(changed), deploying: ['api'] })).resolves.toMatchObject({ release: { id } });
  });
});

describe('recordProdOutcome', () => {
  it('stores the prod outcome with the override under promotions.prod', async () => {
    const store = await qaRelease();
    const release = await recordProdOutcome(store, {
      release: id,
      env: 'prod',
      results: [...succeeded('api'), { job: 'www', outcome: { status: 'failed', version: 2, reason: 'deadline', runningVersion: 1 } }],
      now: new Date('2024-02-01T10:00:00Z'),
      operator: 'bob@ci',
      forced: { reason: 'hotfix', overrode: ['release is 30h old'] },
    });
    expect(release.promotions.prod).toEqual({
      status: 'failed',
      at: '2024-02-01T10:00:00.000Z',
      by: 'bob@ci',
      jobs: { api: { status: 'succeeded', version: 1, deploymentId: 'd-api' }, www: { status: 'failed', version: 2, reason: 'deadline' } },
      forced: { reason: 'hotfix', overrode: ['release is 30h old'] },
    });
  });

  it('records a prod deploy that stopped at healthy canaries as waiting for promotion, which promote then completes', async () => {
    const store = await qaRelease();
    const waiting = await recordProdOutcome(store, {
      release: id,
      env: 'prod',
      results: [{ job: 'api', outcome: { status: 'awaiting-promotion', version: 2, deploymentId: 'd-2', groups: ['api'] } }],
      now: new Date('2024-02-01T10:00:00Z'),
      operator: 'bob@ci',
    });
    expect(waiting.promotions.prod).toMatchObject({ status: 'awaiting-promotion', jobs: { api: { status: 'awaiting-promotion', version: 2, deploymentId: 'd-2' } } });
    const done = await store.recordPromotion(id, 'prod', { api: { status: 'succeeded', version: 2, deploymentId: 'd-2' } }, { at: '2024-02-01T10:05:00.000Z', by: 'carol@ci' });
    expect(done.promotions.prod).toMatchObject({ status: 'succeeded', by: 'bob@ci', promoted: { by: 'carol@ci' } });
  });
});
