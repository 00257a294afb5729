import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, aJob, allocs, deployment, seconds, startHarness } from './nomad-harness.ts';

let h: Harness;
afterEach(() => h.close());

describe('admin API', () => {
  it('describes the sandbox as a simulator, with its nodes, clock and namespaces', async () => {
    h = await startHarness();
    const info = (await h.get('/_sandbox')).json;
    expect(info.simulator).toContain('not a scheduler');
    expect(info.nodes).toHaveLength(3);
    expect(info.clock).toMatchObject({ speed: 0 });
    expect(info.namespaces).toEqual(['default']);
    await h.call('POST', '/_sandbox/namespaces', { name: 'shop' });
    expect((await h.get('/v1/namespaces')).json.map((n: { Name: string }) => n.Name)).toEqual(['default', 'shop']);
  });

  it('runs the simulation in real time at a configurable speed', async () => {
    h = await startHarness();
    const speed = await h.call('POST', '/_sandbox/clock/speed', { speed: 2000 });
    expect(speed.json.speed).toBe(2000);
    await h.register(aJob({ count: 1 }));
    const deadline = Date.now() + 5000;
    while ((await deployment(h, 'web'))?.Status !== 'successful' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect((await deployment(h, 'web')).Status).toBe('successful');
  });

  it('resets jobs, scenarios and faults', async () => {
    h = await startHarness();
    await h.scenario('web', { kind: 'unplaceable' });
    await h.fault({ kind: 'latency', ms: 1, path: '/v1/regions' });
    await h.register(aJob());
    await h.advance(seconds(1));
    await h.call('POST', '/_sandbox/reset');
    expect((await h.get('/v1/jobs')).json).toEqual([]);
    const info = (await h.get('/_sandbox')).json;
    expect(info).toMatchObject({ scenarios: [], faults: [] });
    await h.register(aJob());
    await h.advance(seconds(1));
    expect(await allocs(h, 'web')).toHaveLength(2);
  });

  it('deregisters Consul services when allocations stop', async () => {
    h = await startHarness();
    await h.register(aJob());
    await h.advance(seconds(5));
    const services = async () => (await h.call('GET', `${h.consul}/v1/catalog/service/web`)).json as { ServiceID: string }[];
    expect(await services()).toHaveLength(2);
    await h.call('DELETE', '/v1/job/web');
    await h.advance(seconds(1));
    expect(await services()).toEqual([]);
    expect((await allocs(h, 'web')).every((a) => a.ClientStatus === 'complete' && a.DesiredStatus === 'stop')).toBe(true);
  });

  it('validates admin requests', async () => {
    h = await startHarness();
    expect((await h.call('POST', '/_sandbox/scenarios', { jobId: 'web', scenario: { kind: 'meteor' } })).status).toBe(400);
    expect((await h.call('POST', '/_sandbox/clock/advance', { ms: -1 })).status).toBe(400);
    expect((await h.call('GET', '/_sandbox/nope')).status).toBe(404);
  });
});
