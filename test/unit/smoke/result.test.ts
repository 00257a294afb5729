import { describe, expect, it } from 'vitest';
import type { SmokeCheck } from '../../../src/model/smoke.ts';
import { describeSmokeFailure, judgeAnswer, toSmokeResult } from '../../../src/smoke/result.ts';

const check: SmokeCheck = { name: 'home page', via: 'fabio', path: '/', bodyPattern: '<title>Shop</title>', maxLatencyMs: 500 };
const request = { method: 'GET', url: 'http://fabio:9999/', host: 'www.qa.example.internal' };

describe('smoke answers', () => {
  it('passes a 200 whose body matches, in time', () => {
    expect(judgeAnswer(check, { status: 200, body: '<html><title>Shop</title>', latencyMs: 120 })).toEqual([]);
  });

  it('lists every problem: status, body pattern and latency', () => {
    expect(judgeAnswer(check, { status: 503, body: 'no healthy upstream', latencyMs: 812.4 })).toEqual([
      'status 503, expected 200',
      'body does not match /<title>Shop</title>/',
      'answered in 812 ms, more than the 500 ms allowed',
    ]);
  });

  it('expects the status the check names', () => {
    expect(judgeAnswer({ name: 'gone', via: 'consul', path: '/old', expectStatus: 410 }, { status: 410, body: '', latencyMs: 1 })).toEqual([]);
  });

  it('keeps the request and the first 500 characters of the body in a failed result', () => {
    const body = `<html>${'x'.repeat(1000)}`;
    const result = toSmokeResult('www', check, { attempts: 3, request, answer: { status: 500, body, latencyMs: 33.6 } });
    expect(result).toEqual({
      job: 'www',
      check: 'home page',
      via: 'fabio',
      ok: false,
      attempts: 3,
      request,
      response: { status: 500, body: body.slice(0, 500), latencyMs: 34 },
      problems: ['status 500, expected 200', 'body does not match /<title>Shop</title>/'],
    });
    expect(result.response!.body).toHaveLength(500);
  });

  it('shapes a request without an answer as a failure without a response', () => {
    const result = toSmokeResult('www', check, { attempts: 1, request, error: 'no answer: ECONNREFUSED connect ECONNREFUSED 127.0.0.1:9999' });
    expect(result).toMatchObject({ ok: false, request, problems: ['no answer: ECONNREFUSED connect ECONNREFUSED 127.0.0.1:9999'] });
    expect(result.response).toBeUndefined();
  });

  it('describes a failure with request, response and body', () => {
    const result = toSmokeResult('www', check, { attempts: 1, request, answer: { status: 502, body: 'bad gateway', latencyMs: 4 } });
    expect(describeSmokeFailure(result)).toBe(
      [
        'www / home page (via fabio, 1 attempt): status 502, expected 200; body does not match /<title>Shop</title>/',
        'request   GET http://fabio:9999/ (Host: www.qa.example.internal)',
        'response  502 in 4 ms',
        'body      "bad gateway"',
      ].join('\n'),
    );
  });
});
