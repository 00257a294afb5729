/**
 * Go's `time.ParseDuration`, which Consul uses for `wait`, session `TTL` and `LockDelay`, including
 * its error messages (they reach clients verbatim, e.g. `Session TTL 'abc' invalid: time: invalid
 * duration "abc"`).
 */
import { goQuote } from './http.ts';

const NANOS_PER_UNIT: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  'µs': 1e3,
  'μs': 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/** Nanoseconds, or Go's error text. */
export type ParsedDuration = { readonly ns: number } | { readonly error: string };

/** Parses `"15s"`, `"1h30m"`, `"1.5s"`, `"-2m"`, `"0"` like Go does. */
export function parseGoDuration(input: string): ParsedDuration {
  const invalid = { error: `time: invalid duration ${goQuote(input)}` };
  let rest = input;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest.startsWith('-') ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === '0') return { ns: 0 };
  if (rest === '') return invalid;
  let total = 0;
  while (rest !== '') {
    const number = /^([0-9]*)(\.[0-9]*)?/.exec(rest);
    const digits = number?.[0] ?? '';
    if (digits === '' || digits === '.') return invalid;
    rest = rest.slice(digits.length);
    const unit = /^[^0-9.]+/.exec(rest)?.[0];
    if (unit === undefined) return { error: `time: missing unit in duration ${goQuote(input)}` };
    const scale = NANOS_PER_UNIT[unit];
    if (scale === undefined) return { error: `time: unknown unit ${goQuote(unit)} in duration ${goQuote(input)}` };
    total += Number(digits) * scale;
    rest = rest.slice(unit.length);
  }
  return { ns: sign * Math.round(total) };
}

/** Nanoseconds to milliseconds for the sandbox clock. */
export function nanosToMillis(ns: number): number {
  return Math.floor(ns / 1e6);
}
