import type { Environment } from '../config/environment.ts';

/** The Prometheus progressive canaries are judged by, and where its address came from (for messages). */
export interface PrometheusTarget {
  readonly address: string | undefined;
  /** `the caller`, `DROVER_PROMETHEUS_ADDR` or `environments/<env>.ts`. */
  readonly addressFrom: string;
}

/** The caller's address (the demo), else `DROVER_PROMETHEUS_ADDR`, else the environment file's `prometheus.address`. */
export function prometheusTarget(env: Environment, processEnv: Readonly<Record<string, string | undefined>>, override?: string): PrometheusTarget {
  if (override) return { address: override, addressFrom: 'the caller' };
  if (processEnv.DROVER_PROMETHEUS_ADDR) return { address: processEnv.DROVER_PROMETHEUS_ADDR, addressFrom: 'DROVER_PROMETHEUS_ADDR' };
  return { address: env.prometheus?.address, addressFrom: `environments/${env.name}.ts` };
}
