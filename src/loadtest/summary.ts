/**
 * The result of a load run as drover reports it: latency percentiles, status classes and codes,
 * errors and timeouts, achieved rate and throughput, and the split by a response header. Pure:
 * the load generator's numbers in, a summary and its text out.
 */
import type { LoadtestSettings } from './settings.ts';

/** What the run measured (the subset of autocannon's result drover reads, plus its own counts). */
export interface LoadMeasurement {
  /** Seconds the run lasted. */
  readonly durationSeconds: number;
  /** Milliseconds; percentiles over every answered request. */
  readonly latencyMs: { readonly p50: number; readonly p90: number; readonly p99: number; readonly max: number; readonly mean: number };
  /** Answers by status code. */
  readonly statusCodes: Readonly<Record<string, number>>;
  /** Requests that got no answer (refused, reset), timeouts included. */
  readonly errors: number;
  readonly timeouts: number;
  /** Response bytes received. */
  readonly bytes: number;
  /** Answers by the value of the split header (`(none)` when absent). */
  readonly split?: Readonly<Record<string, number>>;
  /** Why it stopped: time ran out, the request cap was reached, or it was interrupted. */
  readonly stoppedBy: 'duration' | 'request-cap' | 'interrupted';
}

/** Status classes as the summary counts them. */
export type StatusClass = '1xx' | '2xx' | '3xx' | '4xx' | '5xx';

/** One run, summarised. */
export interface LoadSummary {
  readonly target: string;
  readonly host: string | null;
  readonly requested: { readonly rps: number | null; readonly durationSeconds: number; readonly connections: number; readonly maxRequests: number };
  readonly durationSeconds: number;
  /** Answered requests plus requests that failed without an answer. */
  readonly requests: number;
  readonly answered: number;
  /** Answered requests per second. */
  readonly rps: number;
  readonly throughputBytesPerSecond: number;
  readonly statusClasses: Readonly<Record<StatusClass, number>>;
  readonly statusCodes: Readonly<Record<string, number>>;
  readonly errors: number;
  readonly timeouts: number;
  readonly latencyMs: LoadMeasurement['latencyMs'];
  readonly split: { readonly header: string; readonly counts: Readonly<Record<string, number>> } | null;
  readonly stoppedBy: LoadMeasurement['stoppedBy'];
}

/** Combines the settings and the measurement into the summary `--output json` prints. */
export function summarizeLoad(settings: LoadtestSettings, measured: LoadMeasurement): LoadSummary {
  const statusClasses: Record<StatusClass, number> = { '1xx': 0, '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 };
  const codes = Object.entries(measured.statusCodes).sort(([a], [b]) => Number(a) - Number(b));
  for (const [code, count] of codes) {
    const key = `${code.charAt(0)}xx`;
    if (key in statusClasses) statusClasses[key as StatusClass] += count;
  }
  const answered = codes.reduce((sum, [, count]) => sum + count, 0);
  const seconds = measured.durationSeconds > 0 ? measured.durationSeconds : 1;
  return {
    target: settings.url,
    host: settings.host ?? null,
    requested: { rps: settings.rps ?? null, durationSeconds: settings.durationSeconds, connections: settings.connections, maxRequests: settings.maxRequests },
    durationSeconds: round(measured.durationSeconds, 2),
    requests: answered + measured.errors,
    answered,
    rps: round(answered / seconds, 1),
    throughputBytesPerSecond: Math.round(measured.bytes / seconds),
    statusClasses,
    statusCodes: Object.fromEntries(codes),
    errors: measured.errors,
    timeouts: measured.timeouts,
    latencyMs: measured.latencyMs,
    split: settings.splitHeader ? { header: settings.splitHeader, counts: sortedCounts(measured.split ?? {}) } : null,
    stoppedBy: measured.stoppedBy,
  };
}

/**
 * The summary as people read it:
 *   GET http://127.0.0.1:9999/api/products  (Host: …)
 *   requested  1000 req/s for 60s over 50 connections (cap 1000000 requests)
 *   achieved   998.7 req/s for 60.01s, 59930 requests, 1.2 MB/s
 *   latency    p50 2 ms  p90 4 ms  p99 11 ms  max 38 ms  (mean 2.4 ms)
 *   status     2xx 59930  3xx 0  4xx 0  5xx 0  errors 0  timeouts 0
 *   codes      200 59930
 */
export function formatLoadSummary(summary: LoadSummary): string {
  const { requested, latencyMs: l, statusClasses: s } = summary;
  const rate = requested.rps === null ? 'as fast as possible' : `${requested.rps} req/s`;
  const lines = [
    `GET ${summary.target}${summary.host ? `  (Host: ${summary.host})` : ''}`,
    `  requested  ${rate} for ${requested.durationSeconds}s over ${requested.connections} connections (cap ${requested.maxRequests} requests)`,
    `  achieved   ${summary.rps} req/s for ${summary.durationSeconds}s, ${summary.requests} requests, ${formatBytes(summary.throughputBytesPerSecond)}/s${stopNote(summary.stoppedBy)}`,
    `  latency    p50 ${ms(l.p50)}  p90 ${ms(l.p90)}  p99 ${ms(l.p99)}  max ${ms(l.max)}  (mean ${ms(l.mean)})`,
    `  status     2xx ${s['2xx']}  3xx ${s['3xx']}  4xx ${s['4xx']}  5xx ${s['5xx']}  errors ${summary.errors}  timeouts ${summary.timeouts}`,
  ];
  const codes = Object.entries(summary.statusCodes);
  if (codes.length > 0) lines.push(`  codes      ${codes.map(([code, count]) => `${code} ${count}`).join('  ')}`);
  if (summary.split) lines.push(...formatSplit(summary.split, summary.answered));
  return `${lines.join('\n')}\n`;
}

function formatSplit(split: NonNullable<LoadSummary['split']>, answered: number): string[] {
  const entries = Object.entries(split.counts);
  if (entries.length === 0) return [`  split      by ${split.header}: no answers`];
  const width = Math.max(...entries.map(([value]) => value.length));
  return [`  split      by ${split.header}:`, ...entries.map(([value, count]) => `    ${value.padEnd(width)}  ${String(count).padStart(7)}  ${percent(count, answered)}`)];
}

/** Largest share first, then by value: the canary's small share reads last. */
function sortedCounts(counts: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0)));
}

function stopNote(stoppedBy: LoadSummary['stoppedBy']): string {
  if (stoppedBy === 'request-cap') return ' (stopped at the request cap)';
  return stoppedBy === 'interrupted' ? ' (interrupted)' : '';
}

function percent(count: number, total: number): string {
  return total === 0 ? '-' : `${((count / total) * 100).toFixed(1)} %`;
}

function ms(value: number): string {
  return `${round(value, 2)} ms`;
}

/** Bytes in B, kB or MB (powers of 1000, as network rates are quoted). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${round(bytes / 1000, 1)} kB`;
  return `${round(bytes / 1_000_000, 1)} MB`;
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
