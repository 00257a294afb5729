/**
 * Prometheus HTTP API JSON as the server sends it (`/api/v1/query`, `/api/v1/query_range`). Only
 * the parts drover reads. No logic here. Sample values travel as strings (`"0.25"`, `"NaN"`,
 * `"+Inf"`) next to a float of unix seconds.
 * @see https://prometheus.io/docs/prometheus/latest/querying/api/#format-overview
 */

/** `[<unix seconds, float>, "<value>"]`. */
export type PrometheusSamplePair = [number, string];

/** One series of an instant vector. Native-histogram samples (`histogram`) are not read. */
export interface PrometheusVectorSample {
  metric: Record<string, string>;
  value: PrometheusSamplePair;
}

/** One series of a range vector. */
export interface PrometheusMatrixSeries {
  metric: Record<string, string>;
  values: PrometheusSamplePair[];
}

/** `data` of a successful query, by `resultType`. */
export type PrometheusQueryData =
  | { resultType: 'vector'; result: PrometheusVectorSample[] }
  | { resultType: 'matrix'; result: PrometheusMatrixSeries[] }
  | { resultType: 'scalar'; result: PrometheusSamplePair }
  | { resultType: 'string'; result: PrometheusSamplePair };

/** Every answer's envelope; `warnings` may accompany success (e.g. a partial response). */
export interface PrometheusSuccessBody {
  status: 'success';
  data: PrometheusQueryData;
  warnings?: string[];
}

/**
 * The error envelope, sent with 400 (`bad_data`), 422 (`execution`), 503 (`timeout`, `canceled`,
 * `unavailable`) or 500 (`internal`).
 */
export interface PrometheusErrorBody {
  status: 'error';
  errorType: string;
  error: string;
}
