import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/clients/api-error.ts';
import type { PromAnswer } from '../../../src/clients/prometheus/index.ts';
import type { AnalysisSpec } from '../../../src/canary/analysis.ts';
import type { CanaryEvent } from '../../../src/canary/events.ts';
import { runProgressiveCanary, type ProgressiveCanaryOptions } from '../../../src/canary/progressive.ts';

const KEY = 'fabio/config/drover-canary-prod-api';
const spec: AnalysisSpec = { intervalMs: 1, count: 2, failureLimit: 0, gates: [{ kind: 'error-ratio', name: 'error-ratio', service: 'api', maxExcess: 0.05, confidence: 0.9 }] };
const CANARY = '10.0.0.9:23002';
const STABLE = '10.0.0.5:23001';
/** The apps' request counters over a window: 500 canary and 5000 stable requests, `ratio` of the canary's answered 503. */
const counters = (ratio: number): PromAnswer => ({
  kind: 'vector',
  samples: [
    { labels: { instance: CANARY, code: '200' }, timeMs: 0, value: 500 * (1 - ratio) },
    { labels: { instance: CANARY, code: '503' }, timeMs: 0, value: 500 * ratio },
    { labels: { instance: STABLE, code: '200' }, timeMs: 0, value: 5000 },
  ],
  warnings: [],
});
const catalogEntry = (alloc: string, address: string) => {
  const [host, port] = address.split(':');
  return { ID: 'n', Node: 'n1', Address: host!, Datacenter: 'dc1', ServiceID: `_nomad-task-${alloc}-group-api-api-http`, ServiceName: 'api', ServiceTags: [], ServiceAddress: '', ServicePort: Number(port), ServiceMeta: {}, CreateIndex: 1, ModifyIndex: 1 };
};

/** In-memory Nomad, Consul KV and catalog, and Prometheus; `ratio(step)` is the canary's error share during a step. */
function world(ratio: (step: number) => number = () => 0, faults: { deleteFails?: boolean; promoteFails?: boolean } = {}) {
  const kv = new Map<string, string>();
  const history: string[] = [];
  const calls: string[] = [];
  const events: CanaryEvent[] = [];
  let clock = 1_000;
  const options: ProgressiveCanaryOptions = {
    env: 'prod', job: 'api', group: 'api', service: 'api', routeSource: '/api', deploymentId: 'd-1', analysis: spec,
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
      catalog: {
        service: async () => ({ value: [catalogEntry('canary-alloc', CANARY), catalogEntry('stable-alloc', STABLE)], index: 1 }),
      } as unknown as ProgressiveCanaryOptions['consul']['catalog'],
    },
    prometheus: { query: async () => counters(ratio(history.length)) },
    nomad: {
      deployments: {
        read: async () => ({ value: { TaskGroups: { api: { PlacedCanaries: ['canary-alloc'] } } }, index: 1 }),
        promote: async (id: string) => {
          calls.push(`promote ${id}`, `rule present: ${kv.size > 0}`);
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
  it('steps 5 % → 25 % → 50 %, deletes the rule, then promotes', async () => {
    const w = world(() => 0);
    const outcome = await runProgressiveCanary(w.options);
    expect(outcome).toEqual({ status: 'promoted', deploymentId: 'd-1', weights: [0.05, 0.25, 0.5], ruleRemoved: true });
    expect(w.history).toEqual(['route weight api /api weight 0.05 tags "canary"', 'route weight api /api weight 0.25 tags "canary"', 'route weight api /api weight 0.5 tags "canary"']);
    // The rule is gone before Nomad takes the canary tag off: Fabio never holds a rule matching no target.
    expect(w.calls).toEqual(['promote d-1', 'rule present: false']);
    expect(w.events.map((e) => e.type)).toEqual([
      'canary-started',
      ...Array(3).fill(['canary-weight-set', 'canary-measured', 'canary-measured', 'canary-step-passed']).flat(),
      'canary-rule-removed',
      'canary-promoted',
    ]);
  });

  it('measures the canary instances Nomad placed, against the stable ones', async () => {
    const w = world(() => 0);
    await runProgressiveCanary(w.options);
    const measured = w.events.find((e) => e.type === 'canary-measured');
    expect(measured).toMatchObject({ scope: 'canary-vs-stable', verdict: 'ok', detail: 'canary 0 % (0 of 500) vs stable 0 % (0 of 5000); bound 5 %' });
  });

  it('fails the deployment at the step where the canary fails, quoting it, and deletes the rule after', async () => {
    const w = world((step) => (step >= 2 ? 0.4 : 0));
    const outcome = await runProgressiveCanary(w.options);
    expect(outcome).toMatchObject({ status: 'failed', step: 2, weight: 0.25, metric: 'error-ratio', value: 0.4, thresholdMax: 0.05, reason: 'error-ratio failing: canary 40 % (200 of 500) vs stable 0 % (0 of 5000); bound 5 %', revertedToVersion: 4, ruleRemoved: true });
    if (outcome.status === 'failed') expect(outcome.query).toMatch(/^sum by \(instance, code\) \(increase\(http_requests_total\{instance=~"10.+0.+0.+9:23002\|10.+0.+0.+5:23001"\}\[\d+s\]\)\)$/);
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
    const w = world(() => 0, { promoteFails: true });
    await expect(runProgressiveCanary(w.options)).rejects.toThrow(ApiError);
    expect(w.kv.size).toBe(0);
    expect(w.events.filter((e) => e.type === 'canary-rule-removed')).toHaveLength(1);
  });

  it('reports a rule it could not delete with the command to delete it, keeping the outcome', async () => {
    const w = world(() => 0, { deleteFails: true });
    const outcome = await runProgressiveCanary(w.options);
    expect(outcome).toMatchObject({ status: 'promoted', ruleRemoved: false });
    expect(w.events.at(-2)).toMatchObject({ type: 'canary-rule-left', key: KEY, hint: `Canary traffic stays weighted until the key is deleted: run \`consul kv delete ${KEY}\`.` });
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
