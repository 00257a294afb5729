import { afterEach, describe, expect, it, vi } from 'vitest';
import { describeCountdown, formatRemaining, plainEveryMs, reduceCountdowns, type Countdowns } from '../../../src/report/countdown.ts';
import type { DeployEvent } from '../../../src/report/events.ts';
import { plainReporter } from '../../../src/report/reporters/plain.ts';
import { createStyle } from '../../../src/report/style.ts';

const weightSet = (step: number): DeployEvent => ({ type: 'canary-weight-set', job: 'api', step, of: 3, weight: 0.25, key: 'k', rule: 'r', intervalMs: 10_000, count: 3 });

describe('countdowns', () => {
  it('formats what is left in whole seconds, rounded up', () => {
    expect([0, 1, 999, 12_000, 65_000, 80_000, 3_725_000].map(formatRemaining)).toEqual(['0s', '1s', '1s', '12s', '1m05s', '1m20s', '1h02m']);
  });

  it('follows a canary step from its weight to its end, past its count while evidence is missing', () => {
    let c: Countdowns = new Map();
    c = reduceCountdowns(c, weightSet(2), 0);
    expect(describeCountdown(c.get('canary:api')!, 4_000)).toBe('canary step 2/3 25 % — next measurement in 6s, step ends in 26s');
    for (const at of [10_000, 20_000, 30_000]) c = reduceCountdowns(c, { type: 'canary-measured', job: 'api', step: 2, metric: 'm', scope: 'custom', windowSeconds: 1, value: null, thresholdMax: 1, verdict: 'inconclusive', detail: '' }, at);
    expect(describeCountdown(c.get('canary:api')!, 31_000)).toBe('canary step 2/3 25 % — next measurement in 9s, step ends in 9s');
    c = reduceCountdowns(c, { type: 'canary-step-passed', job: 'api', step: 2, weight: 0.25 }, 40_000);
    expect(c.size).toBe(0);
  });

  it('ends every countdown with the deploy', () => {
    let c: Countdowns = reduceCountdowns(new Map(), { type: 'soak-started', release: 'r', env: 'qa', durationMs: 60_000, jobs: [] }, 0);
    c = reduceCountdowns(c, weightSet(1), 0);
    expect(c.size).toBe(2);
    expect(reduceCountdowns(c, { type: 'deploy-finished', env: 'qa', exitCode: 130, results: [] }, 1).size).toBe(0);
  });

  it('repeats in plain output about ten times per wait, on round marks', () => {
    expect([30_000, 120_000, 600_000, 3_600_000].map(plainEveryMs)).toEqual([5_000, 15_000, 60_000, 600_000]);
  });
});

describe('the plain reporter', () => {
  afterEach(() => vi.useRealTimers());

  it('prints the soak countdown every 15 s of a 2-minute soak, and nothing after it ended', () => {
    vi.useFakeTimers();
    const lines: string[] = [];
    const reporter = plainReporter((t) => lines.push(t), createStyle(false));
    reporter({ type: 'soak-started', release: 'r-1', env: 'qa', durationMs: 120_000, jobs: ['api'] });
    vi.advanceTimersByTime(46_000);
    expect(lines.slice(1)).toEqual(['soak: 1m45s left (release r-1)\n', 'soak: 1m30s left (release r-1)\n', 'soak: 1m15s left (release r-1)\n']);
    reporter({ type: 'soak-finished', release: 'r-1', problems: [] });
    vi.advanceTimersByTime(60_000);
    expect(lines).toHaveLength(5);
    reporter.stop();
  });
});
