import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/clients/api-error.ts';
import type { PromAnswer } from '../../../src/clients/prometheus/index.ts';
import type { AnalysisSpec } from '../../../src/canary/analysis.ts';
import type { CanaryEvent } from '../../../src/canary/events.ts';
import { runProgressiveCanary, type ProgressiveCanaryOptions } from '../../../src/canary/progressive.ts';

const KEY = 'fabio/config/drover-canary-prod-api';
const spec: AnalysisSpec = { intervalMs: 1, count: 2, failureLimit: 0, inconclusiveLimit: 1, metrics: [{ name: 'error-ratio', query: 'ratio', thresholdMax: 0.05 }] };
const vector = (value: number): PromAnswer => ({ kind: 'vector', samples: [{ labels: {}, timeMs: 0, value }], warnings: [] });

/** In-memory Nomad, Consul KV and Prometheus; `ratio(step)` is what the metric reads during a step. */
function world(ratio: (step: number) => number = () => 0.01, faults: { deleteFails?: boolean; promoteFails?: boolean } = {}) {
  const kv = new Map<string, string>();
  const history: string[] = [];
  const calls: string[] = [];
  const events: CanaryEvent[] = [];
  let clock = 1_000;
  const options: ProgressiveCanaryOptions = {
    env: 'prod', job: 'api', service: 'api', routeSource: '/api', deploymentId: 'd-1', analysis: spec,
    report: (e) => events.push(e),
    signal: new AbortController().signal,
    now: () => (clock += 100),
    consul: {
      kv: {
        set: async (key: string, value: string) => (kv.set(key, value), history.push(value.split('\n')[1]!), true),
        delete: async (key: string) => {
          if (faults.deleteFails) throw new ApiError({ service: 'consul', method: 'DELETE', path: `/v1/kv/${key}`, status: 500, body: 'rpc error' });
          return kv.delete(key);
        },
      } as unknown as ProgressiveCanaryOptions['consul']['kv'],
    },
    prometheus: { query: async () => vector(ratio(history.length)) },
    nomad: {
      deployments: {
        promote: async (id: string) => {
          calls.push(`promote ${id}`);
          if (faults.promoteFails) throw new ApiError({ service: 'nomad', method: 'POST', path: `/v1/deployment/promote/${id}`, status: 500, body: 'Task group "api" has 0/1 healthy allocations' });
          return { RevertedJobVersion: null };
        },
        fail: async (id: string) => (calls.push(`fail ${id}`), { RevertedJobVersion: 4 }),
      } as unknown as ProgressiveCanaryOptions['nomad']['deployments'],
    },
  };
  return { kv, history, calls, events, options };
}

describe('runProgressiveCanary', () => {
  it('steps 5 % → 25 % → 50 %, promotes, then deletes the rule', async () => {
    const w = world();
    const outcome = await runProgressiveCanary(w.options);
    expect(outcome).toEqual({ status: 'promoted', deploymentId: 'd-1', weights: [0.05, 0.25, 0.5], ruleRemoved: true });
    expect(w.history).toEqual(['route weight api /api weight 0.05 tags "canary"', 'route weight api /api weight 0.25 tags "canary"', 'route weight api /api weight 0.5 tags "canary"']);
    expect(w.calls).toEqual(['promote d-1']);
    expect(w.kv.has(KEY)).toBe(false);
    expect(w.events.map((e) => e.type)).toEqual([
      'canary-started',
      ...Array(3).fill(['canary-weight-set', 'canary-measured', 'canary-measured', 'canary-step-passed']).flat(),
      'canary-promoted',
      'canary-rule-removed',
    ]);
  });

  it('fails the deployment at the step whose metric crosses the threshold, quoting it, and deletes the rule after', async () => {
    const w = world((step) => (step >= 2 ? 0.4 : 0.01));
    const outcome = await runProgressiveCanary(w.options);
    expect(outcome).toMatchObject({ status: 'failed', step: 2, weight: 0.25, metric: 'error-ratio', query: 'ratio', value: 0.4, thresholdMax: 0.05, reason: 'error-ratio = 0.4 > max 0.05', revertedToVersion: 4, ruleRemoved: true });
    if (outcome.status !== 'failed') throw new Error('expected failure');
    expect(outcome.timings.crossingToFailRequestMs).toBe(outcome.timings.failRequestedAtMs - outcome.timings.thresholdCrossedAtMs);
    expect(outcome.timings.crossingToFailRequestMs).toBeGreaterThan(0);
    expect(w.calls).toEqual(['fail d-1']);
    expect(w.kv.size).toBe(0);
    const types = w.events.map((e) => e.type);
    expect(types.slice(-3)).toEqual(['canary-analysis-failed', 'canary-deployment-failed', 'canary-rule-removed']);
  });

  it('deletes the rule and rejects with the reason when aborted mid-analysis, leaving the deployment alone', async () => {
    const w = world();
    const controller = new AbortController();
    const slow = { ...spec, intervalMs: 60_000 };
    const running = runProgressiveCanary({ ...w.options, analysis: slow, signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(w.kv.has(KEY)).toBe(true);
    controller.abort(new Error('interrupted'));
    await expect(running).rejects.toThrow('interrupted');
    expect(w.kv.has(KEY)).toBe(false);
    expect(w.calls).toEqual([]);
    expect(w.events.at(-1)).toEqual({ type: 'canary-rule-removed', job: 'api', key: KEY });
  });

  it('deletes the rule when Nomad refuses the promotion, and passes the error on', async () => {
    const w = world(undefined, { promoteFails: true });
    await expect(runProgressiveCanary(w.options)).rejects.toThrow(ApiError);
    expect(w.kv.size).toBe(0);
  });

  it('reports a rule it could not delete with the command to delete it, keeping the outcome', async () => {
    const w = world(undefined, { deleteFails: true });
    const outcome = await runProgressiveCanary(w.options);
    expect(outcome).toMatchObject({ status: 'promoted', ruleRemoved: false });
    expect(w.events.at(-1)).toMatchObject({ type: 'canary-rule-left', key: KEY, hint: `Canary traffic stays weighted until the key is deleted: run \`consul kv delete ${KEY}\`.` });
  });

  it.each([
    [[], 'at least one step'],
    [[0.25, 0.05], 'does not increase'],
    [[0, 0.5], 'not in (0, 1]'],
  ])('refuses steps %j before writing anything', async (steps, message) => {
    const w = world();
    await expect(runProgressiveCanary({ ...w.options, steps })).rejects.toThrow(message);
    expect(w.history).toEqual([]);
  });
});
