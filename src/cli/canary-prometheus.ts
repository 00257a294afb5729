import { assertPrometheusAnswers, placesCanaries } from '../canary/prometheus-preflight.ts';
import { ApiError } from '../clients/api-error.ts';
import type { NomadClient } from '../clients/nomad/index.ts';
import type { PrometheusClient } from '../clients/prometheus/index.ts';
import type { Environment } from '../config/environment.ts';
import type { Report } from '../report/events.ts';
import type { NomadJobRead } from '../wire/nomad-api.ts';
import type { NomadJob } from '../wire/nomad-job.ts';
import { createPrometheusClientFromEnv } from './clients.ts';
import { prometheusTarget } from './prometheus-target.ts';

/** What {@link openCanaryPrometheus} needs besides the environment. */
export interface CanaryPrometheusOptions {
  readonly processEnv: Readonly<Record<string, string | undefined>>;
  readonly report: Report;
  /** Reads the jobs as they run now, to learn which updates place canaries. */
  readonly nomad: Pick<NomadClient, 'jobs'>;
  /** Jobs with a progressive canary plan. */
  readonly canaries: readonly string[];
  /** Every job as rendered for this rollout, by ID. */
  readonly rendered: ReadonlyMap<string, NomadJob>;
  /** The caller's Prometheus (the demo's), instead of DROVER_PROMETHEUS_ADDR / prometheus.address. */
  readonly override?: string;
  readonly signal?: AbortSignal;
}

/**
 * The Prometheus client of a deploy with progressive canaries. When this rollout will place
 * canaries (a running job's spec changes), Prometheus must first answer a query: otherwise the
 * deploy is refused (exit 4) before the lock and any registration, instead of every canary failing
 * after minutes of analysis. A first deploy places no canaries and needs no Prometheus yet.
 * Closes the client when it throws.
 */
export async function openCanaryPrometheus(env: Environment, options: CanaryPrometheusOptions): Promise<PrometheusClient> {
  const prometheus = createPrometheusClientFromEnv(env, options.processEnv, options.report, options.override);
  try {
    const jobs = await jobsPlacingCanaries(options);
    if (jobs.length === 0) return prometheus;
    const { address, addressFrom } = prometheusTarget(env, options.processEnv, options.override);
    await assertPrometheusAnswers(prometheus, { env: env.name, address: address ?? '', addressFrom, jobs }, options.signal);
    return prometheus;
  } catch (error) {
    prometheus.close();
    throw error;
  }
}

async function jobsPlacingCanaries(options: CanaryPrometheusOptions): Promise<string[]> {
  const placing: string[] = [];
  for (const id of options.canaries) {
    const rendered = options.rendered.get(id);
    if (rendered && placesCanaries(await readJob(options.nomad, id, options.signal), rendered)) placing.push(id);
  }
  return placing;
}

async function readJob(nomad: Pick<NomadClient, 'jobs'>, id: string, signal: AbortSignal | undefined): Promise<NomadJobRead | null> {
  try {
    return (await nomad.jobs.read(id, signal ? { signal } : {})).value;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}
