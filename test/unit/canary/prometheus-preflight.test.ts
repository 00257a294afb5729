import { describe, expect, it } from 'vitest';
import { assertPrometheusAnswers, placesCanaries, type CanaryPrometheus } from '../../../src/canary/prometheus-preflight.ts';
import type { PromAnswer } from '../../../src/clients/prometheus/index.ts';

const target: CanaryPrometheus = { env: 'prod', address: 'http://prometheus.prod:9090', addressFrom: 'environments/prod.ts', jobs: ['api', 'www'] };

/** A Prometheus stand-in answering `answer` (or throwing it), recording the queries. */
function prometheus(answer: PromAnswer | Error) {
  const asked: string[] = [];
  return {
    asked,
    query: async (promql: string) => {
      asked.push(promql);
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
}

describe('assertPrometheusAnswers', () => {
  it('passes when Prometheus answers the probe with its one sample', async () => {
    const server = prometheus({ kind: 'vector', samples: [{ labels: {}, timeMs: 0, value: 1 }], warnings: [] });
    await expect(assertPrometheusAnswers(server, target)).resolves.toBeUndefined();
    expect(server.asked).toEqual(['vector(1)']);
  });

  it('refuses with exit 4, naming the address, where it came from, the jobs and the ways out', async () => {
    const refusal = assertPrometheusAnswers(prometheus(new Error('connect ECONNREFUSED 127.0.0.1:9090')), target);
    await expect(refusal).rejects.toMatchObject({
      exitCode: 4,
      message: expect.stringContaining('the progressive canaries of api, www are judged by Prometheus, and none answers at http://prometheus.prod:9090 (from environments/prod.ts); nothing was registered'),
      context: { prometheus: 'http://prometheus.prod:9090', cause: 'connect ECONNREFUSED 127.0.0.1:9090' },
      hint: expect.stringMatching(/install Prometheus[\s\S]*DROVER_PROMETHEUS_ADDR[\s\S]*environments\/prod\.ts[\s\S]*--stop-at-canary/),
    });
  });

  it('refuses an answer that is not the probe\'s sample (not a Prometheus)', async () => {
    await expect(assertPrometheusAnswers(prometheus({ kind: 'vector', samples: [], warnings: [] }), target)).rejects.toMatchObject({ exitCode: 4 });
  });
});

describe('placesCanaries', () => {
  const running = (hash: string, stop = false) => ({ Stop: stop, Meta: { 'drover.spec_hash': hash } });
  const rendered = { Meta: { 'drover.spec_hash': 'new' } };

  it('is true only for an update of a running job', () => {
    expect(placesCanaries(running('old'), rendered)).toBe(true);
  });

  it('is false for a new job, a stopped one (placed in full) and an unchanged one (not registered)', () => {
    expect(placesCanaries(null, rendered)).toBe(false);
    expect(placesCanaries(running('old', true), rendered)).toBe(false);
    expect(placesCanaries(running('new'), rendered)).toBe(false);
  });
});
