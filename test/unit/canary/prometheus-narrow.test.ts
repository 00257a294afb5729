// Narrowing of Prometheus answers (src/clients/prometheus/narrow.ts). Lives here rather than in
// test/unit/clients/ only because of who owned which folder when it was written.
import { describe, expect, it } from 'vitest';
import { ShapeError } from '../../../src/clients/http/shape.ts';
import { errorFields, narrowQueryAnswer, parseSampleValue } from '../../../src/clients/prometheus/narrow.ts';

const ok = (data: unknown, extra: Record<string, unknown> = {}) => ({ status: 'success', data, ...extra });

describe('parseSampleValue', () => {
  it.each([
    ['0.25', 0.25],
    ['1e-3', 0.001],
    ['-2', -2],
    ['0', 0],
    ['+Inf', Number.POSITIVE_INFINITY],
    ['-Inf', Number.NEGATIVE_INFINITY],
  ])('reads %s as %d', (text, value) => {
    expect(parseSampleValue(text)).toBe(value);
  });

  it('reads NaN as NaN, which Number("+Inf") would also give by accident', () => {
    expect(parseSampleValue('NaN')).toBeNaN();
    expect(Number('+Inf')).toBeNaN();
  });

  it.each([[''], ['abc'], [0.5], [null]])('refuses %j', (value) => {
    expect(() => parseSampleValue(value)).toThrow(ShapeError);
  });
});

describe('narrowQueryAnswer', () => {
  it('narrows a vector: labels kept, value a number, time in milliseconds', () => {
    const answer = narrowQueryAnswer(ok({ resultType: 'vector', result: [{ metric: { service: 'api', code: '503' }, value: [1767225600.123, '0.0625'] }] }));
    expect(answer).toEqual({ kind: 'vector', samples: [{ labels: { service: 'api', code: '503' }, timeMs: 1767225600123, value: 0.0625 }], warnings: [] });
  });

  it('narrows an empty vector to no samples (no series matched)', () => {
    expect(narrowQueryAnswer(ok({ resultType: 'vector', result: [] }))).toEqual({ kind: 'vector', samples: [], warnings: [] });
  });

  it('narrows scalars holding NaN and +Inf', () => {
    const nan = narrowQueryAnswer(ok({ resultType: 'scalar', result: [1700000000, 'NaN'] }));
    expect(nan.kind === 'scalar' && nan.point.value).toBeNaN();
    expect(narrowQueryAnswer(ok({ resultType: 'scalar', result: [1700000000, '+Inf'] }))).toMatchObject({ kind: 'scalar', point: { timeMs: 1700000000000, value: Infinity } });
  });

  it('narrows a matrix with its points in order', () => {
    const answer = narrowQueryAnswer(ok({ resultType: 'matrix', result: [{ metric: {}, values: [[10, '1'], [11.5, '2'], [13, '-Inf']] }] }));
    expect(answer).toEqual({ kind: 'matrix', series: [{ labels: {}, points: [{ timeMs: 10_000, value: 1 }, { timeMs: 11_500, value: 2 }, { timeMs: 13_000, value: -Infinity }] }], warnings: [] });
  });

  it('narrows a string result and keeps warnings', () => {
    expect(narrowQueryAnswer(ok({ resultType: 'string', result: [5, 'hello'] }, { warnings: ['partial response'] }))).toEqual({ kind: 'string', timeMs: 5000, value: 'hello', warnings: ['partial response'] });
  });

  it.each([
    ['an error envelope', { status: 'error', errorType: 'bad_data', error: 'x' }, 'response.status'],
    ['an unknown result type', ok({ resultType: 'histogram', result: [] }), 'resultType'],
    ['a value that is a number instead of a string', ok({ resultType: 'vector', result: [{ metric: {}, value: [1, 0.5] }] }), 'result[0].value[1]'],
    ['a label value that is not a string', ok({ resultType: 'vector', result: [{ metric: { a: 1 }, value: [1, '1'] }] }), 'metric.a'],
    ['a native histogram sample', ok({ resultType: 'vector', result: [{ metric: {}, histogram: [1, {}] }] }), 'native histogram'],
  ])('refuses %s, naming the field', (_what, body, detail) => {
    expect(() => narrowQueryAnswer(body)).toThrow(detail);
  });
});

describe('errorFields', () => {
  it('reads the error envelope', () => {
    expect(errorFields({ status: 'error', errorType: 'bad_data', error: 'parse error at char 5' })).toEqual({ errorType: 'bad_data', error: 'parse error at char 5' });
  });

  it('is undefined for anything else', () => {
    expect(errorFields({ status: 'success', data: {} })).toBeUndefined();
    expect(errorFields('upstream connect error')).toBeUndefined();
  });
});
