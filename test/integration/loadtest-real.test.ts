/**
 * `drover loadtest` through a real Fabio (1.7.x on PATH) running drover's rendered qa properties,
 * routing from a real Consul dev agent to three HTTP servers of this process registered as
 * drover renders the api (`urlprefix-/api strip=/api`, the canary also tagged `canary`), each
 * naming itself in an `X-Instance` header: statuses and percentiles, the split following drover's
 * canary weight rule, and Fabio's own 404 for a path without a route. Short runs on 127.0.0.1.
 * Skipped, loudly, without fabio or consul.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import qa from '../../environments/qa.ts';
import { removeWeightRule, renderWeightRule, writeWeightRule } from '../../src/canary/fabio-weights.ts';
import { createConsulClient } from '../../src/clients/consul/index.ts';
import { renderUrlprefixTag } from '../../src/render/fabio-tags.ts';
import type { LoadtestOutput } from '../../src/report/documents.ts';
import { consulAvailability, getJson, sendJson, startRealConsul, startRealFabio, type ConsulAgent, type RealFabio } from '../support/real-cluster.ts';
import { missingBinaries, tail } from '../support/real-process.ts';
import { runCli } from '../support/run-cli.ts';

const SUITE = 'test/integration/loadtest-real.test.ts';
const missing = missingBinaries(SUITE, ['fabio'], consulAvailability().available ? [] : ['consul']);
const TARGET = { env: 'qa', job: 'api' } as const;

describe.skipIf(missing.length > 0)('drover loadtest through a real Fabio', { timeout: 60_000 }, () => {
  let consulAgent: ConsulAgent | undefined;
  let fabio: RealFabio | undefined;
  const servers: Server[] = [];

  beforeAll(async () => {
    consulAgent = await startRealConsul();
    for (const name of ['stable-1', 'stable-2', 'canary']) {
      const server = await serve(name);
      servers.push(server);
      const tags = [renderUrlprefixTag({ path: '/api', strip: '/api' }), 'qa', ...(name === 'canary' ? ['canary'] : [])];
      const port = (server.address() as AddressInfo).port;
      const body = { ID: `api-${name}`, Name: 'api', Address: '127.0.0.1', Port: port, Tags: tags, Check: { HTTP: `http://127.0.0.1:${port}/ready`, Interval: '1s' } };
      expect((await sendJson('PUT', `${consulAgent.address}/v1/agent/service/register`, body)).status).toBe(200);
    }
    fabio = await startRealFabio({ env: qa, consul: consulAgent.address });
    await until('3 api targets', async () => (await routes()).length === 3);
  }, 90_000);

  afterAll(async () => {
    await fabio?.stop();
    await consulAgent?.stop();
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  }, 30_000);

  const routes = async () => ((await getJson(`${fabio!.ui}/api/routes`)) as { service: string; weight: number; tags: string[] | null }[]).filter((r) => r.service === 'api');
  const until = async (what: string, check: () => Promise<boolean>) => {
    const deadline = Date.now() + 15_000;
    while (!(await check().catch(() => false))) {
      if (Date.now() > deadline) throw new Error(`Fabio never showed ${what}:\n${tail(fabio!.process)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };
  const loadtest = async (args: readonly string[]) => {
    const result = await runCli(['loadtest', 'qa', '--route', '/api/products', '--split-header', 'X-Instance', '--output', 'json', ...args], { env: { NO_COLOR: '1', DROVER_FABIO_ADDR: fabio!.proxy } });
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as LoadtestOutput;
  };

  it('reports every answer as 2xx with its latency percentiles, spread evenly over the instances', async () => {
    const doc = await loadtest(['--rps', '300', '--duration', '2s']);
    expect(doc.statusCodes).toEqual({ 200: doc.answered });
    expect([doc.errors, doc.timeouts]).toEqual([0, 0]);
    expect(doc.answered).toBeGreaterThan(450);
    expect(doc.latencyMs.p50).toBeLessThanOrEqual(doc.latencyMs.p99);
    const shares = Object.values(doc.split?.counts ?? {}).map((n) => n / doc.answered);
    expect(shares).toHaveLength(3);
    for (const share of shares) expect(share).toBeGreaterThan(0.2);
  });

  it("shows the canary's share following drover's weight rule", async () => {
    const consul = createConsulClient({ address: consulAgent!.address });
    await writeWeightRule(consul, TARGET, renderWeightRule({ service: 'api', routeSource: '/api', weight: 0.1 }));
    try {
      await until('the canary at weight 0.1', async () => (await routes()).some((r) => r.tags?.includes('canary') && r.weight === 0.1));
      const doc = await loadtest(['--rps', '300', '--duration', '2s']);
      const canary = (doc.split?.counts.canary ?? 0) / doc.answered;
      expect(canary).toBeGreaterThan(0.03);
      expect(canary).toBeLessThan(0.2);
      expect(Object.keys(doc.split?.counts ?? {}).sort()).toEqual(['canary', 'stable-1', 'stable-2']);
    } finally {
      await removeWeightRule(consul, TARGET);
    }
  });

  it("refuses a path Fabio has no route for, on Fabio's own 404", async () => {
    const result = await runCli(['loadtest', 'qa', '--route', '/nowhere'], { env: { NO_COLOR: '1', DROVER_FABIO_ADDR: fabio!.proxy } });
    expect(result.code).toBe(69);
    expect(result.stderr).toContain('Fabio answered 404 for /nowhere');
  });
});

/** An instance: 200 for every path, naming itself in `X-Instance`. */
async function serve(name: string): Promise<Server> {
  const server = createServer((_req, res) => void res.writeHead(200, { 'X-Instance': name, 'Content-Type': 'text/plain' }).end(name));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}
