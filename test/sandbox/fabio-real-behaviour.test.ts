/**
 * What a real Fabio 1.7.3 did (test/integration/fabio-real.test.ts, on drover's rendered
 * properties) and the simulated Fabio did not: it logs a `route weight` rule that matches no
 * target, and it drops the `fabio_route` series of a target that left the routing table.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRouteConfig } from '../../src/canary/route-grammar.ts';
import { buildRouteTable, type RoutedInstance } from '../../src/sandbox/fabio/route-table.ts';
import { catalogInstances, deploy, eventually, get, startTrafficSandbox, type TrafficSandbox } from './fabio-harness.ts';

const instance = (serviceId: string, tags: readonly string[]): RoutedInstance => ({ service: 'web', serviceId, address: '127.0.0.1', port: 20000 + serviceId.length, tags });
/** Fabio 1.7.3's log line, `[ERROR] ` prefix aside (route/table.go NewTable). */
const NO_MATCH = 'weight command for service web not valid - route: no target match';

describe('a weight rule matching no target (observed on Fabio 1.7.3)', () => {
  const promoted = [instance('a', ['urlprefix-/web']), instance('b', ['urlprefix-/web'])];

  it('is reported in Fabio\'s words and leaves the even split, as right after a promotion', () => {
    const table = buildRouteTable(promoted, parseRouteConfig('route weight web /web weight 0.1 tags "canary"').commands);
    expect(table.problems).toEqual([NO_MATCH]);
    expect(table.routes[0]!.targets.map((t) => t.share)).toEqual([0.5, 0.5]);
  });

  it('is reported the same way when no route has its source', () => {
    expect(buildRouteTable(promoted, parseRouteConfig('route weight web /other weight 0.1 tags "canary"').commands).problems).toEqual([NO_MATCH]);
  });

  it('is not reported once a target matches', () => {
    const canary = [...promoted, instance('c', ['urlprefix-/web', 'canary'])];
    expect(buildRouteTable(canary, parseRouteConfig('route weight web /web weight 0.1 tags "canary"').commands).problems).toEqual([]);
  });
});

describe('fabio_route series of a target that left the table (observed on Fabio 1.7.3)', () => {
  let sim: TrafficSandbox;
  beforeAll(async () => {
    sim = await startTrafficSandbox(7309);
    await deploy(sim.sandbox, { id: 'web', tags: ['urlprefix-/web'], count: 2 });
  });
  afterAll(async () => sim?.sandbox.close());

  const metrics = async () => (await get(`${sim.sandbox.addresses.fabioMetrics}/metrics`)).body;

  it('are dropped from /metrics, while fabio_http_status keeps counting', async () => {
    const ports = (await catalogInstances(sim.sandbox, 'web')).map((i) => i.port);
    expect(ports).toHaveLength(2);
    await eventually(() => expect(sim.sandbox.fabio.routes().find((r) => r.path === '/web')?.targets).toHaveLength(2));
    for (let i = 0; i < 20; i++) await get(`${sim.sandbox.addresses.fabio}/web/`);
    const before = await metrics();
    for (const port of ports) expect(before).toMatch(new RegExp(`^fabio_route_count\\{service="web",host="",path="/web",target="http://127\\.0\\.0\\.1:${port}/"\\} \\d+$`, 'm'));

    await deploy(sim.sandbox, { id: 'web', tags: ['urlprefix-/web'], count: 1 });
    const [left] = (await catalogInstances(sim.sandbox, 'web')).map((i) => i.port);
    const gone = ports.find((p) => p !== left)!;
    await eventually(async () => expect(await metrics()).not.toContain(`target="http://127.0.0.1:${gone}/"`));
    const after = await metrics();
    expect(after).toContain(`target="http://127.0.0.1:${left}/"`);
    expect(after).toMatch(/^fabio_http_status_count\{code="200",service="web"\} 20$/m);
  });
});
