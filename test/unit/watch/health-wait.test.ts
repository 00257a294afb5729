import { describe, expect, it } from 'vitest';
import { allocationChecks, describeHealthWait, healthPolicies, type GroupHealthPolicy } from '../../../src/watch/health-wait.ts';
import { duration, summarizeHealthWait } from '../../../src/watch/health-wait-text.ts';
import type { ConsulServiceEntry } from '../../../src/wire/consul.ts';
import type { NomadTaskGroupRead } from '../../../src/wire/nomad-api.ts';
import { aJobRead } from '../plan/builders.ts';
import { aDeployment, aGroupState, anAllocation, aTaskEvent, aTaskState } from './builders.ts';

const S = 1e9;
const ALLOC = '5f1c2d3e-0000-4000-8000-000000000001';

/** A group as `GET /v1/job/:id` returns it after the server filled the defaults (service job). */
function aGroup(overrides: Partial<NomadTaskGroupRead> = {}): NomadTaskGroupRead {
  return {
    Name: 'api', Count: 1, Meta: {},
    Update: { Stagger: 30 * S, MaxParallel: 1, HealthCheck: 'checks', MinHealthyTime: 10 * S, HealthyDeadline: 30 * S, ProgressDeadline: 60 * S, AutoRevert: true, AutoPromote: false, Canary: 0 },
    ReschedulePolicy: { Attempts: 0, Interval: 0, Delay: 30 * S, DelayFunction: 'exponential', MaxDelay: 3600 * S, Unlimited: true },
    Services: [{ Name: 'api', Provider: 'consul', Checks: [{ Name: 'api-ready', Type: 'http', Interval: 5 * S, Timeout: 2 * S }, { Name: '', Type: 'tcp', Interval: 10 * S, Timeout: 2 * S }] }],
    Tasks: [{ Name: 'api', Driver: 'raw_exec', Config: {}, Meta: {}, Services: [{ Name: 'api-admin', Provider: 'nomad', Checks: [{ Name: 'admin', Type: 'http', Interval: 5 * S, Timeout: 1 * S }] }] }],
    ...overrides,
  };
}

/** `GET /v1/health/service/api` of a real Consul 1.8.7 agent (trimmed to the fields drover reads). */
function entries(output: string): ConsulServiceEntry[] {
  const service = (alloc: string) => ({ ID: `_nomad-task-${alloc}-group-api-api-http`, Service: 'api', Tags: [], Address: '127.0.0.1', Port: 21077, Meta: { 'external-source': 'nomad' } });
  const node = { ID: 'n1', Node: 'client-1', Address: '127.0.0.1', Datacenter: 'dc1' };
  const check = (alloc: string, name: string, status: 'passing' | 'critical', out: string) => ({
    Node: 'client-1', CheckID: `_nomad-check-${alloc}-${name}`, Name: name, Status: status, Notes: '', Output: out, ServiceID: service(alloc).ID, ServiceName: 'api',
  });
  const serf = { Node: 'client-1', CheckID: 'serfHealth', Name: 'Serf Health Status', Status: 'passing' as const, Notes: '', Output: 'Agent alive and reachable', ServiceID: '', ServiceName: '' };
  return [
    { Node: node, Service: service(ALLOC), Checks: [serf, check(ALLOC, 'api-ready', 'critical', output), check(ALLOC, 'service: "api" check', 'passing', 'TCP connect 127.0.0.1:21077: Success')] },
    { Node: node, Service: service('other-alloc'), Checks: [serf, check('other-alloc', 'api-ready', 'critical', 'other')] },
  ];
}

const received = aTaskEvent('Received', 'Task received by client', { Time: '1796462530000000000' });
const running = (overrides = {}) =>
  anAllocation({ ID: ALLOC, Name: 'api.api[0]', ClientStatus: 'running', ModifyTime: '1796462531000000000', TaskStates: { api: aTaskState([received], { State: 'running' }) }, ...overrides });
const deployment = aDeployment({ TaskGroups: { api: aGroupState({ ProgressDeadline: 60 * S, RequireProgressBy: '2026-12-05T09:23:10.271278448Z' }) } });

function policyOf(group: NomadTaskGroupRead): GroupHealthPolicy {
  return healthPolicies(aJobRead({ TaskGroups: [group] })).get('api')!;
}

describe('healthPolicies', () => {
  it('takes the deadlines, auto_revert, reschedule policy and Consul checks (named or Nomad-named) of each group', () => {
    expect(policyOf(aGroup())).toEqual({
      group: 'api', healthCheck: 'checks', healthyDeadlineNs: 30 * S, progressDeadlineNs: 60 * S, autoRevert: true,
      reschedule: { attempts: 0, intervalNs: 0, unlimited: true },
      checks: [{ service: 'api', check: 'api-ready', graceMs: 7000 }, { service: 'api', check: 'service: "api" check', graceMs: 12_000 }],
    });
    expect(healthPolicies(aJobRead({ TaskGroups: [aGroup({ Update: null })] })).size).toBe(0);
  });
});

describe('allocationChecks', () => {
  it('keeps only the allocation\'s own service checks, sorted', () => {
    expect(allocationChecks(entries(''), ALLOC)).toEqual([
      { service: 'api', check: 'api-ready', status: 'critical', output: '' },
      { service: 'api', check: 'service: "api" check', status: 'passing', output: 'TCP connect 127.0.0.1:21077: Success' },
    ]);
  });
});

describe('describeHealthWait', () => {
  const failing = allocationChecks(entries('HTTP GET http://127.0.0.1:21077/ready: 503 Service Unavailable Output: not ready\n'), ALLOC).filter((c) => c.status !== 'passing');

  it('says the progress deadline ends the wait when Nomad can replace the allocation', () => {
    const wait = describeHealthWait({ alloc: running(), policy: policyOf(aGroup()), deployment, failing })!;
    expect(wait).toMatchObject({
      allocName: 'api.api[0]', markedUnhealthy: false,
      deadline: { ends: 'progress_deadline', healthyDeadlineAt: '2026-12-05T09:22:40.000Z', progressDeadlineAt: '2026-12-05T09:23:10.271278448Z', autoRevert: true },
    });
    expect(summarizeHealthWait(wait)).toBe(
      'check "api-ready" of service api is critical: HTTP GET http://127.0.0.1:21077/ready: 503 Service Unavailable Output: not ready; ' +
        'healthy_deadline (30s) at 2026-12-05T09:22:40Z marks the allocation unhealthy; the deployment then waits for progress_deadline (1m) at 2026-12-05T09:23:10Z, ' +
        'which fails it and rolls back (auto_revert), unless a replacement Nomad may place meanwhile becomes healthy',
    );
  });

  it('says the healthy deadline ends it when progress_deadline is 0 or no reschedule attempt is left', () => {
    const noProgress = aGroup({ Update: { ...aGroup().Update!, ProgressDeadline: 0 } });
    expect(describeHealthWait({ alloc: running(), policy: policyOf(noProgress), deployment, failing })!.deadline).toMatchObject({ ends: 'healthy_deadline', because: 'progress_deadline is 0' });
    const once = aGroup({ ReschedulePolicy: { Attempts: 1, Interval: 3600 * S, Delay: 5 * S, DelayFunction: 'constant', MaxDelay: 0, Unlimited: false } });
    expect(describeHealthWait({ alloc: running(), policy: policyOf(once), deployment, failing })!.deadline.ends).toBe('progress_deadline');
    const spent = running({ RescheduleTracker: { Events: [{ RescheduleTime: '1796462500000000000', PrevAllocID: 'a0', PrevNodeID: 'n1', Delay: 5 * S }] }, DeploymentStatus: { Healthy: false, Timestamp: null, Canary: false, ModifyIndex: 20 } });
    const wait = describeHealthWait({ alloc: spent, policy: policyOf(once), deployment, failing })!;
    expect(wait).toMatchObject({ markedUnhealthy: true, deadline: { ends: 'healthy_deadline', because: 'no reschedule attempt left' } });
    expect(summarizeHealthWait(wait)).toMatch(/; Nomad marked the allocation unhealthy at its healthy_deadline \(30s\), which fails the deployment and rolls back \(auto_revert\) \(no reschedule attempt left\)$/);
    const never = aGroup({ ReschedulePolicy: null });
    expect(describeHealthWait({ alloc: running(), policy: policyOf(never), deployment, failing })!.deadline.ends).toBe('healthy_deadline');
  });

  it('explains an empty output as Consul\'s deferred write-back, and reports nothing when no check fails', () => {
    const silent = allocationChecks(entries(''), ALLOC).filter((c) => c.status !== 'passing');
    expect(summarizeHealthWait(describeHealthWait({ alloc: running(), policy: policyOf(aGroup()), deployment, failing: silent })!)).toMatch(
      /^check "api-ready" of service api is critical \(no output in Consul's catalog yet: it is written back on a status change or every check_update_interval, 5m by default\); /,
    );
    expect(describeHealthWait({ alloc: running(), policy: policyOf(aGroup()), deployment, failing: [] })).toBeUndefined();
  });
});

describe('duration', () => {
  it('writes nanoseconds as a job file would', () => {
    expect([duration(30 * S), duration(90 * S), duration(300 * S), duration(3600 * S), duration(1.5 * S)]).toEqual(['30s', '1m30s', '5m', '1h', '1.5s']);
  });
});
