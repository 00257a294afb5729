/**
 * Simulated instances of the example jobs run the real example apps (examples/apps/): their
 * answers, their health routes and their own `/metrics`, with scripted faults counted there as the
 * app's own answers, so a canary's injected 503s show on the canary's series only.
 */
import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXAMPLE_APPS } from '../../src/sandbox/example-apps.ts';
import { catalogInstances, deploy, eventually, get, sampleValue, startTrafficSandbox, type CatalogInstance, type TrafficSandbox } from './fabio-harness.ts';

const requests = (code: number, route: string) => `http_requests_total{code="${code}",route="${route}",method="GET"}`;

describe('simulated instances of the example apps', () => {
  let sim: TrafficSandbox;
  beforeEach(async () => {
    sim = await startTrafficSandbox(7151);
  });
  afterEach(async () => {
    await sim.sandbox.close();
  });

  const metrics = async (instance: CatalogInstance) => (await get(`http://127.0.0.1:${instance.port}/metrics`)).body;

  /** api with two stable instances and one canary, every instance listening. */
  async function apiWithCanary(): Promise<{ stable: CatalogInstance[]; canary: CatalogInstance }> {
    const { sandbox } = sim;
    sandbox.fabio.setApp('api', EXAMPLE_APPS.api!);
    await deploy(sandbox, { id: 'api', tags: ['urlprefix-/api strip=/api'], count: 2, canaries: 1 });
    await deploy(sandbox, { id: 'api', tags: ['urlprefix-/api strip=/api'], count: 2, canaries: 1, image: 'example/api:2.0.0' });
    const instances = await catalogInstances(sandbox, 'api');
    for (const instance of instances) await eventually(() => get(`http://127.0.0.1:${instance.port}/healthz`));
    const canary = instances.find((i) => i.tags.includes('canary'))!;
    return { stable: instances.filter((i) => i !== canary), canary };
  }

  it('answers with the real api: its product list (also through Fabio with /api stripped), health routes and metrics', async () => {
    const { stable } = await apiWithCanary();
    const instance = stable[0]!;
    const list = await get(`http://127.0.0.1:${instance.port}/products?limit=1`);
    expect([list.status, list.headers['content-type'], JSON.parse(list.body)]).toEqual([200, 'application/json', [{ id: 1, name: 'Espresso beans, 1 kg', priceCents: 2490 }]]);
    expect([list.headers['x-drover-sandbox'], list.headers['x-drover-sandbox-instance']]).toEqual(['simulated-app', instance.id]);
    expect((await get(`http://127.0.0.1:${instance.port}/ready`)).body).toBe('ready');
    expect((await get(`http://127.0.0.1:${instance.port}/products/nope`)).status).toBe(404);
    const viaFabio = await eventually(async () => {
      const answer = await get(`${sim.sandbox.addresses.fabio}/api/products?limit=2`);
      expect(answer.status).toBe(200);
      return answer;
    });
    expect(JSON.parse(viaFabio.body)).toHaveLength(2);
    expect(sampleValue(await metrics(instance), requests(404, 'product'))).toBe(1);
  });

  it('counts injected canary errors as 503s in the canary\'s own /metrics, and not in the stable instances\'', async () => {
    const { stable, canary } = await apiWithCanary();
    sim.sandbox.fabio.setApp('api', { ...EXAMPLE_APPS.api, instances: 'canary', errorRatio: 1 });
    expect(sampleValue(await metrics(canary), requests(503, 'products'))).toBe(0); // exposed before the first error
    for (let i = 0; i < 5; i++) expect((await get(`http://127.0.0.1:${canary.port}/products?limit=1`)).status).toBe(503);
    for (let i = 0; i < 3; i++) expect((await get(`http://127.0.0.1:${stable[0]!.port}/products?limit=1`)).status).toBe(200);
    const canaryMetrics = await metrics(canary);
    expect(sampleValue(canaryMetrics, requests(503, 'products'))).toBe(5);
    expect(sampleValue(canaryMetrics, requests(200, 'products'))).toBe(0);
    expect(sampleValue(canaryMetrics, 'http_request_duration_seconds_count{route="products",code="503"}')).toBe(5);
    const stableMetrics = await metrics(stable[0]!);
    expect([sampleValue(stableMetrics, requests(503, 'products')), sampleValue(stableMetrics, requests(200, 'products'))]).toEqual([0, 3]);
    // Scrapes are never failed, and carry no labels Prometheus adds itself.
    expect(canaryMetrics).not.toMatch(/service=|canary=|alloc=/);
    sim.sandbox.fabio.clearApps('api', 'canary');
    expect((await get(`http://127.0.0.1:${canary.port}/products?limit=1`)).status).toBe(200);
    expect(sampleValue(await metrics(canary), requests(200, 'products'))).toBe(1);
  });

  it('keeps the app behind a canary-only behaviour that names none, and spreads errorRatio evenly', async () => {
    const { canary } = await apiWithCanary();
    sim.sandbox.fabio.setApp('api', { instances: 'canary', errorRatio: 0.5 });
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await get(`http://127.0.0.1:${canary.port}/products?limit=1`));
    expect(answers.filter((a) => a.status === 503)).toHaveLength(3);
    expect(answers.filter((a) => a.status === 200).every((a) => a.body.startsWith('[{"id":1'))).toBe(true);
    expect(sampleValue(await metrics(canary), requests(503, 'products'))).toBe(3);
  });

  it('counts a scripted response and scripted latency as the app\'s own answers', async () => {
    const { stable } = await apiWithCanary();
    const port = stable[0]!.port;
    sim.sandbox.fabio.setApp('api', { ...EXAMPLE_APPS.api, responses: { '/products': { status: 500, body: 'database unavailable' } }, latencyMs: 120 });
    const answer = await get(`http://127.0.0.1:${port}/products?limit=1`);
    expect([answer.status, answer.body]).toEqual([500, 'database unavailable']);
    expect((await get(`http://127.0.0.1:${port}/products/2`)).body).toContain('"id":2'); // other paths: the app
    const exposition = await metrics(stable[0]!);
    expect(sampleValue(exposition, requests(500, 'products'))).toBe(1);
    expect(sampleValue(exposition, 'http_request_duration_seconds_bucket{le="0.1",route="products",code="500"}')).toBe(0);
    expect(sampleValue(exposition, 'http_request_duration_seconds_bucket{le="0.25",route="products",code="500"}')).toBe(1);
  });

  it('serves the same metrics on instances of services that run no example app', async () => {
    const { sandbox } = sim;
    await deploy(sandbox, { id: 'plain', tags: [] });
    sandbox.fabio.setApp('plain', { instances: 'all', errorRatio: 0.5 });
    const [instance] = await catalogInstances(sandbox, 'plain');
    await eventually(() => get(`http://127.0.0.1:${instance!.port}/metrics`));
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await get(`http://127.0.0.1:${instance!.port}/anything`)).status);
    expect(statuses.filter((s) => s === 503)).toHaveLength(2);
    const exposition = await metrics(instance!);
    expect([sampleValue(exposition, requests(503, 'other')), sampleValue(exposition, requests(200, 'other'))]).toEqual([2, 2]);
  });

  it('starts a new allocation on a port its predecessor used with counters at 0', async () => {
    const { consul } = sim.sandbox.addresses;
    const port = await freePort();
    sim.sandbox.fabio.setApp('reused', EXAMPLE_APPS.api!);
    await agent(consul, 'PUT', '/v1/agent/service/register', { ID: 'reused-1', Name: 'reused', Address: '127.0.0.1', Port: port });
    await eventually(() => get(`http://127.0.0.1:${port}/products`));
    expect(sampleValue((await get(`http://127.0.0.1:${port}/metrics`)).body, requests(200, 'products'))).toBe(1);
    await agent(consul, 'PUT', '/v1/agent/service/deregister/reused-1');
    await agent(consul, 'PUT', '/v1/agent/service/register', { ID: 'reused-2', Name: 'reused', Address: '127.0.0.1', Port: port });
    const answer = await eventually(async () => {
      const reply = await get(`http://127.0.0.1:${port}/products`);
      expect(reply.headers['x-drover-sandbox-instance']).toBe('reused-2');
      return reply;
    });
    expect(answer.status).toBe(200);
    expect(sampleValue((await get(`http://127.0.0.1:${port}/metrics`)).body, requests(200, 'products'))).toBe(1);
  });

  it('refuses a behaviour naming an app that is not an example app', () => {
    expect(() => sim.sandbox.fabio.setApp('api', { app: 'billing' as 'api' })).toThrow('invalid behaviour for api: app must be one of www, api, worker (the example apps under examples/apps/)');
  });
});

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

async function agent(consul: string, method: string, path: string, body?: unknown): Promise<void> {
  const response = await fetch(`${consul}${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status}`);
}
