/**
 * The Prometheus client against a real `prometheus` (Debian's package, `bash
 * scripts/install-prometheus.sh`) scraping Fabio-like metrics every second. Skipped loudly when
 * the binary is missing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/clients/api-error.ts';
import { createPrometheusClient, type PrometheusClient } from '../../src/clients/prometheus/index.ts';
import type { RetryEvent } from '../../src/clients/retry.ts';
import { binaryAvailability, startFabioMetrics, startPrometheus, warnSkipped, type FabioMetrics, type PrometheusServer } from '../support/prometheus-server.ts';

const availability = binaryAvailability('prometheus');
warnSkipped('test/integration/prometheus-client.test.ts', availability);

describe.skipIf(!availability.available)('prometheus client against a real prometheus', () => {
  let fabio: FabioMetrics;
  let server: PrometheusServer;
  let prometheus: PrometheusClient;
  const retries: RetryEvent[] = [];

  beforeAll(async () => {
    fabio = await startFabioMetrics();
    fabio.setTraffic('api', { rps: 200, errorRatio: 0.1, latencySeconds: 0.03, path: '/api' });
    server = await startPrometheus([fabio.hostPort]);
    prometheus = createPrometheusClient({ address: server.address, retry: { baseDelayMs: 10 }, onRetry: (e) => retries.push(e) });
    await server.waitFor('sum(rate(fabio_http_status_count{service="api"}[1m]))', (v) => v > 0);
  }, 30_000);

  afterAll(async () => {
    prometheus?.close();
    await server?.stop();
    await fabio?.close();
  });

  it('answers an instant vector of scraped Fabio metrics, values as numbers', async () => {
    const answer = await prometheus.query('sum by (code) (fabio_http_status_count{service="api"})');
    expect(answer.kind).toBe('vector');
    if (answer.kind !== 'vector') return;
    const codes = Object.fromEntries(answer.samples.map((s) => [s.labels['code'], s.value]));
    expect(codes['200']).toBeGreaterThan(0);
    expect(codes['503']).toBeGreaterThan(0);
    expect(Math.abs(answer.samples[0]!.timeMs - Date.now())).toBeLessThan(5_000);
  });

  it('computes the default error ratio close to the traffic generator', async () => {
    const answer = await prometheus.query('(sum(rate(fabio_http_status_count{service="api",code=~"5.."}[1m])) or vector(0)) / sum(rate(fabio_http_status_count{service="api"}[1m]))');
    expect(answer.kind === 'vector' && answer.samples[0]!.value).toBeCloseTo(0.1, 1);
  });

  it('reads NaN, +Inf and -Inf from their string forms', async () => {
    const nan = await prometheus.query('0/0');
    expect(nan.kind === 'scalar' && nan.point.value).toBeNaN();
    expect(await prometheus.query('1/0')).toMatchObject({ kind: 'scalar', point: { value: Infinity } });
    expect(await prometheus.query('-1/0')).toMatchObject({ kind: 'scalar', point: { value: -Infinity } });
    const vectorNan = await prometheus.query('vector(0) / vector(0)');
    expect(vectorNan.kind === 'vector' && vectorNan.samples[0]!.value).toBeNaN();
  });

  it('answers an empty vector when no series matches', async () => {
    expect(await prometheus.query('fabio_route_count{service="no-such-service"}')).toEqual({ kind: 'vector', samples: [], warnings: [] });
  });

  it('evaluates at the given time', async () => {
    const at = Date.now() - 60_000;
    const answer = await prometheus.query('time()', { time: at });
    expect(answer).toMatchObject({ kind: 'scalar', point: { timeMs: at } });
    expect(answer.kind === 'scalar' && answer.point.value).toBeCloseTo(at / 1000, 3);
  });

  it('answers a range query as a matrix with one point per step', async () => {
    const end = Math.floor(Date.now() / 1000) * 1000;
    const answer = await prometheus.queryRange('vector(1)', { start: end - 4000, end, stepMs: 1000 });
    expect(answer.series).toHaveLength(1);
    expect(answer.series[0]!.points.map((p) => p.timeMs - end)).toEqual([-4000, -3000, -2000, -1000, 0]);
    expect(answer.series[0]!.points.every((p) => p.value === 1)).toBe(true);
  });

  it('maps a bad query onto ApiError 400 bad_data without retrying it', async () => {
    retries.length = 0;
    const error = await prometheus.query('sum(rate(').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ service: 'prometheus', method: 'GET', status: 400 });
    expect((error as ApiError).body).toMatch(/^bad_data: /);
    expect((error as ApiError).path).toContain('/api/v1/query?query=sum%28rate%28');
    expect((error as ApiError).hint).toContain('PromQL');
    expect(retries).toEqual([]);
  });

  it('maps a range too fine for Prometheus onto ApiError 400', async () => {
    const end = Date.now();
    await expect(prometheus.queryRange('vector(1)', { start: end - 3_600_000, end, stepMs: 1 })).rejects.toMatchObject({ status: 400, body: expect.stringContaining('exceeded maximum resolution') });
  });
});
