/**
 * Simulated application instances: a real listener on every Consul-registered instance port,
 * answering what the test scripted, following registrations and deregistrations.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { catalogInstances, deploy, eventually, get, startTrafficSandbox, stopJob, type TrafficSandbox } from './fabio-harness.ts';

describe('simulated application instances', () => {
  let sim: TrafficSandbox;
  beforeEach(async () => {
    sim = await startTrafficSandbox(7101);
  });
  afterEach(async () => {
    await sim.sandbox.close();
  });

  it('answers on each Consul-registered port with the scripted body, status and type', async () => {
    const { sandbox } = sim;
    await deploy(sandbox, { id: 'hello', tags: ['urlprefix-/hello'], count: 2 });
    sandbox.fabio.setApp('hello', { responses: { '/greet': { status: 201, body: 'hi there', contentType: 'application/json' } }, default: { body: 'fallback' } });
    const instances = await catalogInstances(sandbox, 'hello');
    expect(instances).toHaveLength(2);
    for (const instance of instances) {
      const greeting = await eventually(() => get(`http://127.0.0.1:${instance.port}/greet?ignored=1`));
      expect([greeting.status, greeting.body, greeting.headers['content-type']]).toEqual([201, 'hi there', 'application/json']);
      expect(greeting.headers['x-drover-sandbox']).toBe('simulated-app');
      expect(greeting.headers['x-drover-sandbox-instance']).toBe(instance.id);
      const other = await get(`http://127.0.0.1:${instance.port}/elsewhere`);
      expect([other.status, other.body]).toEqual([200, 'fallback']);
    }
  });

  it('answers 200 "ok" when nothing is scripted', async () => {
    const { sandbox } = sim;
    await deploy(sandbox, { id: 'plain', tags: [] });
    const [instance] = await catalogInstances(sandbox, 'plain');
    const answer = await eventually(() => get(`http://127.0.0.1:${instance!.port}/anything`));
    expect([answer.status, answer.body]).toEqual([200, 'ok']);
  });

  it('lets canary behaviour override the behaviour of all instances, on canaries only', async () => {
    const { sandbox } = sim;
    await deploy(sandbox, { id: 'shop', tags: ['urlprefix-/shop'], count: 2, canaries: 1 });
    await deploy(sandbox, { id: 'shop', tags: ['urlprefix-/shop'], count: 2, canaries: 1, image: 'example/web:2.0.0' });
    sandbox.fabio.setApp('shop', { default: { body: 'v1' } });
    sandbox.fabio.setApp('shop', { instances: 'canary', default: { body: 'v2' } });
    const instances = await catalogInstances(sandbox, 'shop');
    const canaries = instances.filter((i) => i.tags.includes('canary'));
    expect([canaries.length, instances.length]).toEqual([1, 3]);
    for (const instance of instances) {
      const answer = await eventually(() => get(`http://127.0.0.1:${instance.port}/`));
      expect(answer.body).toBe(instance.tags.includes('canary') ? 'v2' : 'v1');
    }
    sandbox.fabio.clearApps('shop', 'canary');
    expect((await get(`http://127.0.0.1:${canaries[0]!.port}/`)).body).toBe('v1');
  });

  it('answers exactly the errorRatio share with 503, evenly spread', async () => {
    const { sandbox } = sim;
    await deploy(sandbox, { id: 'flaky', tags: [] });
    sandbox.fabio.setApp('flaky', { errorRatio: 0.25 });
    const [instance] = await catalogInstances(sandbox, 'flaky');
    await eventually(() => get(`http://127.0.0.1:${instance!.port}/`));
    sandbox.fabio.setApp('flaky', { errorRatio: 0.25 }); // restart the count after the probe
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await get(`http://127.0.0.1:${instance!.port}/`)).status);
    expect(statuses.filter((s) => s === 503)).toHaveLength(10);
    for (let i = 0; i < 40; i += 4) expect(statuses.slice(i, i + 4).filter((s) => s === 503)).toHaveLength(1);
  });

  it('waits latencyMs before answering', async () => {
    const { sandbox } = sim;
    await deploy(sandbox, { id: 'slow', tags: [] });
    const [instance] = await catalogInstances(sandbox, 'slow');
    await eventually(() => get(`http://127.0.0.1:${instance!.port}/`));
    sandbox.fabio.setApp('slow', { latencyMs: 150 });
    const started = Date.now();
    await get(`http://127.0.0.1:${instance!.port}/`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('closes an instance listener when the instance is deregistered', async () => {
    const { sandbox } = sim;
    await deploy(sandbox, { id: 'gone', tags: [] });
    const [instance] = await catalogInstances(sandbox, 'gone');
    await eventually(() => get(`http://127.0.0.1:${instance!.port}/`));
    await stopJob(sandbox, 'gone');
    expect(await catalogInstances(sandbox, 'gone')).toEqual([]);
    await eventually(() => expect(get(`http://127.0.0.1:${instance!.port}/`)).rejects.toMatchObject({ code: 'ECONNREFUSED' }));
  });

  it('reports a port it cannot bind and leaves that instance unreachable, serving the others', async () => {
    const { sandbox, problems } = sim;
    const squatter = await listenOn(createServer((_req, res) => res.end('squatter')));
    const taken = (squatter.address() as AddressInfo).port;
    await registerAgentService(sandbox.addresses.consul, 'blocked', taken);
    await deploy(sandbox, { id: 'fine', tags: [] });
    const [fine] = await catalogInstances(sandbox, 'fine');
    try {
      await eventually(() => expect(problems.map((p) => p.message).join('\n')).toContain(`cannot listen on 127.0.0.1:${taken}`));
      expect(problems.find((p) => p.message.includes(String(taken)))?.source).toBe('apps');
      expect((await get(`http://127.0.0.1:${taken}/`)).body).toBe('squatter');
      expect((await eventually(() => get(`http://127.0.0.1:${fine!.port}/`))).body).toBe('ok');
      expect(sandbox.fabio.problems()).toEqual(problems);
    } finally {
      squatter.closeAllConnections();
      await new Promise((resolve) => squatter.close(resolve));
    }
  });
});

async function listenOn(server: Server): Promise<Server> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

async function registerAgentService(consul: string, name: string, port: number): Promise<void> {
  const response = await fetch(`${consul}/v1/agent/service/register`, { method: 'PUT', body: JSON.stringify({ Name: name, Address: '127.0.0.1', Port: port }) });
  if (!response.ok) throw new Error(`register ${name}: ${response.status}`);
}
