import { describe, expect, it } from 'vitest';
import type { ConsulClient } from '../../../src/clients/consul/index.ts';
import { defineEnvironment } from '../../../src/config/environment.ts';
import type { JobSpec } from '../../../src/model/job.ts';
import type { ReleaseEvent } from '../../../src/release/events.ts';
import type { SmokeHttp, SmokeHttpRequest } from '../../../src/smoke/http.ts';
import { runSmokeChecks } from '../../../src/smoke/run.ts';
import type { ConsulServiceEntry } from '../../../src/wire/consul.ts';

const env = defineEnvironment({
  name: 'qa',
  nomad: { address: 'http://nomad' },
  consul: { address: 'http://consul' },
  vault: { address: 'http://vault' },
  fabio: { domain: 'qa.example.internal', address: 'http://fabio.qa:9999/' },
});

/** A job `www` with a routed service `www` and the given smoke checks. */
function aJob(smoke: JobSpec['smoke']): JobSpec {
  return {
    id: 'www',
    kind: 'service',
    smoke,
    groups: [{ name: 'web', services: [{ name: 'www-admin', port: 'http' }, { name: 'www', port: 'http', routes: [{ path: '/' }] }], tasks: [{ name: 'nginx', image: 'nginx:1', resources: { cpu: 100, memoryMb: 64 } }] }],
  };
}

/** Answers requests in order from `answers` (an Error = no answer), recording them. */
function scripted(...answers: ({ status: number; body: string } | Error)[]): SmokeHttp & { requests: SmokeHttpRequest[] } {
  const requests: SmokeHttpRequest[] = [];
  const http = async (request: SmokeHttpRequest) => {
    requests.push(request);
    const next = answers.shift();
    if (!next) throw new Error('unexpected request');
    if (next instanceof Error) throw next;
    return next;
  };
  return Object.assign(http, { requests });
}

function consulWith(entries: Partial<ConsulServiceEntry>[]): ConsulClient & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    health: {
      service: async (name: string, opts?: { passingOnly?: boolean }) => {
        asked.push(`${name} passing=${opts?.passingOnly}`);
        return { value: entries as ConsulServiceEntry[], index: 1 };
      },
    },
  } as unknown as ConsulClient & { asked: string[] };
}

/** A clock where each request takes 25 ms. */
function ticking() {
  let t = 0;
  return () => (t += 12.5);
}

describe('runSmokeChecks', () => {
  it('requests the path through Fabio with the check\'s Host header and passes a matching answer', async () => {
    const http = scripted({ status: 200, body: '<html>shop' });
    const results = await runSmokeChecks([aJob([{ name: 'home', via: 'fabio', path: '/?x=1', host: 'www.qa.example.internal', bodyPattern: '<html' }])], { env, consul: consulWith([]), http, now: ticking() });
    expect(http.requests).toEqual([{ method: 'GET', url: 'http://fabio.qa:9999/?x=1', headers: { 'user-agent': 'drover-smoke', host: 'www.qa.example.internal' }, timeoutMs: 10_000 }]);
    expect(results).toEqual([
      { job: 'www', check: 'home', via: 'fabio', ok: true, attempts: 1, request: { method: 'GET', url: 'http://fabio.qa:9999/?x=1', host: 'www.qa.example.internal' }, response: { status: 200, body: '<html>shop', latencyMs: 13 }, problems: [] },
    ]);
  });

  it('retries a failing answer after retryDelayMs, reporting each retry, and passes on a later attempt', async () => {
    const http = scripted({ status: 404, body: 'no route' }, new Error('socket hang up'), { status: 200, body: 'ok' });
    const slept: number[] = [];
    const events: ReleaseEvent[] = [];
    const [result] = await runSmokeChecks([aJob([{ name: 'home', via: 'fabio', path: '/', retries: 2, retryDelayMs: 250 }])], {
      env,
      consul: consulWith([]),
      http,
      sleep: async (ms) => void slept.push(ms),
      report: (e) => events.push(e),
    });
    expect(result).toMatchObject({ ok: true, attempts: 3 });
    expect(slept).toEqual([250, 250]);
    expect(events.map((e) => (e.type === 'smoke-retrying' ? `${e.attempt}: ${e.problem}` : e.type))).toEqual(['1: status 404, expected 200', '2: no answer: socket hang up', 'smoke-finished']);
  });

  it('fails after the last retry with the last request and response', async () => {
    const http = scripted({ status: 200, body: 'maintenance' }, { status: 200, body: 'maintenance page' });
    const [result] = await runSmokeChecks([aJob([{ name: 'home', via: 'fabio', path: '/', bodyPattern: 'shop', retries: 1, retryDelayMs: 0 }])], { env, consul: consulWith([]), http, now: ticking() });
    expect(result).toEqual({
      job: 'www',
      check: 'home',
      via: 'fabio',
      ok: false,
      attempts: 2,
      request: { method: 'GET', url: 'http://fabio.qa:9999/' },
      response: { status: 200, body: 'maintenance page', latencyMs: 13 },
      problems: ['body does not match /shop/'],
    });
  });

  it('goes straight to a passing instance of the first routed service via Consul, once per job', async () => {
    const http = scripted({ status: 200, body: 'ok' }, { status: 204, body: '' });
    const consul = consulWith([
      { Service: { ID: 'b', Service: 'www', Tags: [], Address: '', Port: 31002, Meta: {} }, Node: { ID: 'n2', Node: 'n2', Address: '10.0.0.2', Datacenter: 'qa1' } },
      { Service: { ID: 'a', Service: 'www', Tags: [], Address: '10.0.0.1', Port: 31001, Meta: {} }, Node: { ID: 'n1', Node: 'n1', Address: '10.9.9.9', Datacenter: 'qa1' } },
    ]);
    const checks = [
      { name: 'health', via: 'consul' as const, path: '/healthz' },
      { name: 'purge', via: 'consul' as const, path: '/cache', method: 'DELETE' as const, expectStatus: 204 },
    ];
    const results = await runSmokeChecks([aJob(checks)], { env, consul, http });
    expect(consul.asked).toEqual(['www passing=true']);
    expect(http.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['GET http://10.0.0.1:31001/healthz', 'DELETE http://10.0.0.1:31001/cache']);
    expect(results.map((r) => r.ok)).toEqual([true, true]);
  });

  it('fails without a request when there is no passing instance or no Fabio address', async () => {
    const noFabio = defineEnvironment({ ...env, fabio: { domain: 'qa.example.internal' } });
    const results = await runSmokeChecks([aJob([{ name: 'via fabio', via: 'fabio', path: '/' }, { name: 'direct', via: 'consul', path: '/' }])], { env: noFabio, consul: consulWith([]), http: scripted() });
    expect(results.map((r) => [r.ok, r.attempts, r.request, r.problems])).toEqual([
      [false, 0, undefined, ['environment qa has no fabio.address to send requests through']],
      [false, 0, undefined, ['service www has no passing instance in Consul']],
    ]);
  });
});
