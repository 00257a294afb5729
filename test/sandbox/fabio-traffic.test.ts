/**
 * Synthetic traffic through the simulated Fabio, the admin API of the apps/Fabio simulation, and a
 * REAL Prometheus scraping the simulated Fabio's metrics listener (skipped loudly without the
 * prometheus binary: `bash scripts/install-prometheus.sh`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binaryAvailability, startPrometheus, warnSkipped, type PrometheusServer } from '../support/prometheus-server.ts';
import { catalogInstances, deploy, eventually, get, sampleValue, startTrafficSandbox, type TrafficSandbox } from './fabio-harness.ts';

const availability = binaryAvailability('prometheus');
warnSkipped('test/sandbox/fabio-traffic.test.ts (real Prometheus)', availability);

describe('synthetic traffic and the admin API', () => {
  let sim: TrafficSandbox;
  const metrics = async (): Promise<string> => (await fetch(`${sim.sandbox.addresses.fabioMetrics}/metrics`)).text();
  const admin = (method: string, path: string, body?: unknown): Promise<Response> =>
    fetch(`${sim.sandbox.addresses.nomad}/_sandbox${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  beforeAll(async () => {
    sim = await startTrafficSandbox(7401);
    await deploy(sim.sandbox, { id: 'api', tags: ['urlprefix-/api'] });
    await deploy(sim.sandbox, { id: 'shop', tags: ['urlprefix-shop.example.com/'] });
    await eventually(() => expect(sim.sandbox.fabio.routes()).toHaveLength(2));
  });
  afterAll(async () => {
    await sim?.sandbox.close();
  });

  it('sends the requested rate through Fabio until set to 0', async () => {
    const series = 'fabio_http_status_count{code="200",service="api"}';
    sim.sandbox.fabio.setTraffic('/api', { rps: 50 });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    sim.sandbox.fabio.setTraffic('/api', { rps: 0 });
    await new Promise((resolve) => setTimeout(resolve, 150)); // requests in flight finish
    const sent = sampleValue(await metrics(), series) ?? 0;
    expect(sent).toBeGreaterThanOrEqual(35);
    expect(sent).toBeLessThanOrEqual(55);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sampleValue(await metrics(), series)).toBe(sent);
  });

  it('sends host routes with their Host header', async () => {
    sim.sandbox.fabio.setTraffic('http://shop.example.com/cart', { rps: 30 });
    await eventually(async () => expect(sampleValue(await metrics(), 'fabio_http_status_count{code="200",service="shop"}')).toBeGreaterThan(5));
    sim.sandbox.fabio.setTraffic({ host: 'shop.example.com', path: '/cart' }, { rps: 0 });
    expect(await (await admin('GET', '/traffic')).json()).toEqual([]);
  });

  it('refuses a route or rate it cannot use', () => {
    expect(() => sim.sandbox.fabio.setTraffic('nowhere', { rps: 1 })).toThrow(RangeError);
    expect(() => sim.sandbox.fabio.setTraffic('/api', { rps: -1 })).toThrow(RangeError);
    expect(() => sim.sandbox.fabio.setApp('api', { errorRatio: 2 })).toThrow(/errorRatio must be a number between 0 and 1/);
  });

  it('scripts apps and traffic over PUT /_sandbox/apps/<service> and PUT /_sandbox/traffic', async () => {
    expect((await admin('PUT', '/apps/api', { responses: { '/api/ping': { body: 'pong' } } })).status).toBe(200);
    expect((await get(`${sim.sandbox.addresses.fabio}/api/ping`)).body).toBe('pong');
    const invalid = await admin('PUT', '/apps/api', { instances: 'some' });
    expect([invalid.status, ((await invalid.json()) as { error: string }).error]).toEqual([400, 'invalid behaviour for api: instances must be one of all, canary, stable']);
    expect((await admin('PUT', '/traffic', { route: '/api/ping', rps: 20 })).status).toBe(200);
    expect(await (await admin('GET', '/traffic')).json()).toMatchObject([{ path: '/api/ping', rps: 20 }]);
    expect((await admin('PUT', '/traffic', { path: '/api/ping', rps: 0 })).status).toBe(200);
    expect((await admin('DELETE', '/apps/api')).status).toBe(200);
    expect((await get(`${sim.sandbox.addresses.fabio}/api/ping`)).body).toBe('ok');
  });

  it('lists the route table, apps and traffic under GET /_sandbox/fabio and /_sandbox/fabio/routes', async () => {
    const routes = (await (await admin('GET', '/fabio/routes')).json()) as { host: string; path: string }[];
    expect(routes.map((r) => `${r.host}${r.path}`)).toEqual(['shop.example.com/', '/api']);
    const overview = (await (await admin('GET', '/fabio')).json()) as { addresses: unknown; instances: { port: number; listening: boolean }[] };
    expect(overview.addresses).toEqual({ fabio: sim.sandbox.addresses.fabio, fabioMetrics: sim.sandbox.addresses.fabioMetrics });
    const ports = [...(await catalogInstances(sim.sandbox, 'api')), ...(await catalogInstances(sim.sandbox, 'shop'))].map((i) => i.port).sort();
    expect(overview.instances.map((i) => i.port).sort()).toEqual(ports);
    expect(overview.instances.every((i) => i.listening)).toBe(true);
  });

  it('forgets behaviours and stops traffic on POST /_sandbox/reset', async () => {
    sim.sandbox.fabio.setApp('api', { default: { body: 'scripted' } });
    sim.sandbox.fabio.setTraffic('/api', { rps: 10 });
    expect((await admin('POST', '/reset')).status).toBe(200);
    const overview = (await (await admin('GET', '/fabio')).json()) as { apps: unknown; traffic: unknown[] };
    expect([overview.apps, overview.traffic]).toEqual([{}, []]);
  });
});

describe.skipIf(!availability.available)('a real Prometheus scraping the simulated Fabio', () => {
  let sim: TrafficSandbox;
  let prometheus: PrometheusServer;
  beforeAll(async () => {
    sim = await startTrafficSandbox(7402);
    // Prometheus needs a few seconds before its first scrape; deploy meanwhile.
    const starting = startPrometheus([sim.sandbox.addresses.fabioMetrics]);
    await deploy(sim.sandbox, { id: 'web', tags: ['urlprefix-/web'], count: 2 });
    await eventually(() => expect(sim.sandbox.fabio.routes()).toHaveLength(1));
    sim.sandbox.fabio.setTraffic('/web', { rps: 20 });
    prometheus = await starting;
  }, 30_000);
  afterAll(async () => {
    await prometheus?.stop();
    await sim?.sandbox.close();
  });

  it('sees the traffic generator rate in fabio_http_status_count and per target in fabio_route_count', async () => {
    await prometheus.waitFor('sum(rate(fabio_http_status_count{service="web",code="200"}[5s]))', (v) => v >= 15 && v <= 25, 20_000);
    await prometheus.waitFor('count(rate(fabio_route_count{service="web",path="/web"}[5s]) > 5)', (v) => v === 2, 10_000);
  }, 35_000);
});
