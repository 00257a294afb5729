/**
 * Canary revert benchmark: how long a progressive canary takes to act on a canary that fails 10 %
 * of its own requests, and whether one ever slips through. A sandbox (manual clock for Nomad, real
 * time for traffic) runs N service jobs, each with a healthy canary waiting for promotion; the
 * sandbox's simulated Fabio carries 100 requests/s to each route to the simulated app instances,
 * and a REAL Prometheus scrapes every second the simulated Fabio and every instance (file_sd, as
 * Consul discovery would in production). For each job drover's progressive canary runs with its
 * default gates (the canary's own 5xx ratio against the stable instances', its p99 against theirs)
 * at short steps; the moment it sets the second step's weight, the canary instances start
 * answering one request in ten with 503. Measured per run: errors began → failing verdict
 * (Prometheus scrapes, enough requests for 90 % confidence, the analysis interval) and failing
 * verdict → fail (revert) requested (drover's own decision and the one Nomad call). Then the same
 * number of healthy canaries must all be promoted. Needs prometheus (scripts/install-prometheus.sh).
 */
import type { AnalysisSpec } from '../src/canary/analysis.ts';
import type { CanaryEvent } from '../src/canary/events.ts';
import { defaultGates } from '../src/canary/plan.ts';
import { runProgressiveCanary } from '../src/canary/progressive.ts';
import { DEFAULT_CANARY_ANALYSIS } from '../src/config/environment.ts';
import { createConsulClient } from '../src/clients/consul/index.ts';
import { createNomadClient, type NomadClient } from '../src/clients/nomad/index.ts';
import { createPrometheusClient } from '../src/clients/prometheus/index.ts';
import { binaryAvailability, startPrometheus } from '../src/sandbox/prometheus-process.ts';
import { startSandbox, type RunningSandbox } from '../src/sandbox/server.ts';

const RUNS = 5;
const RPS = 100;
/** The canary's own share of 503 answers once errors begin. */
const CANARY_ERROR_RATIO = 0.1;
/** Two scrapes of a 1 s scrape interval: the shortest interval validation allows. */
const ANALYSIS_INTERVAL_MS = 2_000;
/** Measurements per step: a step lasts 3 × 2 s = 6 s (up to twice that while evidence is thin). */
const COUNT = 3;
/** drover's part (decision plus the fail request) should stay well under a scrape interval. */
const DECISION_BUDGET_MS = 1000;

interface Trial {
  readonly job: string;
  readonly onsetToSeenMs: number;
  readonly seenToRevertMs: number;
  readonly onsetToRevertMs: number;
}

/** Runs the benchmark, prints its table, and tells whether every run failed the canary within budget. */
export async function runCanaryBenchmark(): Promise<boolean> {
  const availability = binaryAvailability('prometheus', process.env['PATH'] ?? '');
  if (!availability.available) {
    console.log(`\ncanary revert: SKIPPED (${availability.reason})`);
    return false;
  }
  const jobs = Array.from({ length: RUNS }, (_, i) => `web-${i + 1}`);
  const sandbox = await startSandbox({ clockSpeed: 0, seed: 7, nomad: { namespaces: ['shop'], datacenters: ['prod1'] } });
  const nomad = createNomadClient({ address: sandbox.addresses.nomad, namespace: 'shop' });
  const consul = createConsulClient({ address: sandbox.addresses.consul });
  const server = await startPrometheus([sandbox.addresses.fabioMetrics], { binary: availability.binary, discovered: () => sandbox.fabio.scrapeTargets() });
  const prometheus = createPrometheusClient({ address: server.address });
  const trials: Trial[] = [];
  let healthyPromoted = 0;
  try {
    const deployments = new Map<string, string>();
    const healthy = jobs.map((job) => `${job}-ok`);
    for (const job of [...jobs, ...healthy]) deployments.set(job, await healthyCanary(sandbox, nomad, job));
    // Traffic only on the route under test: the simulated Fabio's generator is one process, and
    // ten routes at once would measure its limits, not drover's. Each run starts once Prometheus
    // has request rates from all three instances (two stable, the canary).
    const run = async (job: string, report: (e: CanaryEvent) => void) => {
      sandbox.fabio.setTraffic(`/${job}`, { rps: RPS });
      try {
        await server.waitFor(`count(sum by (instance) (rate(http_requests_total{service="${job}"}[5s])) > 0)`, (v) => v === 3, 60_000);
        const analysis: AnalysisSpec = { intervalMs: ANALYSIS_INTERVAL_MS, count: COUNT, failureLimit: 0, gates: defaultGates(job, DEFAULT_CANARY_ANALYSIS) };
        return await runProgressiveCanary({ nomad, consul, prometheus, env: 'bench', job, group: 'web', service: job, routeSource: `/${job}`, deploymentId: deployments.get(job)!, steps: [0.05, 0.25], analysis, report, signal: new AbortController().signal });
      } finally {
        sandbox.fabio.setTraffic(`/${job}`, { rps: 0 });
      }
    };
    for (const job of jobs) {
      let onsetMs = 0;
      const outcome = await run(job, (e) => {
        if (e.type !== 'canary-weight-set' || e.step !== 2) return;
        onsetMs = Date.now();
        sandbox.fabio.setApp(job, { instances: 'canary', errorRatio: CANARY_ERROR_RATIO });
      });
      sandbox.fabio.clearApps(job, 'canary');
      if (outcome.status !== 'failed' || outcome.step !== 2) throw new Error(`${job}: expected the canary to fail at step 2, got ${JSON.stringify(outcome)}`);
      const { thresholdCrossedAtMs, failRequestedAtMs, crossingToFailRequestMs } = outcome.timings;
      trials.push({ job, onsetToSeenMs: thresholdCrossedAtMs - onsetMs, seenToRevertMs: crossingToFailRequestMs, onsetToRevertMs: failRequestedAtMs - onsetMs });
    }
    for (const job of healthy) if ((await run(job, () => undefined)).status === 'promoted') healthyPromoted += 1;
  } finally {
    prometheus.close();
    nomad.close();
    consul.close();
    await server.stop();
    await sandbox.close();
  }
  return printTrials(trials, healthyPromoted);
}

function printTrials(trials: readonly Trial[], healthyPromoted: number): boolean {
  const stepMs = ANALYSIS_INTERVAL_MS * COUNT * 2;
  console.log(`\ncanary revert: ${trials.length} progressive canaries, ${RPS} req/s per route through the simulated Fabio to the simulated apps, a real Prometheus scraping every 1 s,`);
  console.log(`  default gates (canary vs stable, 90 % confidence) over the time at the step, measured every ${ANALYSIS_INTERVAL_MS} ms; at 25 % the canaries answer ${CANARY_ERROR_RATIO * 100} % of requests with 503`);
  console.log('  run      errors → failing verdict   verdict → revert requested   errors → revert requested');
  for (const t of trials) console.log(`  ${t.job.padEnd(7)} ${ms(t.onsetToSeenMs).padStart(24)} ${ms(t.seenToRevertMs).padStart(25)} ${ms(t.onsetToRevertMs).padStart(27)}`);
  const median = (pick: (t: Trial) => number) => [...trials].map(pick).sort((a, b) => a - b)[Math.floor(trials.length / 2)] ?? NaN;
  console.log(`  median  ${ms(median((t) => t.onsetToSeenMs)).padStart(24)} ${ms(median((t) => t.seenToRevertMs)).padStart(25)} ${ms(median((t) => t.onsetToRevertMs)).padStart(27)}`);
  const worstDecision = Math.max(...trials.map((t) => t.seenToRevertMs));
  const worstTotal = Math.max(...trials.map((t) => t.onsetToRevertMs));
  const ok = trials.length === RUNS && worstDecision < DECISION_BUDGET_MS && worstTotal < stepMs && healthyPromoted === RUNS;
  console.log(`  healthy canaries promoted: ${healthyPromoted}/${RUNS}; canaries failing ${CANARY_ERROR_RATIO * 100} % promoted: 0/${trials.length}`);
  console.log(`  budget  verdict → revert < ${DECISION_BUDGET_MS} ms in every run, errors → revert inside the step (at most ${ms(stepMs)}), every healthy canary promoted: ${ok ? 'met' : 'MISSED'}`);
  return ok;
}

/** v1 rolled out, then v2 with one canary, healthy and waiting for promotion; returns the deployment ID. */
async function healthyCanary(sandbox: RunningSandbox, nomad: NomadClient, id: string): Promise<string> {
  await register(sandbox, id, 'example/web:1.0.0');
  await sandbox.admin.advance(30_000);
  await register(sandbox, id, 'example/web:2.0.0');
  for (let i = 0; i < 20; i++) {
    await sandbox.admin.advance(5_000);
    const d = (await nomad.jobs.latestDeployment(id)).value;
    const group = d?.TaskGroups['web'];
    if (d && d.JobVersion === 1 && group && group.PlacedCanaries.length === 1 && group.HealthyAllocs >= 1 && !group.Promoted) return d.ID;
  }
  throw new Error(`${id}: the canary never became healthy`);
}

/** Registers a service job shaped as drover renders one for prod: manual canaries tagged `canary`. */
async function register(sandbox: RunningSandbox, id: string, image: string): Promise<void> {
  const service = { Name: id, PortLabel: 'http', Provider: 'consul', Tags: [`urlprefix-/${id}`], CanaryTags: [`urlprefix-/${id}`, 'canary'], Checks: [{ Name: `${id}-ready`, Type: 'http', Path: '/ready', Interval: 5e9, Timeout: 2e9 }] };
  const update = { MaxParallel: 1, MinHealthyTime: 10e9, HealthyDeadline: 60e9, ProgressDeadline: 3600e9, AutoRevert: true, Canary: 1, AutoPromote: false };
  const task = { Name: 'web', Driver: 'docker', Config: { image }, Resources: { CPU: 100, MemoryMB: 128 } };
  const job = { ID: id, Name: id, Namespace: 'shop', Type: 'service', Datacenters: ['prod1'], TaskGroups: [{ Name: 'web', Count: 2, Networks: [{ DynamicPorts: [{ Label: 'http', To: 8080 }] }], Services: [service], Tasks: [task], Update: update }] };
  const response = await fetch(`${sandbox.addresses.nomad}/v1/jobs?namespace=shop`, { method: 'POST', body: JSON.stringify({ Job: job }) });
  if (!response.ok) throw new Error(`register ${id}: ${response.status} ${await response.text()}`);
}

function ms(value: number): string {
  return `${Math.round(value)} ms`;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = (await runCanaryBenchmark()) ? 0 : 1;
