import { describe, expect, it } from 'vitest';
import type { LoadtestSettings } from '../../../src/loadtest/settings.ts';
import { formatBytes, formatLoadSummary, type LoadMeasurement, summarizeLoad } from '../../../src/loadtest/summary.ts';

const SETTINGS: LoadtestSettings = { url: 'http://127.0.0.1:9999/api/products', route: '/api/products', rps: 1000, durationSeconds: 60, connections: 50, maxRequests: 1_000_000, remote: false };

const MEASURED: LoadMeasurement = {
  durationSeconds: 60.02,
  latencyMs: { p50: 2, p90: 4, p99: 11, max: 38, mean: 2.437 },
  statusCodes: { 503: 12, 200: 59_900, 404: 3, 302: 5 },
  errors: 7,
  timeouts: 2,
  bytes: 72_024_000,
  stoppedBy: 'duration',
};

describe('summarizeLoad', () => {
  it('counts status classes and codes, answered and failed requests, the achieved rate and throughput', () => {
    const summary = summarizeLoad(SETTINGS, MEASURED);
    expect(summary).toEqual({
      target: 'http://127.0.0.1:9999/api/products',
      host: null,
      requested: { rps: 1000, durationSeconds: 60, connections: 50, maxRequests: 1_000_000 },
      durationSeconds: 60.02,
      requests: 59_927,
      answered: 59_920,
      rps: 998.3,
      throughputBytesPerSecond: 1_200_000,
      statusClasses: { '1xx': 0, '2xx': 59_900, '3xx': 5, '4xx': 3, '5xx': 12 },
      statusCodes: { 200: 59_900, 302: 5, 404: 3, 503: 12 },
      errors: 7,
      timeouts: 2,
      latencyMs: { p50: 2, p90: 4, p99: 11, max: 38, mean: 2.437 },
      split: null,
      stoppedBy: 'duration',
    });
  });

  it('orders the split largest share first', () => {
    const summary = summarizeLoad({ ...SETTINGS, splitHeader: 'x-version' }, { ...MEASURED, split: { canary: 50, stable: 950, '(none)': 0 } });
    expect(Object.entries(summary.split?.counts ?? {})).toEqual([['stable', 950], ['canary', 50], ['(none)', 0]]);
    expect(summary.split?.header).toBe('x-version');
  });

  it('reports an unthrottled rate as null and survives a zero-length run', () => {
    const summary = summarizeLoad({ ...SETTINGS, rps: undefined }, { ...MEASURED, durationSeconds: 0, statusCodes: {}, errors: 0, bytes: 0 });
    expect([summary.requested.rps, summary.rps, summary.requests, summary.throughputBytesPerSecond]).toEqual([null, 0, 0, 0]);
  });
});

describe('formatLoadSummary', () => {
  it('prints the target, the requested and achieved rate, percentiles, status counts and codes', () => {
    expect(formatLoadSummary(summarizeLoad({ ...SETTINGS, host: 'www.example.com' }, MEASURED))).toBe(
      [
        'GET http://127.0.0.1:9999/api/products  (Host: www.example.com)',
        '  requested  1000 req/s for 60s over 50 connections (cap 1000000 requests)',
        '  achieved   998.3 req/s for 60.02s, 59927 requests, 1.2 MB/s',
        '  latency    p50 2 ms  p90 4 ms  p99 11 ms  max 38 ms  (mean 2.44 ms)',
        '  status     2xx 59900  3xx 5  4xx 3  5xx 12  errors 7  timeouts 2',
        '  codes      200 59900  302 5  404 3  503 12',
        '',
      ].join('\n'),
    );
  });

  it('shows each split value with its count and share, and why a run stopped early', () => {
    const text = formatLoadSummary(
      summarizeLoad({ ...SETTINGS, rps: undefined, splitHeader: 'x-drover-sandbox-instance' }, { ...MEASURED, statusCodes: { 200: 1000 }, errors: 0, split: { 'api-canary-1': 52, 'api-stable-1': 948 }, stoppedBy: 'request-cap' }),
    );
    expect(text).toContain('  requested  as fast as possible for 60s');
    expect(text).toContain('1000 requests, 1.2 MB/s (stopped at the request cap)');
    expect(text).toContain(['  split      by x-drover-sandbox-instance:', '    api-stable-1      948  94.8 %', '    api-canary-1       52  5.2 %'].join('\n'));
  });

  it('marks an interrupted run', () => {
    expect(formatLoadSummary(summarizeLoad(SETTINGS, { ...MEASURED, stoppedBy: 'interrupted' }))).toContain('(interrupted)');
  });
});

describe('formatBytes', () => {
  it('uses B, kB and MB in powers of 1000', () => {
    expect([0, 999, 1000, 15_360, 999_999, 1_000_000, 123_456_789].map(formatBytes)).toEqual(['0 B', '999 B', '1 kB', '15.4 kB', '1000 kB', '1 MB', '123.5 MB']);
  });
});
