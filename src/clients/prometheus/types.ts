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

/** Label names and values of one series. */
export type PromLabels = Readonly<Record<string, string>>;

/** One value at one time. `value` may be `NaN`, `Infinity` or `-Infinity`, as Prometheus computed it. */
export interface PromPoint {
  /** Unix milliseconds. */
  readonly timeMs: number;
  readonly value: number;
}

/** One series of an instant vector. */
export interface PromSample extends PromPoint {
  readonly labels: PromLabels;
}

/** One series of a range vector, points in time order. */
export interface PromSeries {
  readonly labels: PromLabels;
  readonly points: readonly PromPoint[];
}

/** A query's result by its type; an empty vector (`samples: []`) means no series matched. */
export type PromResult =
  | { readonly kind: 'vector'; readonly samples: readonly PromSample[] }
  | { readonly kind: 'scalar'; readonly point: PromPoint }
  | { readonly kind: 'matrix'; readonly series: readonly PromSeries[] }
  | { readonly kind: 'string'; readonly timeMs: number; readonly value: string };

/** A successful answer: the result plus any warnings Prometheus attached (partial data and the like). */
export type PromAnswer<R extends PromResult = PromResult> = R & { readonly warnings: readonly string[] };

/** The Prometheus calls drover makes. Every failure is an `ApiError` with `service: 'prometheus'`. */
export interface PrometheusClient {
  /** Instant query (`GET /api/v1/query`): a vector, scalar or string. */
  query(promql: string, opts?: PromQueryOptions): Promise<PromAnswer>;
  /** Range query (`GET /api/v1/query_range`): always a matrix. */
  queryRange(promql: string, opts: PromRangeOptions): Promise<PromAnswer<Extract<PromResult, { kind: 'matrix' }>>>;
  /** Frees the keep-alive sockets; the client must not be used afterwards. */
  close(): void;
}
