import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, aJob, startHarness } from './nomad-harness.ts';

const harnesses: Harness[] = [];
async function sandbox(seed = 7): Promise<Harness> {
  const h = await startHarness({ seed });
  harnesses.push(h);
  return h;
}
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((h) => h.close()));
});

async function statuses(h: Harness, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await h.get('/v1/jobs')).status);
  return out;
}

describe('fault injection', () => {
  it('answers a seeded share of matching requests with 5xx, identically for the same seed', async () => {
    const [a, b] = [await sandbox(7), await sandbox(7)];
    for (const h of [a, b]) await h.fault({ kind: 'error', rate: 0.3, status: 503, message: 'rpc error: EOF', service: 'nomad', path: '/v1/jobs' });
    const [sa, sb] = [await statuses(a, 100), await statuses(b, 100)];
    expect(sa).toEqual(sb);
    const failures = sa.filter((s) => s === 503).length;
    expect(failures).toBeGreaterThan(15);
    expect(failures).toBeLessThan(45);
    const failed = await (async () => {
      for (;;) {
        const answer = await a.get('/v1/jobs');
        if (answer.status === 503) return answer;
      }
    })();
    expect(failed.text).toBe('rpc error: EOF');
    expect(failed.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect((await a.get('/v1/status/leader')).status).toBe(200);
  });

  it('limits a fault to a method and a number of hits', async () => {
    const h = await sandbox();
    await h.fault({ kind: 'error', method: 'POST', path: '/v1/jobs', times: 2 });
    expect((await h.get('/v1/jobs')).status).toBe(200);
    expect((await h.register(aJob())).status).toBe(500);
    expect((await h.register(aJob())).status).toBe(500);
    expect((await h.register(aJob())).status).toBe(200);
    const listed = (await h.get('/_sandbox/faults')).json;
    expect(listed[0]).toMatchObject({ kind: 'error', hits: 2, times: 2 });
  });

  it('adds real latency', async () => {
    const h = await sandbox();
    await h.fault({ kind: 'latency', ms: 250, path: '/v1/jobs' });
    const started = Date.now();
    expect((await h.get('/v1/jobs')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
  });

  it('drops connections mid-request without an answer', async () => {
    const h = await sandbox();
    const id = await h.fault({ kind: 'drop', path: '/v1/job/' });
    await expect(h.get('/v1/job/web')).rejects.toThrow();
    await h.call('DELETE', `/_sandbox/faults/${id}`);
    expect((await h.get('/v1/job/web')).status).toBe(404);
  });

  it('simulates leader loss: 500 No cluster leader, and an empty leader', async () => {
    const h = await sandbox();
    await h.fault({ kind: 'leader-loss', service: 'nomad' });
    const leader = await h.get('/v1/status/leader');
    expect(leader).toMatchObject({ status: 200, text: '""' });
    const jobs = await h.get('/v1/jobs');
    expect(jobs).toMatchObject({ status: 500, text: 'No cluster leader' });
    expect(jobs.headers.get('x-nomad-knownleader')).toBe('false');
    expect((await h.get('/_sandbox')).status).toBe(200);
    await h.call('DELETE', '/_sandbox/faults');
    expect((await h.get('/v1/status/leader')).json).toBe('127.0.0.1:4647');
    expect((await h.get('/v1/jobs')).status).toBe(200);
  });

  it('applies faults to the Consul listener too, by service', async () => {
    const h = await sandbox();
    await h.fault({ kind: 'leader-loss', service: 'consul' });
    expect((await h.call('GET', `${h.consul}/v1/catalog/services`))).toMatchObject({ status: 500, text: 'No cluster leader' });
    expect((await h.get('/v1/jobs')).status).toBe(200);
  });

  it('rejects malformed fault rules on the admin API', async () => {
    const h = await sandbox();
    const answer = await h.call('POST', '/_sandbox/faults', { kind: 'explode' });
    expect(answer.status).toBe(400);
    expect(answer.json.error).toContain('kind must be one of');
  });
});
