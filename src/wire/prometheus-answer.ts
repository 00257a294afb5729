/*
 * Prometheus query results as drover reads them (the client narrows the HTTP API's JSON into
 * these): plain values shared by the client and the canary gates, which must not import a client.
 */

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
