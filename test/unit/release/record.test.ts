import { describe, expect, it } from 'vitest';
import { buildRelease, jobsAwaitingPromotion, promotionStatus, releaseId, toJobDeployment, withPromotedJobs, withPromotion, withVerification } from '../../../src/release/record.ts';
import { parseImageReference } from '../../../src/release/release-image.ts';
import { aRelease, aVerification, CREATED, SHA } from './builders.ts';

describe('release records', () => {
  it('names a release after its UTC creation time and the first 7 characters of the commit', () => {
    expect(releaseId(new Date('2024-01-31T09:45:07.123Z'), SHA)).toBe('r-20240131-094507-3f2a9c1');
    expect(releaseId(new Date('2024-12-01T23:05:00Z'), 'abcdef0123-dirty')).toBe('r-20241201-230500-abcdef0');
  });

  it('sorts ids in creation order', () => {
    const ids = ['2024-02-01T00:00:00Z', '2023-12-31T23:59:59Z', '2024-01-31T09:45:00Z'].map((t) => releaseId(new Date(t), SHA));
    expect([...ids].sort()).toEqual([ids[1], ids[2], ids[0]]);
  });

  it.each([
    ['ghcr.io/acme/api:1.4.2', { repository: 'ghcr.io/acme/api', tag: '1.4.2' }],
    [`ghcr.io/acme/api:1.4.2@sha256:${'a'.repeat(64)}`, { repository: 'ghcr.io/acme/api', tag: '1.4.2', digest: `sha256:${'a'.repeat(64)}` }],
    [`registry:5000/team/app@sha256:${'b'.repeat(64)}`, { repository: 'registry:5000/team/app', digest: `sha256:${'b'.repeat(64)}` }],
    ['registry:5000/team/app:2', { repository: 'registry:5000/team/app', tag: '2' }],
    ['postgres', { repository: 'postgres' }],
  ])('parses image %s into repository, tag and digest', (reference, parts) => {
    expect(parseImageReference(reference)).toEqual({ reference, ...parts });
  });

  it('records a deploy where every job succeeded or was unchanged as deployed, jobs sorted, with versions and deployment ids', () => {
    const release = aRelease();
    expect(release).toMatchObject({ schema: 1, status: 'deployed', sourceEnv: 'qa', createdAt: CREATED.toISOString(), createdBy: 'alice@laptop', promotions: {} });
    expect(Object.keys(release.jobs)).toEqual(['api', 'www']);
    expect(release.jobs.api!.source).toEqual({ status: 'succeeded', version: 3, deploymentId: 'd-api' });
    expect(release.jobs.www!.source).toEqual({ status: 'unchanged', version: 1 });
    expect(release.failure).toBeUndefined();
  });

  it('records a deploy with a failed or missing job as failed, naming the jobs', () => {
    const release = buildRelease({
      id: 'r-1',
      gitSha: SHA,
      project: 'drover',
      sourceEnv: 'qa',
      createdAt: CREATED,
      createdBy: 'a@b',
      jobs: ['api', 'www', 'worker'].map((id) => ({ id, envFreeHash: 'x', maskedPaths: [], images: [], specHash: 'y' })),
      results: [
        { job: 'api', outcome: { status: 'failed', version: 4, reason: 'image pull failed', runningVersion: 3 } },
        { job: 'www', outcome: { status: 'skipped', reason: 'dependency api did not deploy' } },
      ],
    });
    expect(release.status).toBe('failed');
    expect(release.failure).toBe('qa deploy did not succeed for api, worker, www');
    expect(release.jobs.api!.source).toEqual({ status: 'failed', version: 4, reason: 'image pull failed' });
    expect(release.jobs.worker!.source).toEqual({ status: 'skipped', reason: 'no result was reported for this job' });
  });

  it('keeps the deployment id only when the outcome has one', () => {
    expect(toJobDeployment({ status: 'awaiting-promotion', version: 2, deploymentId: 'd1', groups: ['api'] })).toEqual({ status: 'awaiting-promotion', version: 2, deploymentId: 'd1' });
    expect(toJobDeployment({ status: 'succeeded', version: 2 })).toEqual({ status: 'succeeded', version: 2 });
  });

  it('becomes verified or failed with its verification, and only from deployed', () => {
    expect(withVerification(aRelease(), aVerification())).toMatchObject({ status: 'verified', verification: { ok: true } });
    const failed = withVerification(aRelease(), aVerification({ ok: false }));
    expect(failed.status).toBe('failed');
    expect(() => withVerification(failed, aVerification())).toThrow(/is failed; only a deployed release can be verified/);
  });

  it('records a deploy that stopped at healthy canaries as awaiting promotion, not failed', () => {
    const release = aRelease({}, [
      { job: 'api', outcome: { status: 'awaiting-promotion', version: 4, deploymentId: 'd-api4', groups: ['api'] } },
      { job: 'www', outcome: { status: 'unchanged', version: 1 } },
    ]);
    expect(release.status).toBe('awaiting-promotion');
    expect(release.failure).toBeUndefined();
    expect(jobsAwaitingPromotion(release, 'qa')).toEqual(new Map([['api', 'd-api4']]));
    // A failed job still fails the release, waiting canaries or not.
    const failed = aRelease({}, [
      { job: 'api', outcome: { status: 'awaiting-promotion', version: 4, deploymentId: 'd-api4', groups: ['api'] } },
      { job: 'www', outcome: { status: 'failed', version: 2, reason: 'deadline' } },
    ]);
    expect(failed).toMatchObject({ status: 'failed', failure: 'qa deploy did not succeed for www' });
  });

  it('becomes deployed (ready to verify) once promote finished every waiting job in the source environment', () => {
    const waiting = aRelease({}, [
      { job: 'api', outcome: { status: 'awaiting-promotion', version: 4, deploymentId: 'd-api4', groups: ['api'] } },
      { job: 'www', outcome: { status: 'awaiting-promotion', version: 2, deploymentId: 'd-www2', groups: ['www'] } },
    ]);
    const by = { at: '2024-01-31T10:00:00.000Z', by: 'carol@ci' };
    const half = withPromotedJobs(waiting, 'qa', { api: { status: 'succeeded', version: 4, deploymentId: 'd-api4' } }, by);
    expect(half.status).toBe('awaiting-promotion');
    expect(jobsAwaitingPromotion(half, 'qa')).toEqual(new Map([['www', 'd-www2']]));
    const done = withPromotedJobs(half, 'qa', { www: { status: 'succeeded', version: 2, deploymentId: 'd-www2' } }, by);
    expect(done).toMatchObject({ status: 'deployed', promoted: by });
    expect(done.jobs.api!.source).toEqual({ status: 'succeeded', version: 4, deploymentId: 'd-api4' });
    expect(withVerification(done, aVerification()).status).toBe('verified');
    const reverted = withPromotedJobs(waiting, 'qa', { api: { status: 'failed', version: 4, reason: 'rolled back' }, www: { status: 'succeeded', version: 2 } }, by);
    expect(reverted).toMatchObject({ status: 'failed', failure: 'qa promotion did not succeed for api' });
    expect(() => withPromotedJobs(done, 'qa', { api: { status: 'succeeded', version: 4 } }, by)).toThrow(/no job waiting for promotion in qa named api/);
  });

  it("completes a target's outcome that waited for promotion, keeping who deployed it", () => {
    const by = { at: '2024-02-01T11:00:00.000Z', by: 'carol@ci' };
    const deployed = { status: 'awaiting-promotion' as const, at: '2024-02-01T10:00:00.000Z', by: 'bob@ci', jobs: { api: { status: 'awaiting-promotion' as const, version: 7, deploymentId: 'd-7' }, www: { status: 'succeeded' as const, version: 3 } } };
    const release = withPromotion(aRelease(), 'prod', deployed);
    expect(jobsAwaitingPromotion(release, 'prod')).toEqual(new Map([['api', 'd-7']]));
    const done = withPromotedJobs(release, 'prod', { api: { status: 'succeeded', version: 7, deploymentId: 'd-7' } }, by);
    expect(done.promotions.prod).toEqual({ ...deployed, status: 'succeeded', jobs: { ...deployed.jobs, api: { status: 'succeeded', version: 7, deploymentId: 'd-7' } }, promoted: by });
    expect(done.status).toBe('deployed');
    expect(withPromotedJobs(release, 'prod', { api: { status: 'failed', version: 7, reason: 'rolled back' } }, by).promotions.prod!.status).toBe('failed');
  });

  it('derives a target outcome from its jobs: any failure first, then any still waiting', () => {
    expect(promotionStatus([{ status: 'succeeded' }, { status: 'unchanged' }])).toBe('succeeded');
    expect(promotionStatus([{ status: 'succeeded' }, { status: 'awaiting-promotion' }])).toBe('awaiting-promotion');
    expect(promotionStatus([{ status: 'skipped' }, { status: 'awaiting-promotion' }])).toBe('failed');
  });

  it('keeps one outcome per target environment, the latest attempt winning', () => {
    const outcome = { status: 'failed' as const, at: '2024-02-01T10:00:00.000Z', by: 'bob@ci', jobs: {} };
    const once = withPromotion(aRelease(), 'prod', outcome);
    const twice = withPromotion(once, 'prod', { ...outcome, status: 'succeeded', forced: { reason: 'hotfix', overrode: ['not verified'] } });
    expect(Object.keys(twice.promotions)).toEqual(['prod']);
    expect(twice.promotions.prod).toMatchObject({ status: 'succeeded', forced: { reason: 'hotfix' } });
    expect(once.promotions.prod!.status).toBe('failed');
  });
});
