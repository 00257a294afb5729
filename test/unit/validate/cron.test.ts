import { describe, expect, it } from 'vitest';
import { cronError, isCron } from '../../../src/validate/cron.ts';

describe('cronError', () => {
  it.each([
    '* * * * *',
    '15 2 * * *',
    '*/15 * * * * *', // 6 fields: the last one is the year (Nomad's own docs example)
    '0 30 4 * * MON-FRI 2030', // 7 fields: seconds first, year last
    '0 0 1,15 * *',
    '0 9-17/2 * * 1-5',
    '0 0 L * ?',
    '0 0 LW * *',
    '0 0 15W * *',
    '0 0 * * 5L',
    '0 0 * * fri#3',
    '0 0 * JAN-MAR,dec sun',
    '0 0 * * fri-sun',
    '0 0 * * 7',
    '5/10 * * * *',
    '0 0 * * * 2025-2030/2',
    '@yearly',
    '@annually',
    '@monthly',
    '@weekly',
    '@daily',
    '@hourly',
    '  15 2 * * *  ',
  ])('accepts %j', (expression) => {
    expect(cronError(expression)).toBeUndefined();
    expect(isCron(expression)).toBe(true);
  });

  it.each([
    ['', 'has 0 fields'],
    ['* * * *', 'has 4 fields'],
    ['* * * * * * * *', 'has 8 fields'],
    ['60 * * * *', 'minute field "60"'],
    ['* 24 * * *', 'hour field "24"'],
    ['* * 0 * *', 'day-of-month field "0"'],
    ['* * 32 * *', 'day-of-month field "32"'],
    ['* * * 13 *', 'month field "13"'],
    ['* * * foo *', 'month field "foo"'],
    ['* * * * 8', 'day-of-week field "8"'],
    ['* * * * mon-foo', 'day-of-week field "mon-foo"'],
    ['*/0 * * * *', 'step "/0"'],
    ['*/60 * * * *', 'step "/60"'],
    ['* */24 * * *', 'step "/24"'],
    ['* * * * */7', 'step "/7"'],
    ['50-10 * * * *', 'runs backwards'],
    ['1,,2 * * * *', 'empty list item'],
    ['* * * * * 1969', 'year field "1969"'],
    ['* * * * L', 'day-of-week field "L"'],
    ['* * 5L * *', 'day-of-month field "5L"'],
    ['* * * * 5#6', 'day-of-week field "5#6"'],
    ['?/5 * * * *', 'minute field "?/5"'],
    ['1/2/3 * * * *', 'more than one "/"'],
    ['@midnight', 'unknown macro @midnight'],
    ['@Daily', 'unknown macro @Daily'],
  ])('rejects %j (%s)', (expression, reason) => {
    expect(cronError(expression)).toContain(reason);
  });

  it('rejects non-strings', () => {
    expect(cronError(5)).toBe('is not a string');
    expect(cronError(undefined)).toBe('is not a string');
  });
});
