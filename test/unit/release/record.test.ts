import { describe, expect, it } from 'vitest';
import { buildRelease, parseImageReference, releaseId, toJobDeployment, withPromotion, withVerification } from '../../../src/release/record.ts';
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

  it('keeps one outcome per target environment, the latest attempt winning', () => {
    const outcome = { status: 'failed' as const, at: '2024-02-01T10:00:00.000Z', by: 'bob@ci', jobs: {} };
    const once = withPromotion(aRelease(), 'prod', outcome);
    const twice = withPromotion(once, 'prod', { ...outcome, status: 'succeeded', forced: { reason: 'hotfix', overrode: ['not verified'] } });
    expect(Object.keys(twice.promotions)).toEqual(['prod']);
    expect(twice.promotions.prod).toMatchObject({ status: 'succeeded', forced: { reason: 'hotfix' } });
    expect(once.promotions.prod!.status).toBe('failed');
  });
});
