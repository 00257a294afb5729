/**
 * Runs a static dashboard page's queries against a Prometheus: each once, as a range query over
 * the window, a few at a time. A query Prometheus refuses (400 bad_data, 422 execution error)
 * becomes that panel's error on the page; a Prometheus that cannot be reached fails the command.
 */
import { ApiError } from '../clients/api-error.ts';
import type { PrometheusClient } from '../clients/prometheus/index.ts';
import type { LiveValues, QueryOutcome } from '../dashboards/html.ts';

/** Points per series on a page: enough for a sparkline, small enough for a quick page. */
const POINTS = 120;
const PARALLEL = 6;

/** Options of {@link readLiveValues}. */
export interface LiveWindow {
  /** Shown on the page. */
  readonly address: string;
  readonly endMs: number;
  readonly rangeMs: number;
  readonly signal?: AbortSignal;
}

/** Every query's series over the window, by query. */
export async function readLiveValues(prometheus: Pick<PrometheusClient, 'queryRange'>, queries: readonly string[], window: LiveWindow): Promise<LiveValues> {
  const startMs = window.endMs - window.rangeMs;
  const stepMs = Math.max(1000, Math.round(window.rangeMs / POINTS / 1000) * 1000);
  const results = new Map<string, QueryOutcome>();
  const pending = [...queries];
  const worker = async (): Promise<void> => {
    for (let query = pending.shift(); query !== undefined; query = pending.shift()) {
      results.set(query, await outcomeOf(prometheus, query, { start: startMs, end: window.endMs, stepMs, ...(window.signal ? { signal: window.signal } : {}) }));
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, queries.length) }, worker));
  return { prometheus: window.address, startMs, endMs: window.endMs, results };
}

async function outcomeOf(prometheus: Pick<PrometheusClient, 'queryRange'>, query: string, options: Parameters<PrometheusClient['queryRange']>[1]): Promise<QueryOutcome> {
  try {
    const answer = await prometheus.queryRange(query, options);
    return { ok: true, series: answer.series };
  } catch (error) {
    if (error instanceof ApiError && (error.status === 400 || error.status === 422)) return { ok: false, error: `Prometheus ${error.status}: ${error.body}` };
    throw error;
  }
}
