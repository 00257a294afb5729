/**
 * The simulated Fabio's routing: routes from the urlprefix tags of passing instances (host, path,
 * strip), Fabio's lookup order, 404 without a route, 502 for an unreachable target, and the
 * metrics of what it really proxied.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deploy, eventually, get, sampleValue, startTrafficSandbox, type TrafficSandbox } from './fabio-harness.ts';

describe('simulated Fabio routing', () => {
  let sim: TrafficSandbox;
  let fabio: string;
  beforeAll(async () => {
    sim = await startTrafficSandbox(7201);
    const { sandbox } = sim;
    fabio = sandbox.addresses.fabio;
    await deploy(sandbox, { id: 'site', tags: ['urlprefix-/'] });
    await deploy(sandbox, { id: 'api', tags: ['urlprefix-/api'] });
    await deploy(sandbox, { id: 'shop', tags: ['urlprefix-shop.example.com/'] });
    await deploy(sandbox, { id: 'legacy', tags: ['urlprefix-/old/api strip=/old'] });
    for (const service of ['site', 'api', 'shop']) sandbox.fabio.setApp(service, { default: { body: service } });
    sandbox.fabio.setApp('legacy', { responses: { '/api/items': { body: 'legacy items' } }, default: { status: 404, body: 'legacy: unknown path' } });
    await eventually(() => expect(sandbox.fabio.routes()).toHaveLength(4));
  });
  afterAll(async () => {
    await sim?.sandbox.close();
  });

  it('orders the table as Fabio does: host routes first, then longer paths first', () => {
    expect(sim.sandbox.fabio.routes().map((r) => `${r.host}${r.path}`)).toEqual(['shop.example.com/', '/old/api', '/api', '/']);
  });

  it('routes by path prefix, the longest matching prefix winning', async () => {
    expect((await get(`${fabio}/api/users?id=3`)).body).toBe('api');
    expect((await get(`${fabio}/apiary`)).body).toBe('api'); // Fabio's prefix matcher is a plain string prefix
    expect((await get(`${fabio}/about`)).body).toBe('site');
  });

  it('routes by host first and falls back to host-less routes', async () => {
    expect((await get(`${fabio}/api/users`, 'SHOP.example.com')).body).toBe('shop');
    expect((await get(`${fabio}/cart`, 'shop.example.com:80')).body).toBe('shop');
    expect((await get(`${fabio}/cart`, 'other.example.com')).body).toBe('site');
  });

  it('removes the strip= prefix before proxying', async () => {
    const answer = await get(`${fabio}/old/api/items`);
    expect([answer.status, answer.body]).toEqual([200, 'legacy items']);
  });

  it('records proxied requests under fabio_route and fabio_http_status with their real status', async () => {
    const before = await metrics();
    await get(`${fabio}/old/api/missing`);
    const after = await metrics();
    const [legacy] = sim.sandbox.fabio.routes().filter((r) => r.path === '/old/api');
    const routeSeries = `fabio_route_count{service="legacy",host="",path="/old/api",target="${legacy!.targets[0]!.url}"}`;
    expect((sampleValue(after, routeSeries) ?? 0) - (sampleValue(before, routeSeries) ?? 0)).toBe(1);
    expect((sampleValue(after, 'fabio_http_status_count{code="404",service="legacy"}') ?? 0) - (sampleValue(before, 'fabio_http_status_count{code="404",service="legacy"}') ?? 0)).toBe(1);
    expect(after).toContain('fabio_route_bucket{le="0.005",service="legacy",host="",path="/old/api"');
  });

  it('answers 502 and records a 502 when the target is unreachable', async () => {
    // 127.0.0.2 is loopback but not simulated: a routed instance nobody answers for.
    const consul = sim.sandbox.addresses.consul;
    const register = { Name: 'ghost', Address: '127.0.0.2', Port: 1, Tags: ['urlprefix-/ghost'], Check: { Name: 'ghost-alive', HTTP: 'http://127.0.0.2:1/', Interval: '10s', Status: 'passing' } };
    expect((await fetch(`${consul}/v1/agent/service/register`, { method: 'PUT', body: JSON.stringify(register) })).ok).toBe(true);
    await eventually(() => expect(sim.sandbox.fabio.routes().map((r) => r.path)).toContain('/ghost'));
    const answer = await get(`${fabio}/ghost/x`);
    expect(answer.status).toBe(502);
    expect(sampleValue(await metrics(), 'fabio_http_status_count{code="502",service="ghost"}')).toBe(1);
    expect(sim.problems.map((p) => p.message).join('\n')).toContain('ghost at 127.0.0.2:1 is not on 127.0.0.1');
  });

  it('routes only instances with a passing check', async () => {
    const consul = sim.sandbox.addresses.consul;
    const register = { Name: 'sick', Address: '127.0.0.1', Port: 2, Tags: ['urlprefix-/sick'], Check: { Name: 'sick-alive', HTTP: 'http://127.0.0.1:2/', Interval: '10s', Status: 'critical' } };
    expect((await fetch(`${consul}/v1/agent/service/register`, { method: 'PUT', body: JSON.stringify(register) })).ok).toBe(true);
    // Once a later registration is routed, the simulated Fabio has seen this one too.
    await deploy(sim.sandbox, { id: 'late', tags: ['urlprefix-/late'] });
    await eventually(() => expect(sim.sandbox.fabio.routes().map((r) => r.path)).toContain('/late'));
    expect(sim.sandbox.fabio.routes().map((r) => r.path)).not.toContain('/sick');
    expect((await get(`${fabio}/sick`)).body).toBe('site');
  });

  const metrics = async (): Promise<string> => (await fetch(`${sim.sandbox.addresses.fabioMetrics}/metrics`)).text();
});

describe('simulated Fabio without a matching route', () => {
  let sim: TrafficSandbox;
  beforeAll(async () => {
    sim = await startTrafficSandbox(7202);
    await deploy(sim.sandbox, { id: 'only', tags: ['urlprefix-/only'] });
    await eventually(() => expect(sim.sandbox.fabio.routes()).toHaveLength(1));
  });
  afterAll(async () => {
    await sim?.sandbox.close();
  });

  it('answers 404 and counts fabio_notfound', async () => {
    const { sandbox } = sim;
    const answer = await get(`${sandbox.addresses.fabio}/elsewhere`);
    expect([answer.status, answer.headers['x-drover-sandbox']]).toEqual([404, 'simulated-fabio']);
    await get(`${sandbox.addresses.fabio}/nowhere`);
    const text = await (await fetch(`${sandbox.addresses.fabioMetrics}/metrics`)).text();
    expect(sampleValue(text, 'fabio_notfound')).toBe(2);
    expect(text).not.toContain('fabio_http_status_count');
  });

  it('serves metrics only at /metrics', async () => {
    expect((await fetch(`${sim.sandbox.addresses.fabioMetrics}/`)).status).toBe(404);
  });
});
