/**
 * Progressive canaries are judged by Prometheus. Without one, every analysis step finds no
 * evidence, the canary fails after all its steps (minutes) and Nomad rolls back. So before the
 * lock and any registration, a deploy that will place canaries asks Prometheus one trivial query,
 * and refuses at once when nothing answers.
 */
import type { PrometheusClient } from '../clients/prometheus/index.ts';
import { DroverError, ExitCode } from '../errors.ts';
import { META } from '../render/context.ts';
import type { NomadJobRead } from '../wire/nomad-api.ts';
import type { NomadJob } from '../wire/nomad-job.ts';

/** The Prometheus a deploy would judge its canaries with. */
export interface CanaryPrometheus {
  readonly env: string;
  readonly address: string;
  /** Where the address came from: `DROVER_PROMETHEUS_ADDR`, `environments/<env>.ts` or `the caller`. */
  readonly addressFrom: string;
  /** Jobs with a progressive canary. */
  readonly jobs: readonly string[];
}

/**
 * Whether registering `rendered` makes Nomad place canaries: only an update of a running job does.
 * A new or stopped job is placed in full, and an unchanged one (same spec hash) is not registered.
 */
export function placesCanaries(current: Pick<NomadJobRead, 'Stop' | 'Meta'> | null, rendered: Pick<NomadJob, 'Meta'>): boolean {
  return current !== null && !current.Stop && current.Meta?.[META.specHash] !== rendered.Meta?.[META.specHash];
}

/** How long the one readiness query may take: a Prometheus that needs longer cannot judge canaries step by step. */
const PREFLIGHT_TIMEOUT_MS = 3_000;

/** The query any Prometheus answers with one sample, whatever it scrapes. */
const PROBE = 'vector(1)';

/** Resolves when Prometheus answers {@link PROBE}; throws {@link prometheusUnreachable} otherwise. */
export async function assertPrometheusAnswers(prometheus: Pick<PrometheusClient, 'query'>, target: CanaryPrometheus, signal?: AbortSignal): Promise<void> {
  try {
    const answer = await prometheus.query(PROBE, { timeoutMs: PREFLIGHT_TIMEOUT_MS, ...(signal ? { signal } : {}) });
    if (answer.kind === 'vector' && answer.samples.length === 1) return;
    throw new Error(`\`${PROBE}\` answered a ${answer.kind} without its one sample`);
  } catch (error) {
    if (signal?.aborted) throw error;
    // A Prometheus (or the proxy before it) that refuses the token answered: "not allowed" is 77, and its message names the variable.
    if (error instanceof DroverError && error.exitCode === ExitCode.noPermission) throw error;
    throw prometheusUnreachable(target, error);
  }
}

/** Exit 4: the deploy is refused before anything was registered. */
export function prometheusUnreachable(target: CanaryPrometheus, cause: unknown): DroverError {
  const jobs = target.jobs.join(', ');
  return new DroverError(
    `Refusing to deploy ${target.env}: the progressive canaries of ${jobs} are judged by Prometheus, and none answers at ${target.address} (from ${target.addressFrom}); nothing was registered`,
    ExitCode.refused,
    {
      cause,
      context: { prometheus: target.address, cause: cause instanceof Error ? cause.message.split('\n')[0]! : String(cause) },
      hint: [
        'Without Prometheus the canaries would fail after every analysis step and be rolled back. Either',
        '    install Prometheus (`bash scripts/install-prometheus.sh`, Debian\'s prometheus package) and restart `drover sandbox`,',
        '    or export DROVER_PROMETHEUS_ADDR=<a Prometheus scraping Fabio and the instances>,',
        `    or make the canaries non-progressive (promotion.canary: 'manual' or 'auto' in environments/${target.env}.ts, or the job's update.promotion),`,
        '    or deploy with --stop-at-canary and promote by hand with `drover promote`.',
      ].join('\n'),
    },
  );
}
