/**
 * Smoke checks over real HTTP: a tiny node:http server on 127.0.0.1 plays both Fabio (the
 * environment's fabio.address points at it) and an app instance registered in the sandbox's
 * Consul (for `via: 'consul'`).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import qa from '../../environments/qa.ts';
import { createConsulClient, type ConsulClient } from '../../src/clients/consul/index.ts';
import { defineEnvironment } from '../../src/config/environment.ts';
import type { JobSpec } from '../../src/model/job.ts';
import type { SmokeCheck } from '../../src/model/smoke.ts';
import type { RunningSandbox } from '../../src/sandbox/server.ts';
import { runSmokeChecks } from '../../src/smoke/run.ts';
import { sandboxFor } from '../support/sandbox.ts';

/** Requests the server saw, and its answers by path (`host` must match when given). */
interface FakeApp {
  readonly server: Server;
  readonly port: number;
  readonly seen: { method: string; url: string; headers: IncomingHttpHeaders }[];
}

/** Starts the app/Fabio stand-in on a random port. */
async function startFakeApp(routes: Record<string, { status?: number; body: string; host?: string; delayMs?: number }>): Promise<FakeApp> {
  const seen: FakeApp['seen'] = [];
  const server = createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    const route = routes[req.url ?? ''];
    if (!route || (route.host && req.headers.host !== route.host)) return void res.writeHead(404).end('no route');
    setTimeout(() => res.writeHead(route.status ?? 200, { 'content-type': 'text/html' }).end(route.body), route.delayMs ?? 0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, seen };
}

const job = (smoke: SmokeCheck[]): JobSpec => ({
  id: 'www',
  kind: 'service',
  smoke,
  groups: [{ name: 'web', services: [{ name: 'www-smoke', port: 'http', routes: [{ path: '/' }] }], tasks: [{ name: 'nginx', image: 'nginx:1', resources: { cpu: 1, memoryMb: 1 } }] }],
});

describe('smoke checks over HTTP', { timeout: 30_000 }, () => {
  let sandbox: RunningSandbox;
  let consul: ConsulClient;
  let app: FakeApp;
  let env: typeof qa;
  beforeAll(async () => {
    sandbox = await sandboxFor('qa');
    consul = createConsulClient({ address: sandbox.addresses.consul });
    app = await startFakeApp({
      '/': { body: '<html><title>Shop</title>', host: 'www.qa.example.internal' },
      '/maintenance': { body: `<html>${'down for maintenance '.repeat(40)}` },
      '/healthz': { body: 'ok' },
      '/slow': { body: 'ok', delayMs: 150 },
    });
    env = defineEnvironment({ ...qa, fabio: { ...qa.fabio, address: `http://127.0.0.1:${app.port}` } });
    // The app instance, as Nomad would register it: passing, on the stand-in's port.
    const registered = await fetch(`${sandbox.addresses.consul}/v1/agent/service/register`, {
      method: 'PUT',
      body: JSON.stringify({ Name: 'www-smoke', ID: 'www-smoke-1', Address: '127.0.0.1', Port: app.port, Check: { TTL: '30s', Status: 'passing' } }),
    });
    expect(registered.status).toBe(200);
  });
  afterAll(async () => {
    consul.close();
    app.server.close();
    await sandbox.close();
  });

  it('passes a check through Fabio, sending the Host header of host-based routes', async () => {
    const [result] = await runSmokeChecks([job([{ name: 'home page', via: 'fabio', path: '/', host: 'www.qa.example.internal', bodyPattern: '<title>Shop</title>', maxLatencyMs: 2000 }])], { env, consul });
    expect(result).toMatchObject({ ok: true, attempts: 1, request: { method: 'GET', url: `http://127.0.0.1:${app.port}/`, host: 'www.qa.example.internal' }, response: { status: 200, body: '<html><title>Shop</title>' }, problems: [] });
    expect(app.seen.at(-1)!.headers.host).toBe('www.qa.example.internal');
  });

  it('fails a body that does not match, with the request and the first 500 characters of the response', async () => {
    const [result] = await runSmokeChecks([job([{ name: 'maintenance', via: 'fabio', path: '/maintenance', bodyPattern: '<title>Shop</title>', retries: 1, retryDelayMs: 10 }])], { env, consul });
    expect(result).toMatchObject({ ok: false, attempts: 2, request: { method: 'GET', url: `http://127.0.0.1:${app.port}/maintenance` }, response: { status: 200 }, problems: ['body does not match /<title>Shop</title>/'] });
    expect(result!.response!.body).toBe(`<html>${'down for maintenance '.repeat(40)}`.slice(0, 500));
    expect(result!.response!.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('fails a slow answer and a missing route with what came back', async () => {
    const results = await runSmokeChecks([job([
      { name: 'slow', via: 'fabio', path: '/slow', maxLatencyMs: 50, retries: 0 },
      { name: 'no route', via: 'fabio', path: '/nowhere', retries: 0 },
    ])], { env, consul });
    expect(results[0]!.problems[0]).toMatch(/^answered in \d+ ms, more than the 50 ms allowed$/);
    expect(results[1]).toMatchObject({ ok: false, response: { status: 404, body: 'no route' }, problems: ['status 404, expected 200'] });
  });

  it('goes straight to a passing instance found in Consul', async () => {
    const before = app.seen.length;
    const [result] = await runSmokeChecks([job([{ name: 'health', via: 'consul', path: '/healthz', bodyPattern: '^ok$' }])], { env, consul });
    expect(result).toMatchObject({ ok: true, request: { url: `http://127.0.0.1:${app.port}/healthz` } });
    expect(app.seen.slice(before).map((r) => r.url)).toEqual(['/healthz']);
  });

  it('reports a refused connection as a failure without a response', async () => {
    const closed = defineEnvironment({ ...qa, fabio: { ...qa.fabio, address: 'http://127.0.0.1:1' } });
    const [result] = await runSmokeChecks([job([{ name: 'home', via: 'fabio', path: '/', retries: 0 }])], { env: closed, consul });
    expect(result).toMatchObject({ ok: false, attempts: 1, request: { url: 'http://127.0.0.1:1/' } });
    expect(result!.response).toBeUndefined();
    expect(result!.problems[0]).toMatch(/^no answer: .*ECONNREFUSED/);
  });
});
