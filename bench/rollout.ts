/**
 * Rollout benchmark: 50 services in a 5-level dependency graph (10 per level, each depending on
 * the whole previous level) deployed by drover's engine to a sandbox running at real speed, each
 * healthy one second after it starts. Compares the wall time with the graph's critical path, and
 * counts Nomad requests per watched deployment, for the event-stream watcher and for the naive
 * 1-second polling watcher (`interval`). Requests are counted at the sandbox's Nomad listener with
 * zero-millisecond latency rules, whose hit counters see every request.
 */
import { performance } from 'node:perf_hooks';
import qa from '../environments/qa.ts';
import { createConsulClient } from '../src/clients/consul/index.ts';
import { createNomadClient, type NomadClient } from '../src/clients/nomad/index.ts';
import { deploy, type DeployJob, type DeployOptions } from '../src/deploy/deploy.ts';
import { renderOutputs } from '../src/render/outputs.ts';
import type { DeployEvent } from '../src/report/events.ts';
import { startSandbox, type RunningSandbox } from '../src/sandbox/server.ts';
import { hasErrors } from '../src/validate/diagnostic.ts';
import { validateJobs } from '../src/validate/validate.ts';
import type { FactFeedMode } from '../src/watch/feed.ts';
import { rolloutJobs, type RolloutGraph } from './rollout-jobs.ts';

const GRAPH: RolloutGraph = { levels: 5, width: 10, minHealthyTime: '10ms' };
const HEALTHY_AFTER_MS = 1000;
const TARGET_RATIO = 1.15;
/** A run is stopped at this multiple of the critical path, so the benchmark stays around a minute. */
const DEADLINE_RATIO = 2;
const WATCH_PATHS = '^/v1/(event/stream|job/[^/]+/(evaluations|deployments|allocations))$';

interface RunResult {
  readonly watch: FactFeedMode;
  readonly wallMs: number;
  readonly watchRequests: number;
  readonly allRequests: number;
  /** Deployments drover registered and watched. */
  readonly watched: number;
  /** Mean time from Nomad marking a deployment successful to drover reporting the job finished. */
  readonly detectionMs: number;
  /** Jobs that did not end `succeeded` (or had not ended at the deadline). */
  readonly failed: readonly string[];
  readonly timedOut: boolean;
}

/** Runs the benchmark, prints its table, and tells whether the event-stream run met its budget. */
export async function runRolloutBenchmark(): Promise<boolean> {
  const jobs = renderedJobs();
  const levelMs = await measureLevelTime(jobs[0]!);
  const criticalMs = GRAPH.levels * levelMs;
  const runs: RunResult[] = [];
  for (const watch of ['stream', 'interval'] as const) runs.push(await rolloutRun(watch, jobs, DEADLINE_RATIO * criticalMs));
  console.log(`\nrollout ${jobs.length} services: ${GRAPH.levels} levels × ${GRAPH.width} (each level needs the whole previous one), parallelism ${GRAPH.width}, sandbox at real speed`);
  console.log(`  critical path  ${GRAPH.levels} × ${seconds(levelMs)} = ${seconds(criticalMs)}  (one job alone, registered and followed with a blocking query until its`);
  console.log(`                 deployment is successful: placed and started 1.4 s, checks pass ${HEALTHY_AFTER_MS / 1000} s later, min_healthy_time ${GRAPH.minHealthyTime})`);
  console.log(`  watch      wall      ratio   noticed after   watch requests/deployment   all Nomad requests/deployment`);
  for (const run of runs) {
    const ratio = run.timedOut ? `>${DEADLINE_RATIO.toFixed(2)}` : (run.wallMs / criticalMs).toFixed(2);
    const perDeployment = (n: number) => (run.watched ? n / run.watched : 0).toFixed(1);
    const cells = [run.watch.padEnd(9), seconds(run.wallMs).padStart(7), ratio.padStart(7), `${run.detectionMs.toFixed(0)} ms`.padStart(15), perDeployment(run.watchRequests).padStart(28), perDeployment(run.allRequests).padStart(32)];
    console.log(`  ${cells.join(' ')}`);
    if (run.timedOut) console.log(`  ${run.watch}: stopped at ${DEADLINE_RATIO} × the critical path with ${jobs.length - run.failed.length}/${jobs.length} jobs deployed`);
    else if (run.failed.length) console.log(`  ${run.watch}: NOT DEPLOYED: ${run.failed.join(', ')}`);
  }
  const stream = runs[0]!;
  const ok = runs.every((r) => r.failed.length === 0) && stream.wallMs <= TARGET_RATIO * criticalMs;
  console.log(`  budget     stream ≤ ${TARGET_RATIO} × critical path (${seconds(TARGET_RATIO * criticalMs)}), every job deployed: ${ok ? 'met' : 'MISSED'}`);
  return ok;
}

function renderedJobs(): DeployJob[] {
  const loaded = rolloutJobs(GRAPH, qa);
  const diagnostics = validateJobs({ env: qa, jobs: loaded });
  if (hasErrors(diagnostics)) throw new Error(`rollout jobs are invalid: ${JSON.stringify(diagnostics.slice(0, 3))}`);
  const { jobs } = renderOutputs(loaded, { env: qa, project: 'bench', gitSha: 'e'.repeat(40), release: 'bench' });
  const specs = new Map(loaded.map((j) => [j.spec.id, j.spec]));
  return jobs.map((r) => ({ id: r.id, job: r.job, dependsOn: [...(specs.get(r.id)?.dependsOn ?? [])] }));
}

/** A sandbox like an environment's cluster: its namespace and datacenters, real-time clock. */
async function qaSandbox(jobIds: readonly string[]): Promise<RunningSandbox> {
  const sandbox = await startSandbox({ clockSpeed: 1, seed: 1, nomad: { namespaces: [qa.nomad.namespace ?? 'default'], datacenters: qa.datacenters } });
  for (const jobId of jobIds) sandbox.admin.setScenario({ jobId, namespace: qa.nomad.namespace }, { kind: 'healthy', healthyAfterMs: HEALTHY_AFTER_MS });
  return sandbox;
}

const nomadFor = (sandbox: RunningSandbox) => createNomadClient({ address: sandbox.addresses.nomad, namespace: qa.nomad.namespace, region: qa.nomad.region });

/** One job's rollout time as an ideal watcher sees it: register, then block on its deployment until successful. */
async function measureLevelTime(job: DeployJob): Promise<number> {
  const sandbox = await qaSandbox([job.id]);
  const nomad = nomadFor(sandbox);
  try {
    const started = performance.now();
    await nomad.jobs.register(job.job);
    for (let index = 0; ; ) {
      const { value, index: next } = await nomad.jobs.latestDeployment(job.id, { index, wait: '10s' });
      if (value?.Status === 'successful') return performance.now() - started;
      if (value && value.Status !== 'running') throw new Error(`calibration deployment ended ${value.Status}: ${value.StatusDescription}`);
      index = next;
    }
  } finally {
    nomad.close();
    await sandbox.close();
  }
}

async function rolloutRun(watch: FactFeedMode, jobs: readonly DeployJob[], deadlineMs: number): Promise<RunResult> {
  const sandbox = await qaSandbox(jobs.map((j) => j.id));
  const nomad = nomadFor(sandbox);
  const consul = createConsulClient({ address: sandbox.addresses.consul });
  const finishedAt = new Map<string, number>();
  const succeeded = new Set<string>();
  let watched = 0;
  const report = (event: DeployEvent) => {
    if (event.type === 'job-registered') watched++;
    if (event.type !== 'job-finished') return;
    finishedAt.set(event.job, Date.now());
    if (event.outcome.status === 'succeeded') succeeded.add(event.job);
  };
  try {
    const watchRule = sandbox.admin.injectFault({ service: 'nomad', pathPattern: WATCH_PATHS, kind: 'latency', ms: 0 });
    const allRule = sandbox.admin.injectFault({ service: 'nomad', kind: 'latency', ms: 0 });
    // DeployOptions['watch'] does not name 'interval' (src/deploy/deploy.ts); deploy() hands it to the feed as is.
    const options: DeployOptions = { env: qa.name, project: 'bench', release: 'bench', jobs, parallelism: GRAPH.width, watch: watch as DeployOptions['watch'] };
    const started = performance.now();
    const deadline = AbortSignal.timeout(Math.round(deadlineMs));
    await deploy(options, { nomad, consul, report, signal: deadline }).catch((error: unknown) => {
      if (!deadline.aborted) throw error;
    });
    const wallMs = performance.now() - started;
    const hits = (id: string) => sandbox.admin.listFaults().find((f) => f.id === id)?.hits ?? 0;
    const [watchRequests, allRequests] = [hits(watchRule), hits(allRule)];
    return {
      watch,
      wallMs,
      watchRequests,
      allRequests,
      watched,
      detectionMs: await meanDetection(nomad, finishedAt),
      failed: jobs.filter((j) => !succeeded.has(j.id)).map((j) => j.id),
      timedOut: deadline.aborted,
    };
  } finally {
    nomad.close();
    consul.close();
    await sandbox.close();
  }
}

/**
 * How long after Nomad marked each deployment successful drover reported the job finished. The
 * sandbox runs at real speed from the wall clock, so its timestamps compare with Date.now().
 */
async function meanDetection(nomad: NomadClient, finishedAt: ReadonlyMap<string, number>): Promise<number> {
  const gaps = await Promise.all(
    [...finishedAt].map(async ([jobId, at]) => {
      const deployment = (await nomad.jobs.latestDeployment(jobId)).value;
      return deployment ? at - Number(BigInt(deployment.ModifyTime) / 1_000_000n) : 0;
    }),
  );
  return gaps.length ? gaps.reduce((a, b) => a + b, 0) / gaps.length : 0;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = (await runRolloutBenchmark()) ? 0 : 1;
