/**
 * drover's canary traffic weights and metric names against a real Fabio (1.7.x on PATH) running
 * drover's own rendered properties (qa's, ports and Consul address changed), routing from a real
 * Consul dev agent to three HTTP servers of this process registered as drover renders services
 * (`urlprefix-/api strip=/api`; the canary also tagged `canary`). Then a real Prometheus scrapes
 * that Fabio and answers the queries of drover's latency gate. Skipped, loudly, without fabio
 * (and without prometheus for the last test).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import qa from '../../environments/qa.ts';
import { canaryRuleKey, removeWeightRule, renderWeightRule, writeWeightRule } from '../../src/canary/fabio-weights.ts';
import { gateQueries, type Gate } from '../../src/canary/gates.ts';
import { createConsulClient, type ConsulClient } from '../../src/clients/consul/index.ts';
import { createPrometheusClient } from '../../src/clients/prometheus/index.ts';
import { renderUrlprefixTag } from '../../src/render/fabio-tags.ts';
import { startPrometheus, type PrometheusServer } from '../support/prometheus-server.ts';
import { consulAvailability, getJson, sendJson, startRealConsul, startRealFabio, type ConsulAgent, type RealFabio } from '../support/real-cluster.ts';
import { missingBinaries, tail } from '../support/real-process.ts';

const SUITE = 'test/integration/fabio-real.test.ts';
const missing = missingBinaries(SUITE, ['fabio'], consulAvailability().available ? [] : ['consul']);
const noPrometheus = missing.length === 0 && missingBinaries(`${SUITE} (latency-gate queries)`, ['prometheus']).length > 0;
const TARGET = { env: 'qa', job: 'api' } as const;
const ROUTE_TAG = renderUrlprefixTag({ path: '/api', strip: '/api' });

/** One row of Fabio's `/api/routes`. */
interface FabioApiRoute {
  readonly service: string;
  readonly src: string;
  readonly dst: string;
  readonly opts: string;
  readonly tags: readonly string[] | null;
  readonly weight: number;
}

/** An HTTP server of this process answering its own name: one "instance" of the api service. */
interface Instance {
  readonly name: string;
  readonly port: number;
  readonly server: Server;
}

describe.skipIf(missing.length > 0)('drover canary weights and metrics on a real Fabio', { timeout: 60_000 }, () => {
  let consulAgent: ConsulAgent | undefined;
  let fabio: RealFabio | undefined;
  let consul: ConsulClient;
  const instances: Instance[] = [];

  beforeAll(async () => {
    consulAgent = await startRealConsul();
    consul = createConsulClient({ address: consulAgent.address });
    for (const name of ['stable-1', 'stable-2', 'canary']) instances.push(await serve(name));
    for (const instance of instances) await register(instance, instance.name === 'canary' ? [ROUTE_TAG, 'qa', 'canary'] : [ROUTE_TAG, 'qa']);
    fabio = await startRealFabio({ env: qa, consul: consulAgent.address });
    await until('3 api targets in Fabio', async () => (await routes()).length === 3);
  }, 90_000);

  afterAll(async () => {
    await fabio?.stop();
    await consulAgent?.stop();
    await Promise.all(instances.map((i) => new Promise((resolve) => i.server.close(resolve))));
  }, 30_000);

  const register = async (instance: Instance, tags: readonly string[]) => {
    const body = { ID: `api-${instance.name}`, Name: 'api', Address: '127.0.0.1', Port: instance.port, Tags: tags, Check: { HTTP: `http://127.0.0.1:${instance.port}/ready`, Interval: '1s' } };
    expect((await sendJson('PUT', `${consulAgent!.address}/v1/agent/service/register`, body)).status).toBe(200);
  };
  const routes = async () => ((await getJson(`${fabio!.ui}/api/routes`)) as FabioApiRoute[]).filter((r) => r.service === 'api');
  const weightOf = async (name: string) => (await routes()).find((r) => r.dst === `http://127.0.0.1:${instances.find((i) => i.name === name)!.port}/`)?.weight;
  const until = async (what: string, check: () => Promise<boolean>) => {
    const deadline = Date.now() + 15_000;
    while (!(await check().catch(() => false))) {
      if (Date.now() > deadline) throw new Error(`Fabio never showed ${what}:\n${JSON.stringify(await routes().catch(() => []))}\n${tail(fabio!.process)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };
  /** Sends `n` requests through Fabio's proxy; counts answers per instance name. */
  const hits = async (n: number) => {
    const counts: Record<string, number> = {};
    for (let i = 0; i < n; i++) {
      const name = (await (await fetch(`${fabio!.proxy}/api/products`)).text()).split(' ')[0]!;
      counts[name] = (counts[name] ?? 0) + 1;
    }
    return counts;
  };
  const metrics = async () => (await fetch(`http://${fabio!.metricsHostPort}/metrics`)).text();

  it('routes from the urlprefix tags drover renders, stripping the prefix, evenly over the passing instances', async () => {
    const table = await routes();
    expect(table.map((r) => [r.src, r.opts, r.weight])).toEqual(Array(3).fill(['/api', 'strip=/api', 1 / 3]));
    expect(table.find((r) => r.tags?.includes('canary'))?.dst).toBe(`http://127.0.0.1:${instances[2]!.port}/`);
    expect(await (await fetch(`${fabio!.proxy}/api/products?limit=1`)).text()).toMatch(/^(stable-1|stable-2|canary) \/products\?limit=1$/);
  });

  it("applies drover's weight rule from Consul KV to the canary-tagged target, and the even split again once it is deleted", async () => {
    const rule = renderWeightRule({ service: 'api', routeSource: '/api', weight: 0.1 });
    expect(await writeWeightRule(consul, TARGET, rule)).toBe('fabio/config/drover-canary-qa-api');
    await until('the canary at weight 0.1', async () => (await weightOf('canary')) === 0.1);
    expect(await weightOf('stable-1')).toBeCloseTo(0.45, 10);
    expect(await weightOf('stable-2')).toBeCloseTo(0.45, 10);
    const weighted = await hits(400);
    expect(weighted['canary'] ?? 0).toBeGreaterThan(15);
    expect(weighted['canary'] ?? 0).toBeLessThan(70);
    // Fabio logs the KV keys it concatenated, each after a `# --- <key>` line.
    expect(fabio!.process.output()).toContain(`+ # --- ${canaryRuleKey(TARGET)}\n+ # drover canary of job api in qa; removed when the canary ends\n+ ${rule}`);

    await removeWeightRule(consul, TARGET);
    await until('the even split', async () => (await routes()).every((r) => Math.abs(r.weight - 1 / 3) < 1e-9));
    const even = await hits(300);
    expect(even['canary'] ?? 0).toBeGreaterThan(60);
  });

  it('logs "no target match" and keeps the even split for a rule whose tag no target carries (the canary right after promotion)', async () => {
    const before = fabio!.process.output().length;
    await register(instances[2]!, [ROUTE_TAG, 'qa']);
    await until('the promoted canary without its tag', async () => (await routes()).every((r) => !r.tags?.includes('canary')));
    await writeWeightRule(consul, TARGET, renderWeightRule({ service: 'api', routeSource: '/api', weight: 0.1 }));
    await until('the rule being read', async () => fabio!.process.output().slice(before).includes('route weight api /api weight 0.1 tags "canary"'));
    await until('the no-match error', async () => fabio!.process.output().slice(before).includes('[ERROR] weight command for service api not valid - route: no target match'));
    expect((await routes()).map((r) => r.weight)).toEqual([1 / 3, 1 / 3, 1 / 3]);
    await removeWeightRule(consul, TARGET);
    await register(instances[2]!, [ROUTE_TAG, 'qa', 'canary']);
    await until('the canary tag back', async () => (await routes()).some((r) => r.tags?.includes('canary')));
  });

  it('exports fabio_route_* per service, host, path and target, and fabio_http_status_* per code and service only', async () => {
    await hits(30);
    const text = await metrics();
    // Besides these, only the Go client's go_* , process_* and promhttp_* series.
    const names = [...new Set(text.split('\n').filter((l) => l.startsWith('# TYPE fabio_')).map((l) => l.slice(7)))].sort();
    expect(names).toEqual(['fabio_http_status histogram', 'fabio_notfound counter', 'fabio_requests histogram', 'fabio_route histogram', 'fabio_ws_conn gauge']);
    for (const { port } of instances) {
      const labels = `host="",path="/api",service="api",target="http://127.0.0.1:${port}/"`;
      expect(text).toMatch(new RegExp(`^fabio_route_bucket\\{${escape(labels)},le="0\\.005"\\} \\d+$`, 'm'));
      expect(text).toMatch(new RegExp(`^fabio_route_count\\{${escape(labels)}\\} \\d+$`, 'm'));
    }
    expect(text).toMatch(/^fabio_http_status_count\{code="200",service="api"\} \d+$/m);
    expect(text).toMatch(/^fabio_requests_count\{service="api"\} \d+$/m);
    expect(text).not.toMatch(/^fabio_http_status\w*\{[^}]*target=/m);
  });

  it("drops a target's fabio_route series once the target leaves the routing table", async () => {
    const gone = instances[1]!;
    const labels = `target="http://127.0.0.1:${gone.port}/"`;
    expect(await metrics()).toContain(labels);
    expect((await sendJson('PUT', `${consulAgent!.address}/v1/agent/service/deregister/api-${gone.name}`)).status).toBe(200);
    await until('two api targets', async () => (await routes()).length === 2);
    await until('the stale series removed', async () => !(await metrics()).includes(labels));
    expect(fabio!.process.output()).toContain(`[INFO] Cleaning up stale metrics for service=api host= path=/api target=http://127.0.0.1:${gone.port}/`);
    await register(gone, [ROUTE_TAG, 'qa']);
    await until('three api targets again', async () => (await routes()).length === 3);
  });

  it.skipIf(noPrometheus)("answers drover's latency-gate queries through a real Prometheus scraping the real Fabio", async () => {
    let prometheus: PrometheusServer | undefined;
    try {
      prometheus = await startPrometheus([fabio!.metricsHostPort]);
      const client = createPrometheusClient({ address: prometheus.address });
      const canary = `127.0.0.1:${instances[2]!.port}`;
      const stable = instances.slice(0, 2).map((i) => `127.0.0.1:${i.port}`);
      const gate: Gate = { kind: 'latency', name: 'p99-latency', service: 'api', maxP99Seconds: 0.5 };
      const queries = gateQueries(gate, { service: 'api', targets: { canary: [canary], stable }, windowSeconds: 30 });
      // Traffic spread over a few scrapes, so rate() and increase() have two samples per series.
      const traffic = (async () => {
        for (let i = 0; i < 6; i++) await hits(30).then(() => new Promise((resolve) => setTimeout(resolve, 500)));
      })();
      await prometheus.waitFor(`sum(fabio_route_count{service="api",target="http://${canary}/"})`, (v) => v > 0, 20_000);
      await traffic;
      await new Promise((resolve) => setTimeout(resolve, 2500));
      // Each query is a sum over the matched series: one sample, with a number, means the
      // metric names and labels drover asks for exist on Fabio 1.7.3.
      for (const query of queries) {
        const answer = await client.query(query);
        expect(answer.kind, query).toBe('vector');
        const samples = answer.kind === 'vector' ? answer.samples : [];
        expect(samples, query).toHaveLength(1);
        expect(Number.isFinite(samples[0]!.value), query).toBe(true);
      }
      client.close();
    } finally {
      await prometheus?.stop();
    }
  });
});

async function serve(name: string): Promise<Instance> {
  const server = createServer((req, res) => void res.end(`${name} ${req.url}`));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { name, port: (server.address() as AddressInfo).port, server };
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
