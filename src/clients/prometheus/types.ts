/**
 * The Prometheus client's public surface: the two query calls drover makes, with answers narrowed
 * to numbers (sample values arrive as strings, `"NaN"` and `"+Inf"` included).
 * @see https://prometheus.io/docs/prometheus/latest/querying/api/
 */
import type { TlsOptions } from '../http/agents.ts';
import type { RetryListener, RetryPolicy } from '../retry.ts';

/** How to reach one Prometheus server (or anything serving its HTTP API, e.g. Thanos Query). */
export interface PrometheusClientOptions extends TlsOptions {
  /** Base URL without `/api/v1`, e.g. `https://prometheus.prod.internal:9090`. */
  readonly address: string;
  /** Sent as `Authorization: Bearer <token>` (reverse proxies in front of Prometheus); never appears in errors or events. @default none */
  readonly token?: string;
  /** Per-request timeout. @default 10000 */
  readonly timeoutMs?: number;
  /** Retry policy; every call is a read, so every call may be retried on transient failures. */
  readonly retry?: RetryPolicy;
  /** Told before each retry. */
  readonly onRetry?: RetryListener;
}

/** Options of every call. */
export interface PromCallOptions {
  readonly signal?: AbortSignal;
  /** Overrides the client's `timeoutMs` for this call. */
  readonly timeoutMs?: number;
}

/** `query` options. @see https://prometheus.io/docs/prometheus/latest/querying/api/#instant-queries */
export interface PromQueryOptions extends PromCallOptions {
  /** Evaluation time (a `Date` or unix milliseconds). @default the server's now */
  readonly time?: Date | number;
}

/** `queryRange` options. @see https://prometheus.io/docs/prometheus/latest/querying/api/#range-queries */
export interface PromRangeOptions extends PromCallOptions {
  /** First evaluation time (a `Date` or unix milliseconds). */
  readonly start: Date | number;
  /** Last evaluation time (a `Date` or unix milliseconds). */
  readonly end: Date | number;
  /** Resolution in **milliseconds** (sent to Prometheus as float seconds). */
  readonly stepMs: number;
}

export type { PromAnswer, PromLabels, PromPoint, PromResult, PromSample, PromSeries } from '../../wire/prometheus-answer.ts';
import type { PromAnswer, PromResult } from '../../wire/prometheus-answer.ts';
import type { PrometheusTarget } from '../../wire/cluster-agents.ts';

/** The Prometheus calls drover makes. Every failure is an `ApiError` with `service: 'prometheus'`. */
export interface PrometheusClient {
  /** Instant query (`GET /api/v1/query`): a vector, scalar or string. */
  query(promql: string, opts?: PromQueryOptions): Promise<PromAnswer>;
  /** Range query (`GET /api/v1/query_range`): always a matrix. */
  queryRange(promql: string, opts: PromRangeOptions): Promise<PromAnswer<Extract<PromResult, { kind: 'matrix' }>>>;
  /** Targets being scraped, with their health and last error (`GET /api/v1/targets?state=active`). @see https://prometheus.io/docs/prometheus/latest/querying/api/#targets */
  targets(opts?: PromCallOptions): Promise<PrometheusTarget[]>;
  /** Frees the keep-alive sockets; the client must not be used afterwards. */
  close(): void;
}
