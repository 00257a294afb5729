/**
 * The catalog as the Nomad simulator and Fabio use it: services registered through the
 * ConsulCatalogSink API show up in catalog and health answers, check changes wake Fabio's blocking
 * `/v1/health/state/any`, agent TTL checks expire on the sandbox clock.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSandboxClock, type ControlledClock } from '../../src/sandbox/clock.ts';
import { createConsulService, type ConsulSandbox } from '../../src/sandbox/consul/index.ts';
import { call, serve, type Answer, type ServedService } from '../support/serve-sandbox-service.ts';

let clock: ControlledClock;
let consul: ConsulSandbox;
let served: ServedService;

beforeEach(async () => {
  clock = createSandboxClock({ speed: 0 });
  consul = createConsulService({ clock, datacenter: 'qa1' });
  served = await serve(consul);
});

afterEach(async () => {
  await served.close();
  clock.close();
});

const get = (path: string): Promise<Answer> => call(served.address, 'GET', path);
const index = (answer: Answer): number => Number(answer.headers.get('x-consul-index'));

function registerApi(allocId: string, status: 'passing' | 'critical' = 'critical'): void {
  consul.registerService({
    id: `_nomad-task-${allocId}-api-api-http`,
    name: 'api',
    tags: ['urlprefix-/api', 'v2'],
    address: '10.1.0.7',
    port: 23456,
    meta: { 'drover.release': 'r42' },
    checks: [{ id: `_nomad-check-${allocId}`, name: 'service: "api" check', status, type: 'http' }],
    node: { name: 'nomad-client-1', address: '10.1.0.7' },
  });
}

describe('ConsulCatalogSink', () => {
  it('shows registered instances in the catalog with their node, tags, meta, address and port', async () => {
    registerApi('a1');
    expect((await get('/v1/catalog/services')).json).toEqual({ api: ['urlprefix-/api', 'v2'], consul: [] });
    const [instance] = (await get('/v1/catalog/service/api')).json as Record<string, unknown>[];
    expect(instance).toMatchObject({
      Node: 'nomad-client-1',
      Address: '10.1.0.7',
      Datacenter: 'qa1',
      ServiceID: '_nomad-task-a1-api-api-http',
      ServiceName: 'api',
      ServiceTags: ['urlprefix-/api', 'v2'],
      ServiceAddress: '10.1.0.7',
      ServicePort: 23456,
      ServiceMeta: { 'drover.release': 'r42' },
      ServiceTaggedAddresses: { lan_ipv4: { Address: '10.1.0.7', Port: 23456 }, wan_ipv4: { Address: '10.1.0.7', Port: 23456 } },
    });
  });

  it('returns an instance from ?passing only once every check (node serfHealth included) passes', async () => {
    registerApi('a1');
    const [entry] = (await get('/v1/health/service/api')).json as { Checks: { CheckID: string; Status: string }[] }[];
    expect(entry?.Checks.map((c) => [c.CheckID, c.Status])).toEqual([
      ['serfHealth', 'passing'],
      ['_nomad-check-a1', 'critical'],
    ]);
    expect((await get('/v1/health/service/api?passing')).json).toEqual([]);

    expect(consul.setCheckStatus('_nomad-task-a1-api-api-http', '_nomad-check-a1', 'passing')).toBe(true);
    expect((await get('/v1/health/service/api?passing')).json).toHaveLength(1);
    expect(consul.setCheckStatus('_nomad-task-a1-api-api-http', '_nomad-check-a1', 'warning')).toBe(true);
    expect((await get('/v1/health/service/api?passing')).json).toEqual([]);
    expect(consul.setCheckStatus('unknown', '_nomad-check-a1', 'passing')).toBe(false);
    expect(consul.setCheckStatus('_nomad-task-a1-api-api-http', 'unknown', 'passing')).toBe(false);
  });

  it('wakes a blocking /v1/health/state/any (Fabio’s watch) when a check changes', async () => {
    registerApi('a1');
    const before = await get('/v1/health/state/any');
    const blocked = get(`/v1/health/state/any?index=${index(before)}`);
    await new Promise((r) => setTimeout(r, 20));
    consul.setCheckStatus('_nomad-task-a1-api-api-http', '_nomad-check-a1', 'passing');
    const after = await blocked;
    expect(index(after)).toBeGreaterThan(index(before));
    expect((after.json as { CheckID: string; Status: string }[]).find((c) => c.CheckID === '_nomad-check-a1')?.Status).toBe('passing');
  });

  it('keeps CreateIndex on re-registration and forgets deregistered instances', async () => {
    registerApi('a1');
    const first = ((await get('/v1/catalog/service/api')).json as { CreateIndex: number; ModifyIndex: number }[])[0];
    registerApi('a1', 'passing');
    const second = ((await get('/v1/catalog/service/api')).json as { CreateIndex: number; ModifyIndex: number }[])[0];
    expect(second?.CreateIndex).toBe(first?.CreateIndex);
    expect(second?.ModifyIndex).toBeGreaterThan(first?.ModifyIndex ?? 0);

    expect(consul.deregisterService('_nomad-task-a1-api-api-http')).toBe(true);
    expect(consul.deregisterService('_nomad-task-a1-api-api-http')).toBe(false);
    const gone = await get('/v1/catalog/service/api');
    expect(gone.json).toEqual([]);
    expect(index(gone)).toBeGreaterThan(second?.ModifyIndex ?? 0);
    expect((await get('/v1/catalog/services')).json).toEqual({ consul: [] });
  });

  it('answers Meta null in health and {} in the catalog for an instance registered without meta', async () => {
    consul.registerService({ id: 'bare', name: 'bare', port: 80 });
    expect(((await get('/v1/catalog/service/bare')).json as { ServiceMeta: unknown }[])[0]?.ServiceMeta).toEqual({});
    expect(((await get('/v1/health/service/bare')).json as { Service: { Meta: unknown } }[])[0]?.Service.Meta).toBeNull();
  });
});

describe('agent endpoints (Fabio)', () => {
  it('serves agent/self with the datacenter and lets Fabio register itself with TTL checks that expire', async () => {
    expect(((await get('/v1/agent/self')).json as { Config: { Datacenter: string } }).Config.Datacenter).toBe('qa1');
    const fabio = {
      ID: 'fabio-host-9998',
      Name: 'fabio',
      Address: '127.0.0.1',
      Port: 9998,
      Checks: [
        { CheckID: 'fabio-ttl', Name: 'fabio TTL', TTL: '15s', Status: 'passing' },
        { CheckID: 'fabio-http', Name: 'fabio health', HTTP: 'http://127.0.0.1:9998/health', Interval: '1s', Timeout: '3s' },
      ],
    };
    expect((await call(served.address, 'PUT', '/v1/agent/service/register', { body: JSON.stringify(fabio) })).status).toBe(200);
    const statuses = async (): Promise<string[][]> =>
      ((await get('/v1/health/state/any')).json as { CheckID: string; Status: string; Output: string }[])
        .filter((c) => c.CheckID.startsWith('fabio'))
        .map((c) => [c.CheckID, c.Status, c.Output]);
    expect(await statuses()).toEqual([
      ['fabio-http', 'critical', ''],
      ['fabio-ttl', 'passing', ''],
    ]);

    await clock.advance(10_000);
    await call(served.address, 'PUT', '/v1/agent/check/pass/fabio-ttl?note=alive');
    await clock.advance(10_000);
    expect((await statuses())[1]).toEqual(['fabio-ttl', 'passing', 'alive']);
    await clock.advance(5_000);
    expect((await statuses())[1]).toEqual(['fabio-ttl', 'critical', 'TTL expired']);

    expect((await call(served.address, 'PUT', '/v1/agent/service/deregister/fabio-host-9998')).status).toBe(200);
    expect((await get('/v1/catalog/service/fabio')).json).toEqual([]);
  });
});

describe('blocking reads', () => {
  const settled = async <T>(promise: Promise<T>): Promise<boolean> => {
    let done = false;
    void promise.then(() => (done = true));
    await new Promise((r) => setTimeout(r, 30));
    return done;
  };

  it('waits 5 minutes by default and answers the unchanged state then', async () => {
    const first = await get('/v1/kv/nothing');
    const blocked = get(`/v1/kv/nothing?index=${index(first)}`);
    await new Promise((r) => setTimeout(r, 20));
    await clock.advance(299_999);
    expect(await settled(blocked)).toBe(false);
    await clock.advance(1);
    const answer = await blocked;
    expect(answer.status).toBe(404);
    expect(index(answer)).toBe(index(first));
  });

  it('caps wait at 10 minutes', async () => {
    const first = await get('/v1/catalog/services');
    const blocked = get(`/v1/catalog/services?index=${index(first)}&wait=1h`);
    await new Promise((r) => setTimeout(r, 20));
    await clock.advance(600_000);
    expect((await blocked).status).toBe(200);
  });

  it('answers pending blocked reads when the service closes', async () => {
    const first = await get('/v1/catalog/services');
    const blocked = get(`/v1/catalog/services?index=${index(first)}`);
    await new Promise((r) => setTimeout(r, 20));
    consul.close();
    expect((await blocked).status).toBe(200);
  });
});
