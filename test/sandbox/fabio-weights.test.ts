/**
 * Traffic-weighted canaries through the simulated Fabio: `route weight` rules written to Consul KV
 * under fabio/config, as drover writes them, change how real requests spread over the instances,
 * and a failing canary shows up in Fabio's metrics.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FabioRoute } from '../../src/sandbox/traffic-simulation.ts';
import { deploy, eventually, get, sampleValue, startTrafficSandbox, type TrafficSandbox } from './fabio-harness.ts';

const KEY = 'fabio/config/drover-canary-test-web';
const RULE = '# drover canary of job web in test; removed when the canary ends\nroute weight web /web weight 0.25 tags "canary"\n';

describe('simulated Fabio with route weight rules', () => {
  let sim: TrafficSandbox;
  let consul: string;
  beforeAll(async () => {
    sim = await startTrafficSandbox(7301);
    const { sandbox } = sim;
    consul = sandbox.addresses.consul;
    await deploy(sandbox, { id: 'web', tags: ['urlprefix-/web'], count: 2, canaries: 1 });
    await deploy(sandbox, { id: 'web', tags: ['urlprefix-/web'], count: 2, canaries: 1, image: 'example/web:2.0.0' });
    sandbox.fabio.setApp('web', { instances: 'stable', default: { body: 'stable' } });
    sandbox.fabio.setApp('web', { instances: 'canary', default: { body: 'canary' } });
    await eventually(() => expect(webRoute().targets).toHaveLength(3));
  });
  afterAll(async () => {
    await sim?.sandbox.close();
  });

  const webRoute = (): FabioRoute => {
    const route = sim.sandbox.fabio.routes().find((r) => r.path === '/web');
    if (!route) throw new Error('no /web route yet');
    return route;
  };
  const canaryShare = (): number => webRoute().targets.filter((t) => t.tags.includes('canary')).reduce((sum, t) => sum + t.share, 0);
  const canaryHits = async (requests: number): Promise<number> => {
    let hits = 0;
    for (let i = 0; i < requests; i++) if ((await get(`${sim.sandbox.addresses.fabio}/web/item`)).body === 'canary') hits++;
    return hits;
  };
  const put = async (key: string, value: string): Promise<void> => {
    expect(await (await fetch(`${consul}/v1/kv/${key}`, { method: 'PUT', body: value })).json()).toBe(true);
  };

  it('spreads requests evenly over canary and stable instances without a rule', async () => {
    expect(webRoute().targets.map((t) => t.share)).toEqual([1 / 3, 1 / 3, 1 / 3]);
    expect((await canaryHits(300)) / 300).toBeCloseTo(1 / 3, 1);
  });

  it('sends ~25 % of requests to the canary under `route weight … 0.25 tags "canary"`, and evenly again once the key is deleted', async () => {
    await put(KEY, RULE);
    await eventually(() => expect(canaryShare()).toBeCloseTo(0.25, 10));
    expect(webRoute().targets.filter((t) => !t.tags.includes('canary')).map((t) => t.share)).toEqual([0.375, 0.375]);
    const weighted = (await canaryHits(400)) / 400;
    expect(Math.abs(weighted - 0.25)).toBeLessThan(0.05);

    expect((await fetch(`${consul}/v1/kv/${KEY}`, { method: 'DELETE' })).ok).toBe(true);
    await eventually(() => expect(canaryShare()).toBeCloseTo(1 / 3, 10));
    const even = (await canaryHits(300)) / 300;
    expect(Math.abs(even - 1 / 3)).toBeLessThan(0.06);
  });

  it('ignores a weight rule no target matches, and reports commands it does not apply', async () => {
    await put('fabio/config/a-other', 'route weight web /web weight 0.9 tags "blue"\nroute del web /web\n');
    await eventually(() => expect(sim.problems.map((p) => p.message).join('\n')).toContain('"route del" from Consul KV ignored'));
    expect(canaryShare()).toBeCloseTo(1 / 3, 10);
    expect((await fetch(`${consul}/v1/kv/fabio/config/a-other`, { method: 'DELETE' })).ok).toBe(true);
  });

  it('reports lines it cannot parse and applies the others', async () => {
    await put('fabio/config/b-bad', 'route weight web /web weight lots tags "canary"\nroute weight web /web weight 0.5 tags "canary"\n');
    await eventually(() => expect(canaryShare()).toBeCloseTo(0.5, 10));
    expect(sim.problems.map((p) => p.message).join('\n')).toContain('weight "lots" is not a number');
    expect((await fetch(`${consul}/v1/kv/fabio/config/b-bad`, { method: 'DELETE' })).ok).toBe(true);
    await eventually(() => expect(canaryShare()).toBeCloseTo(1 / 3, 10));
  });

  it('shows a failing canary in /metrics as fabio_http_status_count{code="503"} of its service', async () => {
    const metrics = async (): Promise<string> => (await fetch(`${sim.sandbox.addresses.fabioMetrics}/metrics`)).text();
    const series = 'fabio_http_status_count{code="503",service="web"}';
    const before = sampleValue(await metrics(), series) ?? 0;
    sim.sandbox.fabio.setApp('web', { instances: 'canary', errorRatio: 1 });
    await put(KEY, RULE);
    await eventually(() => expect(canaryShare()).toBeCloseTo(0.25, 10));
    let errors = 0;
    for (let i = 0; i < 200; i++) if ((await get(`${sim.sandbox.addresses.fabio}/web/`)).status === 503) errors++;
    expect(errors).toBeGreaterThan(30);
    expect(errors).toBeLessThan(70);
    expect((sampleValue(await metrics(), series) ?? 0) - before).toBe(errors);
  });
});
