/**
 * `npm run bench`: renders and validates 500 generated jobs (all rules, Nomad JSON and HCL for
 * each), and reports jobs per second and peak RSS; then deploys a 50-job dependency graph to a
 * real-speed sandbox (bench/rollout.ts), and times progressive canaries failing on injected 5xx
 * through a real Prometheus (bench/canary.ts); in between, the process-level figures of
 * bench/process.ts: `drover --help`, `drover validate qa` and `drover render qa` spawned on a
 * generated 500-job project, cold and warm, wall and peak RSS, and the deploy overhead per job
 * against the sandbox. A script, not a timed test: machines are noisy, so read
 * the numbers as one measurement, not a guarantee. Exits 1 when any budget is missed.
 */
import { performance } from 'node:perf_hooks';
import qa from '../environments/qa.ts';
import { renderOutputs } from '../src/render/outputs.ts';
import { hasErrors } from '../src/validate/diagnostic.ts';
import { validateJobs } from '../src/validate/validate.ts';
import { generateJobs } from './generate-jobs.ts';

const JOB_COUNT = 500;
const BUDGET_MS = 1000;
const RSS_BUDGET_MB = 200;

function renderAndValidate(): { ms: number; bytes: number } {
  const start = performance.now();
  const jobs = generateJobs(JOB_COUNT, qa);
  const diagnostics = validateJobs({ env: qa, jobs });
  if (hasErrors(diagnostics)) throw new Error(`generated jobs are invalid: ${JSON.stringify(diagnostics.slice(0, 3))}`);
  const { files } = renderOutputs(jobs, { env: qa, project: 'bench', gitSha: 'f'.repeat(40), release: 'bench' });
  const bytes = files.reduce((sum, f) => sum + f.content.length, 0);
  return { ms: performance.now() - start, bytes };
}

const baselineRssMb = process.memoryUsage().rss / 1024 / 1024;
const cold = renderAndValidate();
const warm = renderAndValidate();
const peakRssMb = process.resourceUsage().maxRSS / 1024;

console.log(`in process: render + validate ${JOB_COUNT} jobs (JSON + HCL, ${(warm.bytes / 1e6).toFixed(1)} MB of output)`);
console.log(`  first run   ${cold.ms.toFixed(0)} ms  ${(JOB_COUNT / (cold.ms / 1000)).toFixed(0)} jobs/s  (includes module warm-up)`);
console.log(`  second run  ${warm.ms.toFixed(0)} ms  ${(JOB_COUNT / (warm.ms / 1000)).toFixed(0)} jobs/s`);
console.log(`  peak RSS    ${peakRssMb.toFixed(0)} MB  (${baselineRssMb.toFixed(0)} MB before rendering: Node, tsx and the loaded modules)`);
const ok = cold.ms < BUDGET_MS && peakRssMb < RSS_BUDGET_MB;
console.log(`  budget      < ${BUDGET_MS} ms and < ${RSS_BUDGET_MB} MB: ${ok ? 'met' : 'MISSED'}`);
// Spawned processes: they do not add to this process's RSS.
const { runProcessBenchmark } = await import('./process.ts');
const startupOk = await runProcessBenchmark();
// Loaded only now, so the sandbox and clients do not count in the render benchmark's RSS. It runs
// even when the render budget was missed, so one run reports both.
const { runRolloutBenchmark } = await import('./rollout.ts');
const rolloutOk = await runRolloutBenchmark();
const { runCanaryBenchmark } = await import('./canary.ts');
const canaryOk = await runCanaryBenchmark();
process.exitCode = ok && startupOk && rolloutOk && canaryOk ? 0 : 1;
