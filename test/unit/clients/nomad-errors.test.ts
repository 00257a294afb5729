import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/clients/api-error.ts';
import { blockingWait, parseGoDurationMs } from '../../../src/clients/http/go-duration.ts';
import { networkApiError, networkCode } from '../../../src/clients/http/network-error.ts';
import { withRetries } from '../../../src/clients/http/retrying.ts';
import type { RetryEvent } from '../../../src/clients/retry.ts';
import { ExitCode } from '../../../src/errors.ts';
import { SENTINELS } from '../../support/sentinels.ts';

const TOKEN = SENTINELS.NOMAD_TOKEN;
const request = { service: 'nomad' as const, method: 'GET', path: '/v1/job/api?namespace=qa' };

/** What an AxiosError looks like: config and request hold the token header. */
function axiosLike(code: string | undefined, message: string): Error {
  return Object.assign(new Error(message), {
    code,
    isAxiosError: true,
    config: { headers: { 'X-Nomad-Token': TOKEN }, url: '/v1/job/api' },
    request: { _header: `GET /v1/job/api HTTP/1.1\r\nX-Nomad-Token: ${TOKEN}\r\n` },
  });
}

function everythingAbout(value: unknown): string {
  const error = value as Error;
  return [String(error.message), JSON.stringify(value), String(error.stack), inspect(value, { depth: 20, showHidden: true })].join('\n');
}

describe('networkApiError', () => {
  it('maps refused, reset, hang-up and timeouts to ApiError codes with exit code 69', () => {
    const cases: [Error, string][] = [
      [axiosLike('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:4646'), 'ECONNREFUSED'],
      [axiosLike('ECONNRESET', 'socket hang up'), 'ECONNRESET'],
      [axiosLike('ETIMEDOUT', 'timeout of 100ms exceeded'), 'ETIMEDOUT'],
      [axiosLike('ECONNABORTED', 'timeout of 100ms exceeded'), 'ETIMEDOUT'],
      [axiosLike('ERR_STREAM_PREMATURE_CLOSE', 'Premature close'), 'ECONNRESET'],
      [axiosLike(undefined, 'aborted'), 'ECONNRESET'],
    ];
    for (const [cause, code] of cases) {
      const error = networkApiError(cause, request, [TOKEN]);
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ service: 'nomad', status: undefined, code, isNetworkError: true, exitCode: ExitCode.unreachable });
      expect(error.hint).toContain('NOMAD_ADDR');
    }
  });

  it('keeps nothing of the axios error that carries the token', () => {
    const cause = axiosLike('ECONNRESET', `socket hang up (X-Nomad-Token: ${TOKEN})`);
    const error = networkApiError(cause, { ...request, path: `/v1/job/api?token=${TOKEN}` }, [TOKEN]);
    expect(everythingAbout(error)).not.toContain(TOKEN);
    expect(error.message).toContain('ECONNRESET');
  });

  it('reports an unknown failure as EUNEXPECTED', () => {
    expect(networkCode('boom')).toBe('EUNEXPECTED');
    expect(networkCode(new Error('weird'))).toBe('EUNEXPECTED');
  });
});

describe('withRetries', () => {
  const transient = () => new ApiError({ ...request, status: 503, body: 'No cluster leader' });

  it('retries an idempotent read with backoff, reporting each retry', async () => {
    const events: RetryEvent[] = [];
    let calls = 0;
    const value = await withRetries({ idempotent: true, method: 'GET' }, { policy: { baseDelayMs: 1 }, onRetry: (e) => events.push(e) }, async () => {
      if (++calls < 3) throw transient();
      return 'ok';
    });
    expect(value).toBe('ok');
    expect(events.map((e) => [e.attempt, e.delayMs, e.error.status])).toEqual([[2, 1, 503], [3, 2, 503]]);
  });

  it('never retries a write, nor a 4xx read', async () => {
    let writes = 0;
    await expect(withRetries({ idempotent: false, method: 'POST' }, { policy: { baseDelayMs: 1 } }, async () => {
      writes++;
      throw transient();
    })).rejects.toBeInstanceOf(ApiError);
    expect(writes).toBe(1);
    let reads = 0;
    await expect(withRetries({ idempotent: true, method: 'GET' }, { policy: { baseDelayMs: 1 } }, async () => {
      reads++;
      throw new ApiError({ ...request, status: 404, body: 'job not found' });
    })).rejects.toMatchObject({ status: 404 });
    expect(reads).toBe(1);
  });

  it('gives up after `retries` extra attempts', async () => {
    let calls = 0;
    await expect(withRetries({ idempotent: true, method: 'GET' }, { policy: { retries: 2, baseDelayMs: 1 } }, async () => {
      calls++;
      throw transient();
    })).rejects.toMatchObject({ status: 503 });
    expect(calls).toBe(3);
  });
});

describe('blocking waits', () => {
  it('parses Go durations like time.ParseDuration', () => {
    expect(parseGoDurationMs('30s')).toBe(30_000);
    expect(parseGoDurationMs('1m30s')).toBe(90_000);
    expect(parseGoDurationMs('250ms')).toBe(250);
    expect(parseGoDurationMs('1.5h')).toBe(5_400_000);
    expect(parseGoDurationMs('30')).toBeUndefined();
    expect(parseGoDurationMs('30 s')).toBeUndefined();
  });

  it("caps the wait at Nomad's real limit (5m, not the documented 10m) and sizes the hold with wait/16 jitter", () => {
    expect(blockingWait('10m', 300_000, 300_000)).toEqual({ wait: '5m', holdMs: 318_750 });
    expect(blockingWait('30s', 300_000, 300_000)).toEqual({ wait: '30s', holdMs: 31_875 });
    expect(blockingWait('1500ms', 300_000, 300_000)).toEqual({ wait: '1500ms', holdMs: 1594 });
    expect(blockingWait(undefined, 300_000, 300_000).wait).toBe('5m');
    expect(blockingWait('nonsense', 300_000, 300_000).wait).toBe('5m');
  });
});
