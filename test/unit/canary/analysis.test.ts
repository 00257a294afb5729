import { describe, expect, it } from 'vitest';
import { classifyValue, decideStep, defaultAnalysisSpec, defaultCanaryMetrics, valueOf, type AnalysisSpec, type Measurement } from '../../../src/canary/analysis.ts';

const ERRORS = { name: 'error-ratio', query: 'errors / requests', thresholdMax: 0.05 };
const P99 = { name: 'p99-latency', query: 'histogram_quantile(0.99, …)', thresholdMax: 0.5 };
const spec = (overrides: Partial<AnalysisSpec> = {}): AnalysisSpec => ({ intervalMs: 1000, count: 3, failureLimit: 0, inconclusiveLimit: 1, metrics: [ERRORS, P99], ...overrides });

/** Measurements of one metric at t = 1000, 2000, … with the given values (null = no series). */
function series(metric: typeof ERRORS, values: readonly (number | null)[]): Measurement[] {
  return values.map((value, i) => ({ metric: metric.name, query: metric.query, thresholdMax: metric.thresholdMax, atMs: (i + 1) * 1000, value, verdict: classifyValue(value, metric.thresholdMax) }));
}

describe('classifyValue', () => {
  it.each([
    [0.01, 'ok'],
    [0.05, 'ok'],
    [0.0501, 'failing'],
    [Infinity, 'failing'],
    [Number.NaN, 'inconclusive'],
    [null, 'inconclusive'],
  ] as const)('calls %d against max 0.05 %s', (value, verdict) => {
    expect(classifyValue(value, 0.05)).toBe(verdict);
  });
});

describe('decideStep', () => {
  it('continues until every metric has count measurements, then passes', () => {
    expect(decideStep([...series(ERRORS, [0.01, 0.02]), ...series(P99, [0.1, 0.2])], spec())).toEqual({ type: 'continue' });
    expect(decideStep([...series(ERRORS, [0.01, 0.02, 0.03]), ...series(P99, [0.1, 0.2])], spec())).toEqual({ type: 'continue' });
    expect(decideStep([...series(ERRORS, [0.01, 0.02, 0.03]), ...series(P99, [0.1, 0.2, 0.3])], spec())).toEqual({ type: 'pass' });
  });

  it('fails at the first value over the maximum, quoting query, value and threshold', () => {
    expect(decideStep([...series(ERRORS, [0.01, 0.31]), ...series(P99, [0.1, 0.2])], spec())).toEqual({
      type: 'fail', metric: 'error-ratio', query: 'errors / requests', value: 0.31, thresholdMax: 0.05,
      reason: 'error-ratio = 0.31 > max 0.05', firstFailingAtMs: 2000,
    });
  });

  it('tolerates failureLimit failures and dates the crossing at the first of them', () => {
    const lenient = spec({ failureLimit: 1 });
    expect(decideStep(series(P99, [0.9]), lenient).type).toBe('continue');
    expect(decideStep(series(P99, [0.9, 0.2, 1.25]), lenient)).toMatchObject({ type: 'fail', metric: 'p99-latency', value: 1.25, reason: 'p99-latency = 1.25 > max 0.5', firstFailingAtMs: 1000 });
  });

  it('tolerates inconclusiveLimit gaps, then counts each further one as a failure', () => {
    expect(decideStep([...series(ERRORS, [null, 0.01, 0.01]), ...series(P99, [Number.NaN, 0.1, 0.1])], spec())).toEqual({ type: 'pass' });
    const decision = decideStep(series(ERRORS, [null, 0.01, Number.NaN]), spec());
    expect(decision).toMatchObject({ type: 'fail', metric: 'error-ratio', value: Number.NaN, firstFailingAtMs: 3000, reason: 'error-ratio had no data (NaN: no requests in the window)' });
  });

  it('says a missing series means no traffic or no scrape, and quotes a query error', () => {
    const none = decideStep(series(ERRORS, [null, null]), spec());
    expect(none).toMatchObject({ type: 'fail', value: null, reason: 'error-ratio had no data (no series matched: no traffic reached the route, or the metric is not scraped)' });
    const broken = series(ERRORS, [null, null]).map((m) => ({ ...m, error: 'Prometheus request failed: HTTP 400: bad_data: parse error' }));
    expect(decideStep(broken, spec())).toMatchObject({ reason: 'error-ratio had no data (Prometheus request failed: HTTP 400: bad_data: parse error)' });
  });

  it('never passes a step on no evidence with the defaults', () => {
    const gaps = [...series(ERRORS, [null, null, null]), ...series(P99, [0.1, 0.1, 0.1])];
    expect(decideStep(gaps, spec()).type).toBe('fail');
  });
});

describe('valueOf', () => {
  const vector = (...values: number[]) => ({ kind: 'vector' as const, samples: values.map((value) => ({ labels: {}, timeMs: 0, value })), warnings: [] });

  it('takes a scalar as it is and the worst sample of a vector', () => {
    expect(valueOf({ kind: 'scalar', point: { timeMs: 0, value: 0.2 }, warnings: [] })).toEqual({ value: 0.2 });
    expect(valueOf(vector(0.01, Number.NaN, 0.3))).toEqual({ value: 0.3 });
  });

  it('gives null for no series, NaN when every sample is NaN, and an error for a matrix', () => {
    expect(valueOf(vector())).toEqual({ value: null });
    expect(valueOf(vector(Number.NaN)).value).toBeNaN();
    expect(valueOf({ kind: 'matrix', series: [], warnings: [] })).toEqual({ value: null, error: 'the query answered a matrix; an instant vector or scalar is needed' });
  });
});

describe('defaultCanaryMetrics', () => {
  it('builds the 5xx ratio and p99 over Fabio metrics for the Consul service', () => {
    expect(defaultCanaryMetrics('api')).toEqual([
      {
        name: 'error-ratio',
        query: '(sum(rate(fabio_http_status_count{service="api",code=~"5.."}[1m])) or vector(0)) / sum(rate(fabio_http_status_count{service="api"}[1m]))',
        thresholdMax: 0.05,
      },
      { name: 'p99-latency', query: 'histogram_quantile(0.99, sum by (le) (rate(fabio_route_bucket{service="api"}[1m])))', thresholdMax: 0.5 },
    ]);
  });

  it('escapes the service name and takes window and limits', () => {
    const [errors, p99] = defaultCanaryMetrics('we"ird\\svc', { window: '30s', maxErrorRatio: 0.01, maxP99Seconds: 0.25 });
    expect(errors?.query).toContain('service="we\\"ird\\\\svc"');
    expect(errors?.query).toContain('[30s]');
    expect([errors?.thresholdMax, p99?.thresholdMax]).toEqual([0.01, 0.25]);
    expect(() => defaultCanaryMetrics('api', { window: '1 minute' })).toThrow('not a PromQL duration');
  });

  it('has a default spec of 4 × 30 s per step, no failure and one gap tolerated', () => {
    expect(defaultAnalysisSpec('api', { count: 2 })).toMatchObject({ intervalMs: 30_000, count: 2, failureLimit: 0, inconclusiveLimit: 1 });
  });
});
