import { assertPrometheusAnswers } from '../canary/prometheus-preflight.ts';
import type { PrometheusClient } from '../clients/prometheus/index.ts';
import type { Environment } from '../config/environment.ts';
import type { Report } from '../report/events.ts';
import { createPrometheusClientFromEnv } from './clients.ts';
import { prometheusTarget } from './prometheus-target.ts';

/** What {@link openCanaryPrometheus} needs besides the environment. */
export interface CanaryPrometheusOptions {
  readonly processEnv: Readonly<Record<string, string | undefined>>;
  readonly report: Report;
  /** Jobs with a progressive canary, named in the refusal. */
  readonly jobs: readonly string[];
  /** The caller's Prometheus (the demo's), instead of DROVER_PROMETHEUS_ADDR / prometheus.address. */
  readonly override?: string;
  readonly signal?: AbortSignal;
}

/**
 * The Prometheus client of a deploy with progressive canaries, once it answered a query: a deploy
 * refuses (exit 4) before the lock and any registration when nothing answers, instead of failing
 * every canary after minutes of analysis. Closes the client when it throws.
 */
export async function openCanaryPrometheus(env: Environment, options: CanaryPrometheusOptions): Promise<PrometheusClient> {
  const prometheus = createPrometheusClientFromEnv(env, options.processEnv, options.report, options.override);
  const { address, addressFrom } = prometheusTarget(env, options.processEnv, options.override);
  try {
    await assertPrometheusAnswers(prometheus, { env: env.name, address: address ?? '', addressFrom, jobs: options.jobs }, options.signal);
    return prometheus;
  } catch (error) {
    prometheus.close();
    throw error;
  }
}
