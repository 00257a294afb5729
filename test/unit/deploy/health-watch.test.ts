import { describe, expect, it } from 'vitest';
import { createHealthWatch } from '../../../src/deploy/health-watch.ts';
import type { DeployEvent } from '../../../src/report/events.ts';
import { initialRollout, reduceRollout } from '../../../src/watch/state.ts';
import type { ConsulServiceEntry } from '../../../src/wire/consul.ts';
import type { NomadAllocListStub, NomadJobRead } from '../../../src/wire/nomad-api.ts';
import { aJobRead } from '../plan/builders.ts';
import { aDeployment, aGroupState, anAllocation, aTaskEvent, aTaskState } from '../watch/builders.ts';

const S = 1e9;
const job: NomadJobRead = aJobRead({
  ID: 'api', Version: 3,
  TaskGroups: [{
    Name: 'api', Count: 1, Meta: {}, Tasks: [],
    Update: { Stagger: 0, MaxParallel: 1, HealthCheck: 'checks', MinHealthyTime: 10 * S, HealthyDeadline: 30 * S, ProgressDeadline: 60 * S, AutoRevert: true, AutoPromote: false, Canary: 0 },
    ReschedulePolicy: { Attempts: 0, Interval: 0, Delay: 30 * S, DelayFunction: 'exponential', MaxDelay: 3600 * S, Unlimited: true },
    Services: [{ Name: 'api', Provider: 'consul', Checks: [{ Name: 'api-ready', Type: 'http', Interval: 5 * S, Timeout: 2 * S }] }],
  }],
});

/** A rollout with one running allocation, and Consul answering what `checks` holds. */
function setUp(alloc: Partial<NomadAllocListStub> = {}) {
  let clock = 0;
  let status: 'passing' | 'critical' = 'critical';
  let output = '';
  let reads = 0;
  const events: DeployEvent[] = [];
  const entry = (): ConsulServiceEntry => ({
    Node: { ID: 'n1', Node: 'client-1', Address: '127.0.0.1', Datacenter: 'dc1' },
    Service: { ID: '_nomad-task-alloc-1-group-api-api-http', Service: 'api', Tags: [], Address: '127.0.0.1', Port: 20000, Meta: {} },
    Checks: [{ Node: 'client-1', CheckID: 'c1', Name: 'api-ready', Status: status, Notes: '', Output: output, ServiceID: '_nomad-task-alloc-1-group-api-api-http', ServiceName: 'api' }],
  });
  const watch = createHealthWatch({
    job: 'api',
    nomad: { jobs: { read: async () => ({ value: job, index: 1 }) } },
    consul: { health: { service: async () => (reads++, { value: [entry()], index: 1 }) } },
    report: (e) => events.push(e),
    signal: new AbortController().signal,
    now: () => clock,
  });
  const allocation = anAllocation({ ClientStatus: 'running', TaskStates: { api: aTaskState([aTaskEvent('Received', 'Task received by client')], { State: 'running' }) }, ...alloc });
  const state = [{ kind: 'deployment' as const, deployment: aDeployment({ TaskGroups: { api: aGroupState({ DesiredTotal: 1 }) } }) }, { kind: 'allocation' as const, allocation }]
    .reduce(reduceRollout, initialRollout({ jobId: 'api', jobType: 'service', version: 3, evalId: 'eval-1', sinceIndex: 10 }));
  return {
    events, state, watch,
    at: (ms: number) => (clock = ms),
    consul: (s: typeof status, o = '') => ((status = s), (output = o)),
    reads: () => reads,
  };
}

describe('createHealthWatch', () => {
  it('reports a check only after it failed for its interval + timeout, then once per change', async () => {
    const t = setUp();
    await t.watch.observe(t.state);
    t.at(6000);
    await t.watch.observe(t.state);
    expect(t.events).toEqual([]);
    t.at(7500);
    await t.watch.observe(t.state);
    t.at(9000);
    await t.watch.observe(t.state);
    expect(t.events).toHaveLength(1);
    expect(t.events[0]).toMatchObject({ type: 'health-check-failing', job: 'api', wait: { checks: [{ check: 'api-ready', status: 'critical', output: '' }], deadline: { ends: 'progress_deadline' } } });
    t.consul('critical', 'HTTP GET http://127.0.0.1:20000/ready: 503 Service Unavailable Output: no');
    t.at(11_000);
    await t.watch.observe(t.state);
    expect(t.events).toHaveLength(2);
    expect(t.watch.explain()?.checks[0]?.output).toMatch(/503/);
  });

  it('forgets a check that passed: a healthy start reports nothing', async () => {
    const t = setUp();
    await t.watch.observe(t.state);
    t.consul('passing', 'HTTP GET: 200 OK');
    t.at(8000);
    await t.watch.observe(t.state);
    expect(t.events).toEqual([]);
  });

  it('reports at once for an allocation Nomad already marked unhealthy, and reads Consul at most once a second', async () => {
    const t = setUp({ DeploymentStatus: { Healthy: false, Timestamp: null, Canary: false, ModifyIndex: 14 } });
    await t.watch.observe(t.state);
    await t.watch.observe(t.state);
    expect(t.reads()).toBe(1);
    expect(t.events).toMatchObject([{ wait: { markedUnhealthy: true } }]);
  });
});
