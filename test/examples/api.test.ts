/** The api example app over real HTTP on 127.0.0.1: its routes, health, metrics and chaos knob. */
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../examples/apps/api/app.ts';
import { apiConfig, DB_USER, PASSWORD } from './fixtures.ts';
import { metric, request, serveApp, type ServedApp } from './harness.ts';

const series = (code: number, route: string, method = 'GET') => `http_requests_total{code="${code}",route="${route}",method="${method}"}`;

describe('the api example app', () => {
  let served: ServedApp | undefined;
  afterEach(async () => {
    await served?.server.shutdown('test over');
    served = undefined;
  });

  it('answers the product list as a JSON array, as the smoke check through Fabio expects', async () => {
    served = await serveApp((log) => createApp(apiConfig(), { log }));
    const list = await request(`${served.url}/products?limit=1`);
    expect([list.status, list.headers['content-type']]).toEqual([200, 'application/json']);
    expect(list.body).toMatch(/^\[/);
    expect(JSON.parse(list.body)).toEqual([{ id: 1, name: 'Espresso beans, 1 kg', priceCents: 2490 }]);
    expect(JSON.parse((await request(`${served.url}/products`)).body)).toHaveLength(8);
    expect(JSON.parse((await request(`${served.url}/products/3`)).body)).toMatchObject({ id: 3 });
    expect((await request(`${served.url}/products/99`)).status).toBe(404);
    expect(await request(`${served.url}/products?limit=0`)).toMatchObject({ status: 400, body: '{"error":"limit must be an integer from 1 to 100"}' });
  });

  it('serves the feature flags read from Consul', async () => {
    served = await serveApp((log) => createApp(apiConfig({ FEATURE_FLAGS: 'search-v2,new-checkout' }), { log }));
    expect(JSON.parse((await request(`${served.url}/features`)).body)).toEqual({ flags: ['new-checkout', 'search-v2'] });
  });

  it('is ready once serving, live on /healthz, and 503 on /ready when not ready', async () => {
    served = await serveApp((log) => createApp(apiConfig(), { log }));
    expect(await request(`${served.url}/ready`)).toMatchObject({ status: 200, body: 'ready' });
    expect(await request(`${served.url}/healthz`)).toMatchObject({ status: 200, body: 'ok' });
    served.app.setReady(false);
    const notReady = await request(`${served.url}/ready`);
    expect([notReady.status, notReady.body, notReady.headers.connection]).toEqual([503, 'not ready', 'close']);
    expect((await request(`${served.url}/healthz`)).status).toBe(200);
  });

  it('counts requests by code, bounded route and method, and not its own scrapes', async () => {
    served = await serveApp((log) => createApp(apiConfig(), { log }));
    const { url } = served;
    expect(await metric(url, series(503, 'products'))).toBe(0); // created at 0 so rate() sees the first 503
    for (let i = 0; i < 3; i++) await request(`${url}/products?limit=2`);
    await request(`${url}/products?limit=x`);
    await request(`${url}/products/1`);
    await request(`${url}/no/such/path/${Math.random()}`);
    await request(`${url}/products`, 'DELETE');
    await request(`${url}/products`, 'HEAD');
    await request(`${url}/products`, 'PROPFIND'); // a method Node parses but the label set does not list
    const exposition = (await request(`${url}/metrics`)).body;
    const lines = exposition.split('\n').filter((l) => l.startsWith('http_requests_total{') && !l.endsWith(' 0'));
    expect(lines.sort()).toEqual([
      `${series(200, 'product')} 1`,
      `${series(200, 'products')} 3`,
      `${series(200, 'products', 'HEAD')} 1`,
      `${series(400, 'products')} 1`,
      `${series(404, 'other')} 1`,
      `${series(405, 'products', 'DELETE')} 1`,
      `${series(405, 'products', 'other')} 1`,
    ].sort());
    expect(exposition).toContain('http_request_duration_seconds_bucket{le="0.005",route="products",code="200"}');
    expect(exposition).toContain('http_request_duration_seconds_bucket{le="5",route="products",code="200"}');
    expect(exposition).toContain('http_request_duration_seconds_count{route="products",code="200"} 4'); // GET and HEAD: no method label
    expect(exposition).not.toMatch(/route="metrics"|service=|canary=|alloc=/);
  });

  it('answers 503 to exactly the EXAMPLE_ERROR_RATIO share of requests and counts them, sparing health checks', async () => {
    served = await serveApp((log) => createApp(apiConfig({ EXAMPLE_ERROR_RATIO: '0.25' }), { log }));
    const { url } = served;
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      statuses.push((await request(`${url}/products?limit=1`)).status);
      expect((await request(`${url}/ready`)).status).toBe(200);
    }
    expect(statuses).toEqual([200, 200, 200, 503, 200, 200, 200, 503]);
    expect(await metric(url, series(503, 'products'))).toBe(2);
    expect(await metric(url, series(200, 'products'))).toBe(6);
    expect(await metric(url, series(200, 'ready'))).toBe(8);
  });

  it('waits EXAMPLE_LATENCY_MS before answering and records it in the latency histogram', async () => {
    served = await serveApp((log) => createApp(apiConfig({ EXAMPLE_LATENCY_MS: '120' }), { log }));
    const started = Date.now();
    await request(`${served.url}/products`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
    expect(await metric(served.url, 'http_request_duration_seconds_bucket{le="0.1",route="products",code="200"}')).toBe(0);
    expect(await metric(served.url, 'http_request_duration_seconds_bucket{le="0.25",route="products",code="200"}')).toBe(1);
    const started2 = Date.now();
    await request(`${served.url}/healthz`);
    expect(Date.now() - started2).toBeLessThan(100);
  });

  it('finishes an in-flight request on shutdown, refuses new connections, and reports a drain', async () => {
    served = await serveApp((log) => createApp(apiConfig({ EXAMPLE_LATENCY_MS: '300' }), { log }));
    const { url, server, app } = served;
    const inFlight = request(`${url}/products?limit=1`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const shutdown = server.shutdown('SIGTERM');
    expect(app.isReady()).toBe(false);
    await expect(request(`${url}/healthz`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    const answer = await inFlight;
    expect([answer.status, answer.headers.connection]).toEqual([200, 'close']);
    expect(await shutdown).toBe('drained');
    expect(served.lines.map((l) => JSON.parse(l).msg)).toEqual(['listening', 'shutting down', 'stopped']);
  });

  it('cuts what is still running when the shutdown bound passes', async () => {
    served = await serveApp((log) => createApp(apiConfig({ EXAMPLE_LATENCY_MS: '5000' }), { log }), 100);
    const inFlight = request(`${served.url}/products`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    expect(await served.server.shutdown('SIGTERM')).toBe('timed-out');
    expect(Date.now() - started).toBeLessThan(1_000);
    await expect(inFlight).rejects.toThrow(/socket hang up|ECONNRESET/);
  });

  it('never puts a secret in a log line, an answer or its metrics', async () => {
    served = await serveApp((log) => createApp(apiConfig({ EXAMPLE_ERROR_RATIO: '0.5', FEATURE_FLAGS: 'a' }), { log }));
    const bodies: string[] = [];
    for (const path of ['/products', '/products', '/features', '/ready', '/nope', '/metrics']) bodies.push((await request(`${served.url}${path}`)).body);
    await served.server.shutdown('test');
    const everything = [...bodies, ...served.lines].join('\n');
    expect(everything).toContain('example chaos'); // the requests did run
    expect(everything).not.toContain(PASSWORD);
    expect(everything).not.toContain(DB_USER);
  });
});
