/**
 * Process-level start time: `drover --help`, `drover plan --help` and `drover validate qa` as a
 * user runs them (a fresh `node bin/drover.mjs` each time, tsx registering on the way), median of
 * several runs, next to bare `node -e 0` for what Node alone costs on this machine. The in-process
 * figures of bench/index.ts cannot show this: module loading is most of a short command's time.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = fileURLToPath(new URL('../', import.meta.url));
const bin = `${root}bin/drover.mjs`;
/** `drover --help` must answer within this (it took 1.0 s before help texts were split from command code). */
export const HELP_BUDGET_MS = 300;

/** Wall time of one `node <args>` run from the project root; throws when it fails. */
function timeRun(args: readonly string[]): number {
  const start = performance.now();
  const run = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const ms = performance.now() - start;
  if (run.status !== 0) throw new Error(`node ${args.join(' ')} exited ${run.status}: ${run.stderr.slice(0, 500)}`);
  return ms;
}

/** Median, min and max of `runs` runs after one unmeasured run (disk cache, tsx's transform cache). */
export function measure(args: readonly string[], runs: number): { median: number; min: number; max: number } {
  timeRun(args);
  const times = Array.from({ length: runs }, () => timeRun(args)).sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)]!, min: times[0]!, max: times[times.length - 1]! };
}

/** Prints the figures; true when `drover --help` met its budget. */
export function runStartupBenchmark(runs = 9): boolean {
  const rows: [string, readonly string[], number][] = [
    ['node -e 0 (Node alone)', ['-e', '0'], runs],
    ['drover --help', [bin, '--help'], runs],
    ['drover plan --help', [bin, 'plan', '--help'], runs],
    ['drover validate qa', [bin, 'validate', 'qa'], Math.max(3, Math.ceil(runs / 3))],
  ];
  console.log(`process start (spawned node processes, median of N after one warm-up run)`);
  let help = Number.POSITIVE_INFINITY;
  for (const [label, args, n] of rows) {
    const m = measure(args, n);
    if (label === 'drover --help') help = m.median;
    console.log(`  ${label.padEnd(24)} ${m.median.toFixed(0).padStart(5)} ms  (N=${n}, ${m.min.toFixed(0)}–${m.max.toFixed(0)} ms)`);
  }
  const ok = help < HELP_BUDGET_MS;
  console.log(`  budget      drover --help < ${HELP_BUDGET_MS} ms: ${ok ? 'met' : 'MISSED'}`);
  return ok;
}
