/**
 * Smoke checks: a few HTTP requests that prove a freshly deployed job answers like it should.
 * QA runs them before a release counts as verified; they are not Nomad/Consul health checks
 * (those gate each allocation), but end-to-end requests through the path users take.
 */

/** How a smoke request reaches the job. */
export type SmokeVia =
  /**
   * Through the environment's Fabio (`fabio.address`), exactly as users reach the job: proves the
   * route tags, strip prefixes and the service behind them.
   * @see https://fabiolb.net/feature/http-path-prefix/
   */
  | 'fabio'
  /**
   * Straight to one passing instance of the job's first routed service (else its first service),
   * found through Consul health: for jobs without a route, or to tell app from routing problems.
   */
  | 'consul';

/** One smoke request and what its answer must look like. */
export interface SmokeCheck {
  /** Shown in reports and the release record, e.g. `"home page"`; unique within the job. */
  readonly name: string;
  readonly via: SmokeVia;
  /**
   * Request path (with query), starting with `/`. Through Fabio it is the public path (Fabio
   * strips `strip=` prefixes); via Consul it is the app's own path.
   */
  readonly path: string;
  /** @default "GET" */
  readonly method?: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE' | 'OPTIONS';
  /** Host header, for host-based Fabio routes (`www.<domain>`). @default the address's host */
  readonly host?: string;
  /** Status the answer must have (100–599). @default 200 */
  readonly expectStatus?: number;
  /** JavaScript regular expression (source text) the first 64 KiB of the body must match. */
  readonly bodyPattern?: string;
  /** Slowest acceptable answer, in milliseconds, measured from request to full body. */
  readonly maxLatencyMs?: number;
  /**
   * Extra attempts before the check fails. A route appears in Fabio a moment after the service
   * turns healthy in Consul, so the first request right after a deploy may legitimately 404.
   * @default 2
   */
  readonly retries?: number;
  /** Pause between attempts. @default 1000 */
  readonly retryDelayMs?: number;
}
