import { describe, expect, it } from 'vitest';
import type { PromAnswer, PromLabels } from '../../../src/clients/prometheus/types.ts';
import { anyOf, fillTemplate, gateQueries, gateQueryTemplates, readGate, type Gate, type MeasureContext } from '../../../src/canary/gates.ts';

const context: MeasureContext = { service: 'api', targets: { canary: ['10.0.0.9:23002'], stable: ['10.0.0.5:23001', '10.0.0.6:23003'] }, windowSeconds: 12 };
const ERRORS: Gate = { kind: 'error-ratio', name: 'error-ratio', service: 'api', maxExcess: 0.05, confidence: 0.9 };
const P99: Gate = { kind: 'latency', name: 'p99-latency', service: 'api', maxP99Seconds: 0.5 };

const vector = (...samples: [PromLabels, number][]): PromAnswer => ({ kind: 'vector', samples: samples.map(([labels, value]) => ({ labels, timeMs: 0, value })), warnings: [] });

describe('gateQueries', () => {
  it('asks the apps\' request counters per instance and code over the time at the step', () => {
    expect(gateQueries(ERRORS, context)).toEqual([String.raw`sum by (instance, code) (increase(http_requests_total{instance=~"10\\.0\\.0\\.9:23002|10\\.0\\.0\\.5:23001|10\\.0\\.0\\.6:23003"}[12s]))`]);
  });

  it('asks Fabio\'s per-target histogram for the canary and the stable targets, and the canary\'s request count', () => {
    const [canary, stable, count] = gateQueries(P99, context);
    expect(canary).toBe('histogram_quantile(0.99, sum by (le) (rate(fabio_route_bucket{service="api",target=~"http://10\\\\.0\\\\.0\\\\.9:23002/"}[12s])))');
    expect(stable).toContain('target=~"http://10\\\\.0\\\\.0\\\\.5:23001/|http://10\\\\.0\\\\.0\\\\.6:23003/"');
    expect(count).toBe('sum(increase(fabio_route_count{service="api",target=~"http://10\\\\.0\\\\.0\\\\.9:23002/"}[12s]))');
  });

  it('fills a custom query\'s placeholders', () => {
    const custom: Gate = { kind: 'custom', name: 'orders', query: 'sum(rate(orders_failed{instance=~"$canary_instances",svc="$service"}[$window]))', thresholdMax: 2 };
    expect(gateQueries(custom, context)).toEqual(['sum(rate(orders_failed{instance=~"10\\.0\\.0\\.9:23002",svc="api"}[12s]))']);
  });
});

describe('gateQueryTemplates', () => {
  it('keeps the instance and target regexes as placeholders, for plan output', () => {
    expect(gateQueryTemplates(ERRORS, 'api', 60)).toEqual(['sum by (instance, code) (increase(http_requests_total{instance=~"$canary_instances|$stable_instances"}[60s]))']);
    expect(gateQueryTemplates(P99, 'api', 30)[2]).toBe('sum(increase(fabio_route_count{service="api",target=~"$canary_targets"}[30s]))');
  });
});

describe('readGate', () => {
  it('splits the counts into canary and stable by instance, 5xx codes as errors', async () => {
    const answer = vector(
      [{ instance: '10.0.0.9:23002', code: '200' }, 80],
      [{ instance: '10.0.0.9:23002', code: '503' }, 20],
      [{ instance: '10.0.0.5:23001', code: '200' }, 500],
      [{ instance: '10.0.0.6:23003', code: '404' }, 10],
      [{ instance: '10.0.0.6:23003', code: '200' }, 490],
    );
    const reading = await readGate(ERRORS, context, async () => answer);
    expect(reading).toMatchObject({ verdict: 'failing', value: 0.2, thresholdMax: 0.05, scope: 'canary-vs-stable' });
    expect(reading.detail).toBe('canary 20 % (20 of 100) vs stable 0 % (0 of 1000); bound 5 %');
  });

  it('says so when the canary instances have no app metrics, instead of falling back to service-wide Fabio codes', async () => {
    const reading = await readGate(ERRORS, context, async () => vector([{ instance: '10.0.0.5:23001', code: '200' }, 500]));
    expect(reading.verdict).toBe('inconclusive');
    expect(reading.detail).toContain('No http_requests_total series for the canary instances (10.0.0.9:23002)');
    expect(reading.detail).toContain('not used as evidence');
  });

  it('judges latency from the three answers in order', async () => {
    const answers = [vector([{}, 0.9]), vector([{}, 0.05]), vector([{}, 140])];
    let i = 0;
    const reading = await readGate(P99, context, async () => answers[i++]!);
    expect(reading).toMatchObject({ verdict: 'failing', value: 0.9, thresholdMax: 0.5 });
    expect(reading.queries).toHaveLength(3);
  });

  it('takes the worst sample of a custom query and calls NaN or no series inconclusive', async () => {
    const custom: Gate = { kind: 'custom', name: 'orders', query: 'q', thresholdMax: 2 };
    expect(await readGate(custom, context, async () => vector([{}, 1], [{}, 3]))).toMatchObject({ verdict: 'failing', value: 3 });
    expect(await readGate(custom, context, async () => vector([{}, Number.NaN]))).toMatchObject({ verdict: 'inconclusive' });
    expect(await readGate(custom, context, async () => vector())).toMatchObject({ verdict: 'inconclusive', value: null, detail: 'no series matched; max 2' });
  });

  it('lets a failed query reject, for the caller to judge', async () => {
    await expect(readGate(ERRORS, context, async () => Promise.reject(new Error('down')))).rejects.toThrow('down');
  });
});

describe('anyOf and fillTemplate', () => {
  it('escapes regex characters, sorts, dedupes, and matches nothing when empty', () => {
    expect(anyOf(['b.1:80', 'a+1:80', 'b.1:80'])).toBe('a\\+1:80|b\\.1:80');
    expect(new RegExp(`^(?:${anyOf([])})$`).test('')).toBe(false);
  });

  it('replaces the longest placeholder names first', () => {
    expect(fillTemplate('$canary_targets $canary', { canary: 'C', canary_targets: 'T' })).toBe('T C');
  });
});
