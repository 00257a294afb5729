/**
 * Progressive canaries end to end, judged on the canary itself: the sandbox's Nomad (a prod-like
 * namespace, manual canaries, auto_revert) and Consul, its simulated Fabio proxying real HTTP
 * traffic to the simulated app instances (each counting its own answers in `/metrics`), and a REAL
 * Prometheus scraping the simulated Fabio and, through `file_sd` as Consul discovery would, every
 * app instance. A stand-in for Fabio's KV watch checks every route line against the grammar.
 * Skipped loudly without the prometheus binary (`bash scripts/install-prometheus.sh`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalysisSpec } from '../../src/canary/analysis.ts';
import type { CanaryEvent } from '../../src/canary/events.ts';
import { canaryRuleKey } from '../../src/canary/fabio-weights.ts';
import { defaultGates } from '../../src/canary/plan.ts';
import { runProgressiveCanary, type ProgressiveCanaryOptions } from '../../src/canary/progressive.ts';
import { createConsulClient, type ConsulClient } from '../../src/clients/consul/index.ts';
import { createNomadClient, type NomadClient } from '../../src/clients/nomad/index.ts';
import { createPrometheusClient, type PrometheusClient } from '../../src/clients/prometheus/index.ts';
import { DEFAULT_CANARY_ANALYSIS } from '../../src/config/environment.ts';
import type { RunningSandbox } from '../../src/sandbox/server.ts';
import { watchFabioConfig } from '../support/fabio-config-watch.ts';
import { binaryAvailability, startPrometheus, warnSkipped, type PrometheusServer } from '../support/prometheus-server.ts';
import { nomadGet, sandboxFor } from '../support/sandbox.ts';

const availability = binaryAvailability('prometheus');
warnSkipped('test/e2e/canary-progressive.test.ts', availability);

const JOBS = ['web-a', 'web-b', 'web-c', 'web-d'] as const;
/** drover's default gates (canary vs stable, 90 % confidence), measured every second: Prometheus scrapes every second. */
const analysis = (service: string, count: number): AnalysisSpec => ({ intervalMs: 1_000, count, failureLimit: 0, gates: defaultGates(service, DEFAULT_CANARY_ANALYSIS) });

/** A service job as drover renders it for prod: manual canaries carrying the urlprefix tag plus `canary`. */
function job(id: string, image: string): Record<string, unknown> {
  const service = { Name: id, PortLabel: 'http', Provider: 'consul', Tags: [`urlprefix-/${id}`], CanaryTags: [`urlprefix-/${id}`, 'canary'], Checks: [{ Name: `${id}-ready`, Type: 'http', Path: '/ready', Interval: 5e9, Timeout: 2e9 }] };
  const update = { MaxParallel: 1, MinHealthyTime: 10e9, HealthyDeadline: 60e9, ProgressDeadline: 3600e9, AutoRevert: true, Canary: 1, AutoPromote: false };
  const task = { Name: 'web', Driver: 'docker', Config: { image }, Resources: { CPU: 100, MemoryMB: 128 } };
  return { ID: id, Name: id, Namespace: 'shop', Type: 'service', Datacenters: ['prod1'], TaskGroups: [{ Name: 'web', Count: 2, Networks: [{ DynamicPorts: [{ Label: 'http', To: 8080 }] }], Services: [service], Tasks: [task], Update: update }] };
}

describe.skipIf(!availability.available)('progressive canary against the sandbox and a real prometheus', () => {
  let sandbox: RunningSandbox;
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
    sandbox = await sandboxFor('prod', { clockSpeed: 0 });
    // Prometheus needs a few seconds before its first scrape; set up Nomad meanwhile.
    const starting = startPrometheus([sandbox.addresses.fabioMetrics], { discovered: () => sandbox.fabio.scrapeTargets() });
    nomad = createNomadClient({ address: sandbox.addresses.nomad, namespace: 'shop' });
    consul = createConsulClient({ address: sandbox.addresses.consul });
    for (const id of JOBS) deployments.set(id, await deployWithHealthyCanary(id));
    for (const id of JOBS) sandbox.fabio.setTraffic(`/${id}`, { rps: 150 });
    server = await starting;
    prometheus = createPrometheusClient({ address: server.address });
    // Every app instance (2 stable + 1 canary per job) scraped and counting requests.
    await server.waitFor(`count(sum by (instance) (rate(http_requests_total{service=~"${JOBS.join('|')}"}[5s])) > 0)`, (v) => v === JOBS.length * 3, 30_000);
  }, 60_000);

  afterAll(async () => {
    prometheus?.close();
    nomad?.close();
    consul?.close();
    await server?.stop();
    await sandbox?.close();
  });

  const options = (id: string, events: CanaryEvent[], overrides: Partial<ProgressiveCanaryOptions> = {}): ProgressiveCanaryOptions => ({
    nomad, consul, prometheus, env: 'prod', job: id, group: 'web', service: id, routeSource: `/${id}`, deploymentId: deployments.get(id)!,
    analysis: analysis(id, 3), steps: [0.25, 0.5], report: (e) => events.push(e), signal: new AbortController().signal, ...overrides,
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
    expect(outcome).toEqual({ status: 'promoted', deploymentId: deployments.get('web-a'), weights: [0.25, 0.5], ruleRemoved: true });
    expect(seen.errors).toEqual([]);
    expect(seen.weights).toEqual([0.25, 0.5]);
    expect(seen.last).toBe('');
    expect((await consul.kv.get(canaryRuleKey({ env: 'prod', job: 'web-a' }))).value).toBeNull();
    const measured = events.filter((e) => e.type === 'canary-measured');
    expect(measured.some((e) => e.verdict === 'failing')).toBe(false);
    // Each step ended on evidence: the canary's own requests, compared with the stable instances'.
    expect(measured.filter((e) => e.metric === 'error-ratio' && e.verdict === 'ok').map((e) => e.step)).toEqual(expect.arrayContaining([1, 2]));
    expect(measured.find((e) => e.metric === 'error-ratio' && e.verdict === 'ok')?.detail).toMatch(/^canary 0 % \(0 of \d+\) vs stable 0 % \(0 of \d+\); bound 5 %$/);
    expect((await nomad.deployments.read(deployments.get('web-a')!)).value.TaskGroups['web']?.Promoted).toBe(true);
    await sandbox.admin.advance(60_000);
    expect((await nomad.deployments.read(deployments.get('web-a')!)).value.Status).toBe('successful');
  }, 30_000);

  it('fails and reverts the deployment when the canary starts failing 10 % of its own requests at the second step', async () => {
    const events: CanaryEvent[] = [];
    let onsetMs = 0;
    const report = (e: CanaryEvent): void => {
      events.push(e);
      if (e.type === 'canary-weight-set' && e.step === 2) {
        onsetMs = Date.now();
        // The canary answers one request in ten with a 503 from here on; the stable instances stay clean.
        sandbox.fabio.setApp('web-b', { instances: 'canary', errorRatio: 0.1 });
      }
    };
    const outcome = await runProgressiveCanary(options('web-b', events, { report }));
    if (outcome.status !== 'failed') throw new Error(`expected a failure, got ${JSON.stringify(outcome)}`);
    expect(outcome).toMatchObject({ step: 2, weight: 0.5, metric: 'error-ratio', revertedToVersion: 0, ruleRemoved: true });
    expect(outcome.query).toMatch(/^sum by \(instance, code\) \(increase\(http_requests_total\{instance=~"[^"]+"\}\[\d+s\]\)\)$/);
    expect(outcome.value).toBeGreaterThan(0.05);
    expect(outcome.reason).toMatch(/^error-ratio failing: canary \d+(\.\d+)? % \(\d+ of \d+\) vs stable 0 % \(0 of \d+\); bound 5 %$/);
    const onsetToFail = outcome.timings.failRequestedAtMs - onsetMs;
    console.info(`[canary timing] errors began → threshold seen: ${outcome.timings.thresholdCrossedAtMs - onsetMs} ms; seen → revert requested: ${outcome.timings.crossingToFailRequestMs} ms; errors began → revert requested: ${onsetToFail} ms`);
    expect(outcome.timings.crossingToFailRequestMs).toBeLessThan(1_000);
    // Within the step (3 × 1 s, up to twice that while evidence is thin): never promoted.
    expect(onsetToFail).toBeLessThan(6_500);

    const failed = (await nomad.deployments.read(outcome.deploymentId)).value;
    expect(failed).toMatchObject({ Status: 'failed', StatusDescription: 'Deployment marked as failed - rolling back to job version 0' });
    await sandbox.admin.advance(60_000);
    const running = await nomadGet<{ Version: number; TaskGroups: { Tasks: { Config: { image: string } }[] }[] }>(sandbox, '/v1/job/web-b');
    expect([running.Version, running.TaskGroups[0]!.Tasks[0]!.Config.image]).toEqual([2, 'example/web:1.0.0']);
    expect((await nomad.jobs.latestDeployment('web-b')).value).toMatchObject({ JobVersion: 2, Status: 'successful' });
    expect((await consul.kv.get(canaryRuleKey({ env: 'prod', job: 'web-b' }))).value).toBeNull();
    expect(events.map((e) => e.type).slice(-3)).toEqual(['canary-analysis-failed', 'canary-deployment-failed', 'canary-rule-removed']);
  }, 30_000);

  it('never promotes a canary that fails 10 % of its requests from the start, even though Fabio\'s service-wide ratio stays under 5 %', async () => {
    sandbox.fabio.setApp('web-d', { instances: 'canary', errorRatio: 0.1 });
    const events: CanaryEvent[] = [];
    const outcome = await runProgressiveCanary(options('web-d', events));
    expect(outcome).toMatchObject({ status: 'failed', step: 1, weight: 0.25, metric: 'error-ratio' });
    // What the old service-wide gate saw over the same traffic: the canary's errors diluted by its weight.
    // rate() needs two scrapes of the 5xx series, which a loaded machine may not have taken yet when
    // the canary already failed: wait for them (bounded) rather than read an empty answer.
    let diluted: number | undefined;
    for (const deadline = Date.now() + 15_000; diluted === undefined && Date.now() < deadline; await new Promise((r) => setTimeout(r, 500))) {
      const serviceWide = await prometheus.query('sum(rate(fabio_http_status_count{service="web-d",code=~"5.."}[20s])) / sum(rate(fabio_http_status_count{service="web-d"}[20s]))');
      diluted = serviceWide.kind === 'vector' ? serviceWide.samples[0]?.value : undefined;
    }
    expect(diluted, 'the service-wide 5xx ratio over the same traffic').toBeLessThan(0.05);
  }, 30_000);

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
