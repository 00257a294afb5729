import { describe, expect, it } from 'vitest';
import { decideStep, windowFor, type AnalysisSpec, type Measurement, type Verdict } from '../../../src/canary/analysis.ts';
import type { Gate } from '../../../src/canary/gates.ts';

const ERRORS: Gate = { kind: 'error-ratio', name: 'error-ratio', service: 'api', maxExcess: 0.05, confidence: 0.9 };
const P99: Gate = { kind: 'latency', name: 'p99-latency', service: 'api', maxP99Seconds: 0.5 };
const spec = (overrides: Partial<AnalysisSpec> = {}): AnalysisSpec => ({ intervalMs: 1000, count: 3, failureLimit: 0, gates: [ERRORS, P99], ...overrides });

/** Measurements of one gate at t = 1000, 2000, … with the given verdicts. */
function series(gate: Gate, verdicts: readonly Verdict[]): Measurement[] {
  return verdicts.map((verdict, i) => ({
    metric: gate.name, scope: 'canary-vs-stable', query: `${gate.name} query`, thresholdMax: 0.05, atMs: (i + 1) * 1000, windowSeconds: i + 1,
    value: verdict === 'inconclusive' ? null : verdict === 'ok' ? 0.01 : 0.3, verdict, detail: `${gate.name} #${i + 1} ${verdict}`,
  }));
}

describe('decideStep', () => {
  it('continues until every gate has count measurements, then passes when each latest is ok', () => {
    expect(decideStep([...series(ERRORS, ['ok', 'ok']), ...series(P99, ['ok', 'ok'])], spec())).toEqual({ type: 'continue' });
    expect(decideStep([...series(ERRORS, ['ok', 'ok', 'ok']), ...series(P99, ['ok', 'ok'])], spec())).toEqual({ type: 'continue' });
    expect(decideStep([...series(ERRORS, ['ok', 'ok', 'ok']), ...series(P99, ['ok', 'ok', 'ok'])], spec())).toEqual({ type: 'pass' });
  });

  it('fails at the first failing measurement, quoting its query, value and what was compared', () => {
    expect(decideStep([...series(ERRORS, ['ok', 'failing']), ...series(P99, ['ok', 'ok'])], spec())).toEqual({
      type: 'fail', metric: 'error-ratio', query: 'error-ratio query', value: 0.3, thresholdMax: 0.05,
      reason: 'error-ratio failing: error-ratio #2 failing', firstFailingAtMs: 2000,
    });
  });

  it('tolerates failureLimit failures and dates the crossing at the first of them', () => {
    const lenient = spec({ failureLimit: 1 });
    expect(decideStep(series(P99, ['failing']), lenient).type).toBe('continue');
    expect(decideStep(series(P99, ['failing', 'ok', 'failing']), lenient)).toMatchObject({ type: 'fail', metric: 'p99-latency', firstFailingAtMs: 1000 });
  });

  it('measures on while the evidence is thin, and passes once it is there', () => {
    const thin = [...series(ERRORS, ['inconclusive', 'inconclusive', 'inconclusive']), ...series(P99, ['ok', 'ok', 'ok'])];
    expect(decideStep(thin, spec())).toEqual({ type: 'continue' });
    const later = [...series(ERRORS, ['inconclusive', 'inconclusive', 'inconclusive', 'ok']), ...series(P99, ['ok', 'ok', 'ok', 'ok'])];
    expect(decideStep(later, spec())).toEqual({ type: 'pass' });
  });

  it('never passes a step on no evidence: after twice count measurements it fails, saying why', () => {
    const none = [...series(ERRORS, Array(6).fill('inconclusive')), ...series(P99, Array(6).fill('ok'))];
    expect(decideStep(none, spec())).toMatchObject({ type: 'fail', metric: 'error-ratio', value: null, reason: 'error-ratio had no evidence after 6 measurements: error-ratio #6 inconclusive', firstFailingAtMs: 6000 });
  });

  it('does not pass on an ok latest measurement of one gate while another is thin', () => {
    const mixed = [...series(ERRORS, ['ok', 'ok', 'ok']), ...series(P99, ['ok', 'ok', 'inconclusive'])];
    expect(decideStep(mixed, spec()).type).toBe('continue');
  });
});

describe('windowFor', () => {
  it('is the whole seconds spent at the step, at least 1, at most the cap', () => {
    expect(windowFor(2_900)).toBe(2);
    expect(windowFor(400)).toBe(1);
    expect(windowFor(120_000)).toBe(120);
    expect(windowFor(120_000, 60_000)).toBe(60);
  });
});
