import type { SmokeCheck } from '../../model/smoke.ts';
import { problem, type Rule } from '../rule.ts';
import { isInteger, show } from './lib/index.ts';
import { smokeAt, smokeChecksOf, smokeField } from './smoke-checks.ts';

const ID = 'smoke/timing';
const LIMITS: readonly [keyof SmokeCheck, number, number, string][] = [
  ['maxLatencyMs', 1, 600_000, 'a positive number of milliseconds, e.g. 500'],
  ['retries', 0, 20, 'an integer from 0 to 20 (default 2)'],
  ['retryDelayMs', 0, 600_000, 'milliseconds between attempts, e.g. 1000'],
];

/** Latency limits and retries are integers in a sane range (retries bound how long QA can hang). */
export const smokeTimingRule: Rule = {
  id: ID,
  description: 'Smoke check maxLatencyMs, retries and retryDelayMs are integers in range.',
  check({ jobs }) {
    return smokeChecksOf(jobs).flatMap((visit) =>
      LIMITS.flatMap(([key, min, max, expected]) => {
        const value = smokeField(visit, key);
        if (value === undefined || (isInteger(value) && value >= min && value <= max)) return [];
        return [problem(ID, smokeAt(visit, key), `Smoke check ${key} ${show(value)} is out of range`, `Use ${expected}.`)];
      }),
    );
  },
};
