/**
 * Progressive canaries end to end: the sandbox's Nomad (a prod-like namespace, manual canaries,
 * auto_revert) and Consul KV over HTTP, and a REAL Prometheus scraping every second a Fabio-like
 * metrics endpoint whose traffic the test steers. A stand-in for Fabio watches the KV prefix with
 * blocking queries, as Fabio does, and checks every route line it sees against the grammar.
 * Skipped loudly without the prometheus binary (`bash scripts/install-prometheus.sh`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultCanaryMetrics, type AnalysisSpec } from '../../src/canary/analysis.ts';
import type { CanaryEvent } from '../../src/canary/events.ts';
import { canaryRuleKey } from '../../src/canary/fabio-weights.ts';
import { runProgressiveCanary, type ProgressiveCanaryOptions } from '../../src/canary/progressive.ts';
import { createConsulClient, type ConsulClient } from '../../src/clients/consul/index.ts';
import { createNomadClient, type NomadClient } from '../../src/clients/nomad/index.ts';
import { createPrometheusClient, type PrometheusClient } from '../../src/clients/prometheus/index.ts';
import type { RunningSandbox } from '../../src/sandbox/server.ts';
import { watchFabioConfig } from '../support/fabio-config-watch.ts';
import { binaryAvailability, startFabioMetrics, startPrometheus, warnSkipped, type FabioMetrics, type PrometheusServer } from '../support/prometheus-server.ts';
import { nomadGet, sandboxFor } from '../support/sandbox.ts';

const availability = binaryAvailability('prometheus');
warnSkipped('test/e2e/canary-progressive.test.ts', availability);

const JOBS = ['web-a', 'web-b', 'web-c'] as const;
const analysis = (service: string, count: number): AnalysisSpec => ({ intervalMs: 400, count, failureLimit: 0, inconclusiveLimit: 1, metrics: defaultCanaryMetrics(service) });

/** A service job as drover renders it for prod: manual canaries carrying the urlprefix tag plus `canary`. */
function job(id: string, image: string): Record<string, unknown> {
  const service = { Name: id, PortLabel: 'http', Provider: 'consul', Tags: [`urlprefix-/${id}`], CanaryTags: [`urlprefix-/${id}`, 'canary'], Checks: [{ Name: `${id}-ready`, Type: 'http', Path: '/ready', Interval: 5e9, Timeout: 2e9 }] };
  const update = { MaxParallel: 1, MinHealthyTime: 10e9, HealthyDeadline: 60e9, ProgressDeadline: 3600e9, AutoRevert: true, Canary: 1, AutoPromote: false };
  const task = { Name: 'web', Driver: 'docker', Config: { image }, Resources: { CPU: 100, MemoryMB: 128 } };
  return { ID: id, Name: id, Namespace: 'shop', Type: 'service', Datacenters: ['prod1'], TaskGroups: [{ Name: 'web', Count: 2, Networks: [{ DynamicPorts: [{ Label: 'http', To: 8080 }] }], Services: [service], Tasks: [task], Update: update }] };
}

describe.skipIf(!availability.available)('progressive canary against the sandbox and a real prometheus', () => {
  let sandbox: RunningSandbox;
  let fabio: FabioMetrics;
  let server: PrometheusServer;
  let nomad: NomadClient;
  let consul: ConsulClient;
  let prometheus: PrometheusClient;
  const deployments = new Map<string, string>();

  const register = async (id: string, image: string): Promise<void> => {
    const response = await fetch(`${sandbox.addresses.nomad}/v1/jobs?namespace=shop`, { method: 'POST', body: JSON.stringify({ Job: job(id, image) }) });
    if (!response.ok) throw new Error(`register ${id}: ${response.status} ${await response.text()}`);
  };

  /** v1.0.0 rolled out, then v2.0.0 with one canary, healthy and waiting for promotion. */
  const deployWithHealthyCanary = async (id: string): Promise<string> => {
    await register(id, 'example/web:1.0.0');
    await sandbox.admin.advance(30_000);
    await register(id, 'example/web:2.0.0');
    for (let i = 0; i < 20; i++) {
      await sandbox.admin.advance(5_000);
      const d = (await nomad.jobs.latestDeployment(id)).value;
      const group = d?.TaskGroups['web'];
      if (d && d.JobVersion === 1 && group && group.PlacedCanaries.length === 1 && group.HealthyAllocs >= 1 && !group.Promoted) return d.ID;
    }
    throw new Error(`${id}: canary never became healthy`);
  };

  beforeAll(async () => {
    fabio = await startFabioMetrics();
    // Prometheus needs ~5 s before its first scrape (discovery batches updates); set up Nomad meanwhile.
    const starting = startPrometheus([fabio.hostPort]);
    sandbox = await sandboxFor('prod', { clockSpeed: 0 });
    nomad = createNomadClient({ address: sandbox.addresses.nomad, namespace: 'shop' });
    consul = createConsulClient({ address: sandbox.addresses.consul });
    for (const id of JOBS) deployments.set(id, await deployWithHealthyCanary(id));
    for (const id of ['web-a', 'web-b']) fabio.setTraffic(id, { rps: 100, latencySeconds: 0.03, path: `/${id}` });
    server = await starting;
    prometheus = createPrometheusClient({ address: server.address });
    await server.waitFor('count(sum by (service) (rate(fabio_http_status_count{service=~"web-a|web-b"}[1m])) > 0)', (v) => v === 2);
  }, 30_000);

  afterAll(async () => {
    prometheus?.close();
    nomad?.close();
    consul?.close();
    await server?.stop();
    await fabio?.close();
    await sandbox?.close();
  });

  const options = (id: string, events: CanaryEvent[], overrides: Partial<ProgressiveCanaryOptions> = {}): ProgressiveCanaryOptions => ({
    nomad, consul, prometheus, env: 'prod', job: id, service: id, routeSource: `/${id}`, deploymentId: deployments.get(id)!,
    analysis: analysis(id, 2), report: (e) => events.push(e), signal: new AbortController().signal, ...overrides,
  });

  it('canaries carry the urlprefix tag and `canary` in Consul, so the weight rule selects them', async () => {
    const entries = await (await fetch(`${sandbox.addresses.consul}/v1/health/service/web-a`)).json() as { Service: { Tags: string[] } }[];
    expect(entries.map((e) => e.Service.Tags)).toContainEqual(['urlprefix-/web-a', 'canary']);
  });

  it('steps healthy canaries 5 % → 25 % → 50 %, promotes, and removes the rule', async () => {
    const fabioView = watchFabioConfig(consul);
    const events: CanaryEvent[] = [];
    const outcome = await runProgressiveCanary(options('web-a', events));
    const seen = await fabioView.stop();
    expect(outcome).toEqual({ status: 'promoted', deploymentId: deployments.get('web-a'), weights: [0.05, 0.25, 0.5], ruleRemoved: true });
    expect(seen.errors).toEqual([]);
    expect(seen.weights).toEqual([0.05, 0.25, 0.5]);
    expect(seen.last).toBe('');
    expect((await consul.kv.get(canaryRuleKey({ env: 'prod', job: 'web-a' }))).value).toBeNull();
    expect(events.filter((e) => e.type === 'canary-measured').every((e) => e.verdict === 'ok')).toBe(true);
    expect((await nomad.deployments.read(deployments.get('web-a')!)).value.TaskGroups['web']?.Promoted).toBe(true);
    await sandbox.admin.advance(60_000);
    expect((await nomad.deployments.read(deployments.get('web-a')!)).value.Status).toBe('successful');
  }, 20_000);

  it('fails and reverts the deployment when the error ratio crosses 5 % at the second step', async () => {
    const events: CanaryEvent[] = [];
    let onsetMs = 0;
    const report = (e: CanaryEvent): void => {
      events.push(e);
      if (e.type === 'canary-weight-set' && e.step === 2) {
        onsetMs = Date.now();
        // The new version answers every request with a 503 from here on.
        fabio.setTraffic('web-b', { rps: 100, errorRatio: 1, latencySeconds: 0.03, path: '/web-b' });
      }
    };
    const outcome = await runProgressiveCanary(options('web-b', events, { report, analysis: analysis('web-b', 7), steps: [0.05, 0.25] }));
    if (outcome.status !== 'failed') throw new Error(`expected a failure, got ${JSON.stringify(outcome)}`);
    expect(outcome).toMatchObject({ step: 2, weight: 0.25, metric: 'error-ratio', thresholdMax: 0.05, revertedToVersion: 0, ruleRemoved: true });
    expect(outcome.query).toContain('fabio_http_status_count{service="web-b",code=~"5.."}[1m]');
    expect(outcome.value).toBeGreaterThan(0.05);
    expect(outcome.reason).toBe(`error-ratio = ${Number(outcome.value!.toPrecision(4))} > max 0.05`);
    const onsetToFail = outcome.timings.failRequestedAtMs - onsetMs;
    console.info(`[canary timing] errors began → threshold seen: ${outcome.timings.thresholdCrossedAtMs - onsetMs} ms; seen → revert requested: ${outcome.timings.crossingToFailRequestMs} ms; errors began → revert requested: ${onsetToFail} ms`);
    expect(outcome.timings.crossingToFailRequestMs).toBeLessThan(1_000);
    // One step lasts 7 × 400 ms: crossing within it is what the scenario asserts.
    expect(onsetToFail).toBeLessThan(2_800);

    const failed = (await nomad.deployments.read(outcome.deploymentId)).value;
    expect(failed).toMatchObject({ Status: 'failed', StatusDescription: 'Deployment marked as failed - rolling back to job version 0' });
    await sandbox.admin.advance(60_000);
    const running = await nomadGet<{ Version: number; TaskGroups: { Tasks: { Config: { image: string } }[] }[] }>(sandbox, '/v1/job/web-b');
    expect([running.Version, running.TaskGroups[0]!.Tasks[0]!.Config.image]).toEqual([2, 'example/web:1.0.0']);
    expect((await nomad.jobs.latestDeployment('web-b')).value).toMatchObject({ JobVersion: 2, Status: 'successful' });
    expect((await consul.kv.get(canaryRuleKey({ env: 'prod', job: 'web-b' }))).value).toBeNull();
    expect(events.map((e) => e.type).slice(-3)).toEqual(['canary-analysis-failed', 'canary-deployment-failed', 'canary-rule-removed']);
  }, 20_000);

  it('removes the rule when aborted mid-analysis and leaves the deployment to the operator', async () => {
    const controller = new AbortController();
    const events: CanaryEvent[] = [];
    const key = canaryRuleKey({ env: 'prod', job: 'web-c' });
    const report = (e: CanaryEvent): void => {
      events.push(e);
      if (e.type === 'canary-weight-set') setTimeout(() => controller.abort(new Error('SIGINT')), 300);
    };
    const running = runProgressiveCanary(options('web-c', events, { report, signal: controller.signal, analysis: { ...analysis('web-c', 2), intervalMs: 10_000 } }));
    await expect(running).rejects.toThrow('SIGINT');
    expect(events.map((e) => e.type)).toEqual(['canary-started', 'canary-weight-set', 'canary-rule-removed']);
    expect((await consul.kv.get(key)).value).toBeNull();
    const d = (await nomad.deployments.read(deployments.get('web-c')!)).value;
    expect([d.Status, d.TaskGroups['web']?.Promoted]).toEqual(['running', false]);
  });
});
