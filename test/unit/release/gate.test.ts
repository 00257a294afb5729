import { describe, expect, it } from 'vitest';
import { compareWithRelease, decideProdRelease, formatAge, pinsForProd } from '../../../src/release/gate.ts';
import { withVerification } from '../../../src/release/record.ts';
import { aRelease, aVerification, aVerifiedRelease, CREATED } from './builders.ts';

const HOUR = 3_600_000;
const now = new Date(CREATED.getTime() + 2 * HOUR);
const project = ['api', 'www'];

describe('decideProdRelease', () => {
  it('lets a verified, recent release of exactly the project\'s jobs through', () => {
    expect(decideProdRelease({ release: aVerifiedRelease(), now, maxAge: '168h', jobsInProject: project })).toEqual({ kind: 'ok' });
  });

  it('refuses a release that was deployed but never verified', () => {
    const decision = decideProdRelease({ release: aRelease(), now, jobsInProject: project });
    expect(decision).toEqual({ kind: 'refuse', exitCode: 4, reasons: ['release r-20240131-094500-3f2a9c1 is deployed in qa but not verified (smoke checks and soak have not passed)'] });
  });

  it('refuses a release whose QA canaries still wait for promotion, saying how to end the wait', () => {
    const waiting = aRelease({}, [
      { job: 'api', outcome: { status: 'awaiting-promotion', version: 4, deploymentId: 'd-api4', groups: ['api'] } },
      { job: 'www', outcome: { status: 'unchanged', version: 1 } },
    ]);
    expect(decideProdRelease({ release: waiting, now, jobsInProject: project })).toEqual({
      kind: 'refuse',
      exitCode: 4,
      reasons: ['release r-20240131-094500-3f2a9c1 waits for promotion in qa (its canaries were not promoted, so it was not verified); run `drover promote qa`'],
    });
  });

  it('refuses a failed release, saying which smoke check failed', () => {
    const smoke = [{ job: 'www', check: 'home page', via: 'fabio' as const, ok: false, attempts: 3, problems: ['status 502, expected 200'] }];
    const release = withVerification(aRelease(), aVerification({ ok: false, smoke }));
    const decision = decideProdRelease({ release, now, jobsInProject: project });
    expect(decision.kind === 'refuse' && decision.reasons).toEqual(['release r-20240131-094500-3f2a9c1 failed in qa: smoke www/home page: status 502, expected 200']);
  });

  it('refuses a release older than maxReleaseAge, with its age', () => {
    const decision = decideProdRelease({ release: aVerifiedRelease(), now: new Date(CREATED.getTime() + 200 * HOUR), maxAge: '168h', jobsInProject: project });
    expect(decision.kind === 'refuse' && decision.reasons).toEqual(['release r-20240131-094500-3f2a9c1 is 8d8h old; this environment takes releases up to 168h']);
  });

  it('refuses when jobs/ and the release hold different jobs, naming both directions', () => {
    const decision = decideProdRelease({ release: aVerifiedRelease(), now, jobsInProject: ['api', 'worker'] });
    expect(decision.kind === 'refuse' && decision.reasons).toEqual(['jobs/ has jobs the release does not: worker', 'the release has jobs jobs/ no longer has: www']);
  });

  it('collects every reason at once', () => {
    const decision = decideProdRelease({ release: aRelease(), now: new Date(CREATED.getTime() + 200 * HOUR), maxAge: '1h', jobsInProject: ['api'] });
    expect(decision.kind === 'refuse' && decision.reasons).toHaveLength(3);
  });

  it('overrides every refusal with --force --reason, recording what it overrode', () => {
    const decision = decideProdRelease({ release: aRelease(), now, jobsInProject: project, force: true, reason: '  hotfix INC-1234 ' });
    expect(decision).toEqual({ kind: 'ok', forced: { reason: 'hotfix INC-1234', overrode: [expect.stringContaining('not verified')] } });
  });

  it('treats --force without a reason (or a blank one) as a usage error, even for a good release', () => {
    expect(decideProdRelease({ release: aVerifiedRelease(), now, jobsInProject: project, force: true })).toEqual({ kind: 'usage', exitCode: 64, message: '--force needs --reason "…"' });
    expect(decideProdRelease({ release: aVerifiedRelease(), now, jobsInProject: project, force: true, reason: '  ' }).kind).toBe('usage');
  });
});

describe('pinsForProd', () => {
  it('pins every repository to the reference QA ran', () => {
    expect(pinsForProd(aVerifiedRelease())).toEqual({ 'ghcr.io/example-shop/api': 'ghcr.io/example-shop/api:1.8.2', 'ghcr.io/example-shop/www': 'ghcr.io/example-shop/www:3.2.0' });
  });

  it('leaves out a repository the release uses with two references', () => {
    const release = aVerifiedRelease();
    const www = release.jobs.www!;
    const twoTags = { ...release, jobs: { ...release.jobs, www: { ...www, images: [...www.images, { reference: 'ghcr.io/example-shop/api:1.7.0', repository: 'ghcr.io/example-shop/api', tag: '1.7.0' }] } } };
    expect(pinsForProd(twoTags)).toEqual({ 'ghcr.io/example-shop/www': 'ghcr.io/example-shop/www:3.2.0' });
  });
});

describe('compareWithRelease', () => {
  const release = aVerifiedRelease();
  const same = Object.values(release.jobs).map(({ id, envFreeHash, maskedPaths, images }) => ({ id, envFreeHash, maskedPaths, images }));

  it('finds nothing when prod renders what QA verified', () => {
    expect(compareWithRelease(release, same)).toEqual([]);
  });

  it('reports a different image, a changed field and a job outside the release', () => {
    const [api, www] = same;
    const mismatches = compareWithRelease(release, [
      { ...api!, images: [{ reference: 'ghcr.io/example-shop/api:1.9.0', repository: 'ghcr.io/example-shop/api', tag: '1.9.0' }] },
      { ...www!, envFreeHash: 'cccccccccccccccc' },
      { id: 'worker', envFreeHash: 'x', maskedPaths: [], images: [] },
    ]);
    expect(mismatches).toEqual([
      { job: 'api', problem: 'images ghcr.io/example-shop/api:1.9.0 differ from the verified ghcr.io/example-shop/api:1.8.2' },
      { job: 'www', problem: 'differs from the verified job in fields that do not depend on the environment (hash cccccccccccccccc, verified aaaaaaaaaaaaaaaa)' },
      { job: 'worker', problem: 'not part of the release' },
    ]);
  });

  it('names the fields that started or stopped varying by environment', () => {
    const [, www] = same;
    const mismatches = compareWithRelease(release, [{ ...www!, envFreeHash: 'd', maskedPaths: ['TaskGroups[0].Tasks[0].Env.MODE'] }]);
    expect(mismatches).toEqual([{ job: 'www', problem: 'fields that vary by environment changed (+TaskGroups[0].Tasks[0].Env.MODE, -TaskGroups[0].Count)' }]);
  });
});

describe('formatAge', () => {
  it.each([
    [15_000, '15s'],
    [42 * 60_000, '42m'],
    [5 * HOUR + 12 * 60_000, '5h12m'],
    [3 * 24 * HOUR + 4 * HOUR, '3d4h'],
  ])('formats %i ms as %s', (ms, text) => expect(formatAge(ms)).toBe(text));
});
