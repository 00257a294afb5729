import { describe, expect, it } from 'vitest';
import { formatNanoseconds, isDuration, toNanoseconds } from '../../../src/model/duration.ts';

describe('durations', () => {
  it.each([
    ['10s', 10_000_000_000],
    ['1m30s', 90_000_000_000],
    ['250ms', 250_000_000],
    ['1h', 3_600_000_000_000],
    ['1.5s', 1_500_000_000],
    ['0', 0],
    ['168h', 604_800_000_000_000],
  ])('converts %s to %d nanoseconds', (text, nanos) => {
    expect(toNanoseconds(text)).toBe(nanos);
  });

  it.each(['', '10', 's', '10 s', '-5s', '1d', '5m30', 'ten seconds'])('rejects %j', (text) => {
    expect(isDuration(text)).toBe(false);
    expect(toNanoseconds(text)).toBeUndefined();
  });

  it('formats nanoseconds back into the shortest Go duration', () => {
    expect(formatNanoseconds(90_000_000_000)).toBe('1m30s');
    expect(formatNanoseconds(0)).toBe('0s');
    expect(formatNanoseconds(3_600_000_000_000 + 250_000_000)).toBe('1h250ms');
  });

  it('round-trips every formatted value', () => {
    for (const nanos of [1, 999, 1_000_000, 5_000_000_000, 600_000_000_000, 86_400_000_000_000]) {
      expect(toNanoseconds(formatNanoseconds(nanos))).toBe(nanos);
    }
  });
});
