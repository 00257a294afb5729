import { describe, expect, it } from 'vitest';
import { judgeErrorRatio, judgeLatency, MIN_LATENCY_SAMPLES, requestsNeeded, wilsonInterval, zForConfidence } from '../../../src/canary/evidence.ts';

/** P(X = k) for X ~ Binomial(n, p), through logs so large n stays exact enough. */
function binomial(n: number, k: number, p: number): number {
  let logChoose = 0;
  for (let i = 1; i <= k; i++) logChoose += Math.log(n - k + i) - Math.log(i);
  if (p === 0) return k === 0 ? 1 : 0;
  return Math.exp(logChoose + k * Math.log(p) + (n - k) * Math.log(1 - p));
}

/** The exact chance that one measurement of `n` canary requests failing at share `p` is judged `ok` (no stable errors). */
function chanceJudgedOk(n: number, p: number): number {
  let total = 0;
  for (let k = 0; k <= n; k++) {
    if (judgeErrorRatio({ requests: n, errors: k }, { requests: 10_000, errors: 0 }, { maxExcess: 0.05, confidence: 0.9 }).verdict === 'ok') total += binomial(n, k, p);
  }
  return total;
}

describe('zForConfidence', () => {
  it.each([
    [0.5, 0],
    [0.8413, 1],
    [0.9, 1.2816],
    [0.95, 1.6449],
    [0.99, 2.3263],
  ])('gives the normal quantile of %d', (level, z) => {
    expect(zForConfidence(level)).toBeCloseTo(z, 3);
  });

  it('refuses levels outside [0.5, 1)', () => {
    expect(() => zForConfidence(1)).toThrow('not in [0.5, 1)');
    expect(() => zForConfidence(0.3)).toThrow('not in [0.5, 1)');
  });
});

describe('wilsonInterval', () => {
  it('brackets the observed share and narrows as requests grow', () => {
    const small = wilsonInterval(1, 10, 1.2816);
    const large = wilsonInterval(100, 1000, 1.2816);
    expect(small.low).toBeLessThan(0.1);
    expect(small.high).toBeGreaterThan(0.1);
    expect(large.high - large.low).toBeLessThan((small.high - small.low) / 5);
  });

  it('is [0, 1] without requests, and z²/(n + z²) high with no errors', () => {
    expect(wilsonInterval(0, 0, 1.28)).toEqual({ low: 0, high: 1 });
    expect(wilsonInterval(0, 31, 1.2816).high).toBeCloseTo(1.2816 ** 2 / (31 + 1.2816 ** 2), 10);
  });
});

describe('requestsNeeded', () => {
  it('is the first error-free count whose upper end reaches the bound', () => {
    const z = zForConfidence(0.9);
    const n = requestsNeeded(0.05, z);
    expect(n).toBe(32);
    expect(wilsonInterval(0, n, z).high).toBeLessThanOrEqual(0.05);
    expect(wilsonInterval(0, n - 1, z).high).toBeGreaterThan(0.05);
  });
});

describe('judgeErrorRatio', () => {
  const bounds = { maxExcess: 0.05, confidence: 0.9 };

  it('passes a clean canary with enough requests', () => {
    const judged = judgeErrorRatio({ requests: 400, errors: 0 }, { requests: 4000, errors: 4 }, bounds);
    expect(judged).toMatchObject({ verdict: 'ok', value: 0 });
    expect(judged.thresholdMax).toBeCloseTo(0.051, 12);
  });

  it('fails a canary clearly worse than the stable instances, saying both', () => {
    const judged = judgeErrorRatio({ requests: 200, errors: 24 }, { requests: 3000, errors: 3 }, bounds);
    expect(judged).toMatchObject({ verdict: 'failing', value: 0.12 });
    expect(judged.detail).toBe('canary 12 % (24 of 200) vs stable 0.1 % (3 of 3000); bound 5.1 %');
  });

  it('calls too few requests inconclusive and says how many an error-free canary needs', () => {
    const judged = judgeErrorRatio({ requests: 12, errors: 0 }, { requests: 300, errors: 0 }, bounds);
    expect(judged.verdict).toBe('inconclusive');
    expect(judged.detail).toContain('too few requests to tell at 90 % confidence');
    expect(judged.detail).toContain('an error-free canary needs 32');
  });

  it('holds the canary to the stable ratio plus the allowance', () => {
    expect(judgeErrorRatio({ requests: 2000, errors: 100 }, { requests: 20_000, errors: 800 }, bounds).verdict).toBe('ok');
    expect(judgeErrorRatio({ requests: 2000, errors: 100 }, undefined, bounds).verdict).toBe('inconclusive');
    expect(judgeErrorRatio({ requests: 2000, errors: 200 }, undefined, bounds).verdict).toBe('failing');
  });

  it('has no evidence without canary requests', () => {
    expect(judgeErrorRatio(undefined, { requests: 10, errors: 0 }, bounds)).toMatchObject({ verdict: 'inconclusive', value: null });
    expect(judgeErrorRatio({ requests: 0, errors: 0 }, undefined, bounds).detail).toBe('no requests reached the canary instances in the window (no stable traffic)');
  });

  it('judges a canary failing 10 % of its requests ok in under 4 % of measurements, whatever its traffic', () => {
    let worst = 0;
    for (let n = 1; n <= 600; n++) worst = Math.max(worst, chanceJudgedOk(n, 0.1));
    expect(worst).toBeLessThan(0.04);
    // With a few hundred requests in the window, it is practically never ok.
    expect(chanceJudgedOk(300, 0.1)).toBeLessThan(1e-4);
    expect(chanceJudgedOk(600, 0.1)).toBeLessThan(1e-7);
  });

  it('judges a healthy canary ok once it has the requests it needs', () => {
    expect(chanceJudgedOk(32, 0)).toBe(1);
    expect(chanceJudgedOk(31, 0)).toBe(0);
    // A canary with a background 0.5 % error rate still passes most measurements of 400 requests.
    expect(chanceJudgedOk(400, 0.005)).toBeGreaterThan(0.95);
  });
});

describe('judgeLatency', () => {
  it('fails a canary over the SLO and half again slower than stable', () => {
    expect(judgeLatency({ canaryP99: 0.9, stableP99: 0.1, canaryRequests: 200, maxP99: 0.5 })).toMatchObject({ verdict: 'failing', thresholdMax: 0.5 });
  });

  it('passes a canary as slow as an already slow stable version', () => {
    expect(judgeLatency({ canaryP99: 0.9, stableP99: 0.8, canaryRequests: 200, maxP99: 0.5 })).toMatchObject({ verdict: 'ok', thresholdMax: 1.2000000000000002 });
  });

  it(`needs ${MIN_LATENCY_SAMPLES} canary requests and a number`, () => {
    expect(judgeLatency({ canaryP99: 2, stableP99: 0.1, canaryRequests: MIN_LATENCY_SAMPLES - 1, maxP99: 0.5 }).verdict).toBe('inconclusive');
    expect(judgeLatency({ canaryP99: Number.NaN, stableP99: 0.1, canaryRequests: 500, maxP99: 0.5 })).toMatchObject({ verdict: 'inconclusive', value: null });
    expect(judgeLatency({ canaryP99: 0.05, stableP99: null, canaryRequests: 50, maxP99: 0.5 }).detail).toBe('canary p99 50 ms over 50 requests vs no stable data; bound 500 ms');
  });
});
