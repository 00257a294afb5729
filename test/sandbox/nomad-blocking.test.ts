import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Answer, type Harness, aJob, seconds, startHarness } from './nomad-harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

const index = (a: Answer): number => Number(a.headers.get('x-nomad-index'));
const realPause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Tracks whether a promise settled, so tests can assert a query is still blocked. */
function track<T>(promise: Promise<T>): { promise: Promise<T>; settled: () => boolean } {
  let done = false;
  void promise.then(() => (done = true), () => (done = true));
  return { promise, settled: () => done };
}

describe('blocking queries', () => {
  it('releases 200 concurrent blocking queries with one change', async () => {
    await h.register(aJob());
    const before = index(await h.get('/v1/job/web'));
    const queries = Array.from({ length: 200 }, () => track(h.get(`/v1/job/web?index=${before}&wait=5m`)));
    await realPause(150);
    expect(queries.filter((q) => q.settled())).toHaveLength(0);
    await h.register(aJob({ image: 'example/web:2.0.0' }));
    const answers = await Promise.all(queries.map((q) => q.promise));
    expect(answers.every((a) => a.status === 200 && index(a) > before && a.json.Version === 1)).toBe(true);
    expect(new Set(answers.map(index)).size).toBe(1);
  });

  it('moves X-Nomad-Index of a job only when the job changes, and of its lists with their whole table', async () => {
    await h.register(aJob({ id: 'web' }));
    const web = index(await h.get('/v1/job/web'));
    const list = index(await h.get('/v1/jobs'));
    const blocked = track(h.get(`/v1/job/web?index=${web}`));
    await h.register(aJob({ id: 'api' }));
    await realPause(100);
    expect(blocked.settled()).toBe(false);
    expect(index(await h.get('/v1/job/web'))).toBe(web);
    expect(index(await h.get('/v1/jobs'))).toBeGreaterThan(list);
    const allocIndex = index(await h.get('/v1/job/web/allocations'));
    await h.advance(50); // allocations of both jobs are placed
    expect(index(await h.get('/v1/job/web/allocations'))).toBeGreaterThan(allocIndex);
    const afterPlacement = index(await h.get('/v1/job/web/allocations'));
    await h.call('DELETE', '/v1/job/api?purge=true');
    await h.advance(50);
    // Another job's allocations move it too: Nomad answers the allocs table's index
    // (job_endpoint.go Allocations; seen on Nomad 2.0.5: job a's list went 14 → 18 as job b placed).
    expect(index(await h.get('/v1/job/web/allocations'))).toBeGreaterThan(afterPlacement);
    await h.register(aJob({ id: 'web', image: 'example/web:2.0.0' }));
    expect(index(await blocked.promise)).toBeGreaterThan(web);
  });

  it('returns current data with the same index when the wait elapses in sandbox time', async () => {
    await h.register(aJob());
    await h.advance(seconds(30)); // deployed; the job no longer changes
    const before = index(await h.get('/v1/job/web'));
    const query = track(h.get(`/v1/job/web?index=${before}&wait=10s`));
    await h.advance(seconds(9));
    await realPause(50);
    expect(query.settled()).toBe(false);
    await h.advance(seconds(1));
    const answer = await query.promise;
    expect(answer.status).toBe(200);
    expect(index(answer)).toBe(before);
    expect(answer.headers.get('x-nomad-knownleader')).toBe('true');
    expect(answer.headers.get('x-nomad-lastcontact')).toBe('0');
  });

  it('caps wait at five minutes', async () => {
    await h.register(aJob());
    const before = index(await h.get('/v1/job/web'));
    const query = track(h.get(`/v1/job/web?index=${before}&wait=1h`));
    await h.advance(seconds(300));
    expect((await query.promise).status).toBe(200);
  });

  it('blocks on a missing resource until it appears', async () => {
    // With the jobs table never written the index is 0, and index=0 does not block (as in Nomad).
    await h.register(aJob({ id: 'first' }));
    const missing = await h.get('/v1/job/later');
    const query = track(h.get(`/v1/job/later?index=${index(missing)}`));
    await realPause(50);
    expect(query.settled()).toBe(false);
    await h.register(aJob({ id: 'later' }));
    expect((await query.promise).json.ID).toBe('later');
  });

  it('rejects a malformed wait or index with 400', async () => {
    expect(await h.get('/v1/jobs?index=1&wait=soon')).toMatchObject({ status: 400, text: 'Invalid wait time' });
    expect(await h.get('/v1/jobs?index=-3')).toMatchObject({ status: 400, text: 'Invalid index' });
  });
});
