/** The worker's settings, from the variables and arguments jobs/worker.ts gives its task. */
import { parseArgs } from 'node:util';
import { type BaseConfig, type Env, EnvReader, type Loaded, type Secret } from '../shared/config.ts';

export interface WorkerConfig extends BaseConfig {
  /** `QUEUE_NAME` (job env). */
  readonly queueName: string;
  /** `DATABASE_PASSWORD` (Vault template, `shop/worker/database` password). */
  readonly databasePassword: Secret;
  /** `--concurrency N` (job args): orders processed at once. @default 1 */
  readonly concurrency: number;
  /** `WORKER_ORDER_INTERVAL_MS`: a synthetic order arrives this often; 0 = none. @default 500 */
  readonly orderIntervalMs: number;
  /** `WORKER_JOB_MS`: time one order takes to process (plus `EXAMPLE_LATENCY_MS`). @default 50 */
  readonly jobMs: number;
}

/** Reads the worker's configuration; every problem at once. */
export function loadWorkerConfig(env: Env, argv: readonly string[]): Loaded<WorkerConfig> {
  const read = new EnvReader(env);
  // kill_timeout is 45 s in jobs/worker.ts.
  const base = read.base({ portLabel: 'metrics', port: 9102, shutdownTimeoutMs: 40_000 });
  const queueName = read.required('QUEUE_NAME', 'set in the env of jobs/worker.ts');
  const databasePassword = read.secret('DATABASE_PASSWORD', "written by the job's Vault template from shop/worker/database");
  const orderIntervalMs = read.integer('WORKER_ORDER_INTERVAL_MS', { min: 0, max: 3_600_000, fallback: 500 });
  const jobMs = read.integer('WORKER_JOB_MS', { min: 0, max: 600_000, fallback: 50 });
  const concurrency = readConcurrency(argv, read.problems);
  return read.result({ ...base, queueName, databasePassword, concurrency, orderIntervalMs, jobMs });
}

function readConcurrency(argv: readonly string[], problems: string[]): number {
  let raw: string | undefined;
  try {
    raw = parseArgs({ args: [...argv], options: { concurrency: { type: 'string' } }, strict: true, allowPositionals: false }).values.concurrency;
  } catch (error) {
    problems.push(`arguments: ${error instanceof Error ? error.message : String(error)} (the worker takes only --concurrency N)`);
    return 1;
  }
  if (raw === undefined) return 1;
  const value = Number(raw);
  if (Number.isInteger(value) && value >= 1 && value <= 64) return value;
  problems.push(`--concurrency must be an integer from 1 to 64, got ${JSON.stringify(raw)}`);
  return 1;
}
