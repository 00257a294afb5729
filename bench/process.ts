/**
 * Process-level figures (issue 15): drover as a user runs it — a fresh `node bin/drover.mjs`
 * per command, on a generated project of 500 job files (bench/generate-project.ts) — wall time
 * and the drover process's own peak RSS, cold (no project cache: node_modules/.cache/drover of
 * the project removed) and warm (median of several runs), each against its goal as a ratio.
 * The type check (tsc, a separate process) is measured on its own rows. Then the deploy
 * overhead per job: `drover deploy qa` of 50 jobs against the sandbox with zero health time.
 */
import { spawn, spawnSync } from 'node:child_process';
import { appendFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { writeProject } from './generate-project.ts';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const bin = join(repoRoot, 'bin/drover.mjs');
const JOBS = 500;
const DEPLOY_JOBS = 50;

/** The goals. */
export const GOALS = { helpMs: 150, renderWarmMs: 300, renderColdMs: 1000, renderRssMb: 150, validateWarmMs: 250 } as const;

/** Writes the child's own resource usage (not its children's: tsc is measured on its own rows) when it exits. */
const RUSAGE_PRELOAD = `data:text/javascript,${encodeURIComponent(
  "import{writeFileSync}from'node:fs';process.on('exit',()=>{const f=process.env.DROVER_BENCH_RUSAGE;if(f)writeFileSync(f,JSON.stringify(process.resourceUsage()))})",
)}`;

export interface ProcessRun {
  readonly wallMs: number;
  /** The drover process's peak resident set. */
  readonly rssMb: number;
  /** User + system CPU of the drover process. */
  readonly cpuMs: number;
}

/** One `drover <args>` in `cwd`; throws when it does not exit `expect`. */
export async function droverRun(args: readonly string[], cwd: string, env: Record<string, string> = {}, expect = 0): Promise<ProcessRun> {
  const usageFile = join(tmpdir(), `drover-bench-rusage-${process.pid}.json`);
  const start = performance.now();
  const run = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', RUSAGE_PRELOAD, bin, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', CI: 'true', ...env, DROVER_BENCH_RUSAGE: usageFile }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (status) => resolve({ status, stderr }));
  });
  const wallMs = performance.now() - start;
  if (run.status !== expect) throw new Error(`drover ${args.join(' ')} exited ${run.status}: ${run.stderr.slice(-800)}`);
  const usage = JSON.parse(await readFile(usageFile, 'utf8')) as NodeJS.ResourceUsage;
  await rm(usageFile, { force: true });
  return { wallMs, rssMb: usage.maxRSS / 1024, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000 };
}

/** Median wall (with that run's RSS and CPU) of `runs` runs after one unmeasured one. */
async function warm(args: readonly string[] | ((run: number) => readonly string[]), cwd: string, runs: number, beforeEach?: () => Promise<void>): Promise<ProcessRun & { minMs: number; maxMs: number }> {
  const argsOf = typeof args === 'function' ? args : () => args;
  await beforeEach?.();
  await droverRun(argsOf(0), cwd);
  const all: ProcessRun[] = [];
  for (let i = 0; i < runs; i++) {
    await beforeEach?.();
    all.push(await droverRun(argsOf(i + 1), cwd));
  }
  all.sort((a, b) => a.wallMs - b.wallMs);
  return { ...all[Math.floor(all.length / 2)]!, minMs: all[0]!.wallMs, maxMs: all[all.length - 1]!.wallMs };
}

/** The project's record of its last renders removed, so the next render renders everything again. */
async function forgetRenders(dir: string): Promise<void> {
  const cache = join(dir, 'node_modules/.cache/drover');
  for (const name of await readdir(cache).catch(() => [])) if (name.startsWith('render-')) await rm(join(cache, name), { force: true });
}

/** Switches the job file's image tag between two versions, so each run renders a changed job. */
async function toggleImage(file: string): Promise<void> {
  const text = await readFile(file, 'utf8');
  await writeFile(file, text.includes(':1.7.0') ? text.replace(':1.7.0', ':1.7.1') : text.replace(':1.7.1', ':1.7.0'));
}

/** The project's caches (compiled definitions, tsc's build info, the last clean check) removed. */
async function cold(args: readonly string[], cwd: string): Promise<ProcessRun> {
  await rm(join(cwd, 'node_modules/.cache'), { recursive: true, force: true });
  return droverRun(args, cwd);
}

function row(label: string, run: ProcessRun, goal?: { ms: number; rssMb?: number }, note = ''): boolean {
  const ratio = goal ? `  ${(run.wallMs / goal.ms).toFixed(2)} × goal ${goal.ms} ms` : '';
  const rssGoal = goal?.rssMb ? `, ${(run.rssMb / goal.rssMb).toFixed(2)} × ${goal.rssMb} MB` : '';
  const met = goal ? run.wallMs < goal.ms && (goal.rssMb === undefined || run.rssMb < goal.rssMb) : true;
  const verdict = goal ? (met ? '  met' : '  MISSED') : '';
  console.log(`  ${label.padEnd(44)} ${run.wallMs.toFixed(0).padStart(6)} ms ${run.rssMb.toFixed(0).padStart(4)} MB  cpu ${run.cpuMs.toFixed(0).padStart(5)} ms${ratio}${rssGoal}${verdict}${note}`);
  return met;
}

/** The CLI's own compile (bin/compiled-cli.mjs), as on the first start after an install or an edit of src/: into an empty cache. */
function cliCompileMs(): number {
  const cacheDir = spawnSync('mktemp', ['-d'], { encoding: 'utf8' }).stdout.trim();
  const script = `const{compiledCli}=await import(${JSON.stringify(join(repoRoot, 'bin/compiled-cli.mjs'))});const t=performance.now();const url=await compiledCli({cacheDir:${JSON.stringify(cacheDir)}});if(!url)process.exit(1);console.log(performance.now()-t)`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  spawnSync('rm', ['-rf', cacheDir]);
  if (run.status !== 0) throw new Error(`compiling the CLI failed: ${run.stderr}`);
  return Number(run.stdout.trim());
}

/** Prints the table; true when every goal was met. */
export async function runProcessBenchmark(): Promise<boolean> {
  const dir = await mkdtemp(join(tmpdir(), 'drover-bench-project-'));
  try {
    await writeProject(dir, JOBS);
    const out = join(dir, 'build');
    // As a project is after its first render: build/, vault-policies/, fabio/, dashboards present (validate reads them).
    await droverRun(['render', 'qa', '--no-typecheck', '--out', out], dir);
    console.log(`\nprocess level: node bin/drover.mjs on a generated project of ${JOBS} job files (routed service, canary update, 2 checks, docker task)`);
    console.log('  wall, the drover process\'s peak RSS and CPU; warm = median of 5 after one unmeasured run; cold = the project\'s node_modules/.cache removed');
    const results: boolean[] = [];
    const bare = await new Promise<number>((resolve) => {
      const start = performance.now();
      spawn(process.execPath, ['-e', '0']).on('close', () => resolve(performance.now() - start));
    });
    console.log(`  ${'node -e 0 (Node alone)'.padEnd(44)} ${bare.toFixed(0).padStart(6)} ms`);
    console.log(`  ${'compiling drover itself (first start only)'.padEnd(44)} ${cliCompileMs().toFixed(0).padStart(6)} ms  (then cached until a file in src/ changes)`);
    results.push(row('drover --help', await warm(['--help'], dir, 9), { ms: GOALS.helpMs }));
    results.push(row('drover validate qa --no-typecheck, cold', await cold(['validate', 'qa', '--no-typecheck'], dir)));
    results.push(row('drover validate qa --no-typecheck, warm', await warm(['validate', 'qa', '--no-typecheck'], dir, 5), { ms: GOALS.validateWarmMs }));
    results.push(row('drover render qa --no-typecheck, cold', await cold(['render', 'qa', '--no-typecheck', '--out', out], dir), { ms: GOALS.renderColdMs, rssMb: GOALS.renderRssMb }));
    results.push(row('drover render qa --no-typecheck, warm', await warm(['render', 'qa', '--no-typecheck', '--out', out], dir, 5), { ms: GOALS.renderWarmMs, rssMb: GOALS.renderRssMb }));
    // What a render costs when everything is rendered: the project's bundle still cached, but no
    // record of the last render (src/project/render-cache.ts).
    row('drover render qa --no-typecheck, all rendered', await warm(['render', 'qa', '--no-typecheck', '--out', out], dir, 5, () => forgetRenders(dir)), { ms: GOALS.renderWarmMs, rssMb: GOALS.renderRssMb });
    // Another commit (each run a different --git-sha): every job's files rendered again, the files
    // made from every job (policies, dashboards) kept.
    row('drover render qa --no-typecheck, new commit', await warm((run) => ['render', 'qa', '--no-typecheck', '--out', out, '--git-sha', String(run % 10).repeat(40)], dir, 5), { ms: GOALS.renderWarmMs, rssMb: GOALS.renderRssMb });
    // A job edited between renders: the bundle is rebuilt, that job and the files made from every job rendered again.
    row('drover render qa --no-typecheck, job edited', await warm(['render', 'qa', '--no-typecheck', '--out', out], dir, 5, () => toggleImage(join(dir, 'jobs/svc-7.ts'))), { ms: GOALS.renderWarmMs, rssMb: GOALS.renderRssMb });
    console.log('  with the type check (tsc runs as its own process; skipped while nothing it read changed since a clean check):');
    const coldCheck = await cold(['validate', 'qa'], dir);
    row('drover validate qa, cold (tsc from scratch)', coldCheck, undefined, '  (tsc\'s own RSS not included)');
    results.push(row('drover validate qa, warm (tsc skipped)', await warm(['validate', 'qa'], dir, 5), { ms: GOALS.validateWarmMs }));
    results.push(row('drover render qa, warm (tsc skipped)', await warm(['render', 'qa', '--out', out], dir, 5), { ms: GOALS.renderWarmMs, rssMb: GOALS.renderRssMb }));
    row('drover validate qa after editing one job file', await editedRun(dir, join(dir, 'jobs/svc-7.ts')), undefined, '  (bundle rebuilt, tsc incremental)');
    console.log(`  goals: --help < ${GOALS.helpMs} ms; render < ${GOALS.renderWarmMs} ms warm, < ${GOALS.renderColdMs} ms cold, < ${GOALS.renderRssMb} MB; validate < ${GOALS.validateWarmMs} ms warm: ${results.every(Boolean) ? 'met' : 'MISSED'}`);
    results.push(await runDeployOverhead());
    return results.every(Boolean);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** validate after appending a comment to one job file, so the bundle is rebuilt and tsc checks incrementally. */
async function editedRun(dir: string, file: string): Promise<ProcessRun> {
  await droverRun(['validate', 'qa'], dir);
  await appendFile(file, '// edited\n');
  return droverRun(['validate', 'qa'], dir);
}

/**
 * `drover deploy qa` of 1 and of DEPLOY_JOBS new jobs against the sandbox, every allocation
 * healthy at once and the sandbox clock 1000 × real time, so what remains is drover's own work
 * (and the sandbox's answers): per job, the difference between the two runs over the extra jobs.
 * The readiness check runs every 2 s: the sandbox's Consul keeps real time, and with the default
 * 5 s the first passing check, not drover, set the pace.
 */
export async function runDeployOverhead(): Promise<boolean> {
  const one = await deployRun(1);
  const many = await deployRun(DEPLOY_JOBS);
  const extra = DEPLOY_JOBS - 1;
  console.log(`\ndeploy overhead: drover deploy qa --no-typecheck of new jobs (one process each), sandbox healthy at once, clock 1000 × real time`);
  console.log(`  1 job        wall ${one.wallMs.toFixed(0).padStart(5)} ms  drover CPU ${one.cpuMs.toFixed(0).padStart(5)} ms  peak RSS ${one.rssMb.toFixed(0)} MB`);
  console.log(`  ${String(DEPLOY_JOBS).padEnd(2)} jobs      wall ${many.wallMs.toFixed(0).padStart(5)} ms  drover CPU ${many.cpuMs.toFixed(0).padStart(5)} ms  peak RSS ${many.rssMb.toFixed(0)} MB`);
  console.log(`  per extra job: wall ${((many.wallMs - one.wallMs) / extra).toFixed(1)} ms, drover CPU ${((many.cpuMs - one.cpuMs) / extra).toFixed(1)} ms`);
  return true;
}

async function deployRun(count: number): Promise<ProcessRun> {
  const { startSandbox } = await import('../src/sandbox/server.ts');
  const dir = await mkdtemp(join(tmpdir(), 'drover-bench-deploy-'));
  const sandbox = await startSandbox({ clockSpeed: 1000, seed: 1, nomad: { namespaces: ['bench'], datacenters: ['qa1'] } });
  try {
    await writeProject(dir, count, { smoke: false, checkInterval: '2s' });
    for (let i = 0; i < count; i++) sandbox.admin.setScenario({ jobId: `svc-${i}`, namespace: 'bench' }, { kind: 'healthy', healthyAfterMs: 0 });
    const env = { NOMAD_ADDR: sandbox.addresses.nomad, CONSUL_HTTP_ADDR: sandbox.addresses.consul, VAULT_ADDR: sandbox.addresses.vault, VAULT_TOKEN: sandbox.vaultToken, DROVER_FABIO_ADDR: sandbox.addresses.fabio };
    return await droverRun(['deploy', 'qa', '--soak', '0s', '--output', 'plain', '--git-sha', 'd'.repeat(40), '--no-typecheck'], dir, env);
  } finally {
    await sandbox.close();
    await rm(dir, { recursive: true, force: true });
  }
}
