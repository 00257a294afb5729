import { describe, expect, it } from 'vitest';
import { assertPrometheusAnswers, type CanaryPrometheus } from '../../../src/canary/prometheus-preflight.ts';
import { ApiError } from '../../../src/clients/api-error.ts';
import type { PrometheusClient } from '../../../src/clients/prometheus/index.ts';
import { ExitCode } from '../../../src/errors.ts';

const target: CanaryPrometheus = { env: 'prod', address: 'http://prom:9090', addressFrom: 'DROVER_PROMETHEUS_ADDR', jobs: ['api'] };
const failing = (error: unknown): Pick<PrometheusClient, 'query'> => ({ query: () => Promise.reject(error) });

describe('the Prometheus preflight of progressive canaries', () => {
  it('refuses with 4 when nothing answers, naming address and origin', async () => {
    const refused = new ApiError({ service: 'prometheus', method: 'GET', path: '/api/v1/query', status: undefined, code: 'ECONNREFUSED' });
    await expect(assertPrometheusAnswers(failing(refused), target)).rejects.toMatchObject({ exitCode: ExitCode.refused, message: expect.stringContaining('none answers at http://prom:9090 (from DROVER_PROMETHEUS_ADDR)') });
  });

  it('passes a refused token on as 77 (not allowed), not as "none answers"', async () => {
    const denied = new ApiError({ service: 'prometheus', method: 'GET', path: '/api/v1/query', status: 401 });
    await expect(assertPrometheusAnswers(failing(denied), target)).rejects.toBe(denied);
    expect(denied.exitCode).toBe(ExitCode.noPermission);
  });
});
