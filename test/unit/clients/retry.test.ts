import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/clients/api-error.ts';
import { nextBlockingIndex } from '../../../src/clients/consul/index.ts';
import { backoffDelay, isRetryable, sleep } from '../../../src/clients/retry.ts';

const failure = (status: number | undefined, code?: string) =>
  new ApiError({ service: 'consul', method: 'GET', path: '/v1/kv/x', status, ...(code ? { code } : {}) });

describe('backoffDelay', () => {
  it('doubles from the base delay and stops at the cap', () => {
    const policy = { baseDelayMs: 100, maxDelayMs: 500 };
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, policy))).toEqual([100, 200, 400, 500, 500]);
  });
});

describe('isRetryable', () => {
  it('retries network failures and transient statuses only', () => {
    expect(isRetryable(failure(undefined, 'ECONNRESET'))).toBe(true);
    expect([429, 500, 502, 503, 504].every((s) => isRetryable(failure(s)))).toBe(true);
    expect([400, 403, 404, 409].some((s) => isRetryable(failure(s)))).toBe(false);
    expect(isRetryable(failure(undefined, 'EINVALID'))).toBe(false);
  });
});

describe('sleep', () => {
  it('rejects with the signal reason when aborted', async () => {
    const controller = new AbortController();
    const pending = sleep(10_000, controller.signal);
    controller.abort(new Error('cancelled'));
    await expect(pending).rejects.toThrow('cancelled');
  });
});

describe('nextBlockingIndex', () => {
  it('follows Consul: reset when the index goes backwards, never block on 0', () => {
    expect(nextBlockingIndex(10, 12)).toBe(12);
    expect(nextBlockingIndex(10, 10)).toBe(10);
    expect(nextBlockingIndex(10, 4)).toBe(0);
    expect(nextBlockingIndex(0, 0)).toBe(1);
  });
});
