import { describe, expect, it } from 'vitest';
import { awaitsPromotion, describeCanaries, nomadErrorLines, unpromotedGroups } from '../../../src/inspect/promotion.ts';
import { describeAllocationFailure, summarizeJobStatus } from '../../../src/inspect/status.ts';
import { aDeployment, aGroupState, anAllocation, aTaskEvent, aTaskState } from '../watch/builders.ts';
import { aJobRead } from '../plan/builders.ts';

const running = (overrides: Parameters<typeof anAllocation>[0] = {}) =>
  anAllocation({ ClientStatus: 'running', DeploymentStatus: { Healthy: true, Timestamp: null, Canary: false, ModifyIndex: 1 }, ...overrides });

describe('summarizeJobStatus', () => {
  it('shows version, release, latest deployment and healthy/desired allocations per group', () => {
    const row = summarizeJobStatus(
      aJobRead(),
      [aDeployment({ ID: 'old', JobVersion: 2, Status: 'successful', CreateIndex: 5 }), aDeployment({ ID: 'new', JobVersion: 3, Status: 'successful', CreateIndex: 9 })],
      [running({ ID: 'a1' }), running({ ID: 'a2', DeploymentStatus: { Healthy: null, Timestamp: null, Canary: false, ModifyIndex: 1 } }), running({ ID: 'a3', DesiredStatus: 'stop' })],
    );
    expect(row).toEqual({ id: 'api', state: 'running', version: 3, release: 'r3', deployment: 'successful (v3)', allocations: 'api 1/2', canaries: '-', lastFailure: '-' });
  });

  it('shows canaries of an active deployment apart from the desired count', () => {
    const deployment = aDeployment({ JobVersion: 4, TaskGroups: { api: aGroupState({ DesiredCanaries: 1, PlacedCanaries: ['c1'], HealthyAllocs: 1 }) } });
    const canary = running({ ID: 'c1', JobVersion: 4, DeploymentStatus: { Healthy: true, Timestamp: null, Canary: true, ModifyIndex: 2 } });
    const row = summarizeJobStatus(aJobRead({ Version: 4 }), [deployment], [running({ ID: 'a1' }), running({ ID: 'a2' }), canary]);
    expect(row.allocations).toBe('api 2/2 +1 canary');
    expect(row.canaries).toBe('api 1/1 not promoted');
    expect(row.deployment).toBe('running (v4)');
  });

  it('takes the last failure from the newer of the failed deployment and the failed allocation', () => {
    const failedDeployment = aDeployment({ JobVersion: 2, Status: 'failed', StatusDescription: 'Failed due to unhealthy allocations - rolling back to job version 1', ModifyIndex: 30, CreateIndex: 20 });
    const failedAlloc = anAllocation({
      Name: 'api.api[0]', ClientStatus: 'failed', ModifyIndex: 25,
      TaskStates: { api: aTaskState([aTaskEvent('Received', 'Task received by client'), aTaskEvent('Driver Failure', 'image not found')], { State: 'dead', Failed: true }) },
    });
    expect(summarizeJobStatus(aJobRead(), [failedDeployment], [failedAlloc]).lastFailure).toBe('deployment v2: Failed due to unhealthy allocations - rolling back to job version 1');
    const later = { ...failedAlloc, ModifyIndex: 40 };
    expect(summarizeJobStatus(aJobRead(), [failedDeployment], [later]).lastFailure).toBe('api.api[0] task api: Driver Failure: image not found');
    const sameVersion = { ...failedAlloc, JobVersion: 2, ClientStatus: 'complete' as const };
    expect(summarizeJobStatus(aJobRead(), [failedDeployment], [sameVersion]).lastFailure).toBe(
      'deployment v2: Failed due to unhealthy allocations - rolling back to job version 1 — api.api[0] task api: Driver Failure: image not found',
    );
  });

  it('says stopped for a stopped job and counts batch allocations as done', () => {
    expect(summarizeJobStatus(aJobRead({ Stop: true, Status: 'dead' }), [], []).state).toBe('stopped');
    const batch = aJobRead({ Type: 'batch', TaskGroups: [{ Name: 'backup', Count: 1, Update: null, ReschedulePolicy: null, Meta: {}, Services: [], Tasks: [] }] });
    expect(summarizeJobStatus(batch, [], []).allocations).toBe('backup -');
    expect(summarizeJobStatus(batch, [], [anAllocation({ TaskGroup: 'backup', ClientStatus: 'complete' })]).allocations).toBe('backup 1/1 done');
  });

  it('describes a failed allocation from its failed task\'s last event, or its client description', () => {
    const crashed = aTaskState([aTaskEvent('Started', 'Task started by client'), aTaskEvent('Terminated', 'Exit Code: 1')], { State: 'dead', Failed: true });
    expect(describeAllocationFailure(anAllocation({ ClientStatus: 'failed', TaskStates: { api: crashed } }))).toBe('api.api[0] task api: Terminated: Exit Code: 1');
    expect(describeAllocationFailure(anAllocation({ ClientStatus: 'failed', ClientDescription: 'Failed tasks' }))).toBe('api.api[0]: Failed tasks');
    expect(describeAllocationFailure(anAllocation({ ClientStatus: 'running' }))).toBeUndefined();
  });
});

describe('promotion', () => {
  it('awaits promotion only while running with unpromoted canaries', () => {
    const canaries = { api: aGroupState({ DesiredCanaries: 1, PlacedCanaries: ['c1'], HealthyAllocs: 0 }), db: aGroupState() };
    expect(awaitsPromotion(aDeployment({ TaskGroups: canaries }))).toBe(true);
    expect(unpromotedGroups(aDeployment({ TaskGroups: canaries }))).toEqual(['api']);
    expect(describeCanaries(aDeployment({ TaskGroups: canaries }))).toBe('api 0/1 healthy canary');
    expect(awaitsPromotion(aDeployment({ TaskGroups: { api: aGroupState({ DesiredCanaries: 1, Promoted: true }) } }))).toBe(false);
    expect(awaitsPromotion(aDeployment({ Status: 'successful', TaskGroups: canaries }))).toBe(false);
    expect(awaitsPromotion(aDeployment())).toBe(false);
    expect(awaitsPromotion(null)).toBe(false);
  });

  it("extracts the individual errors from Nomad's multierror text", () => {
    expect(nomadErrorLines('2 errors occurred:\n\t* Task group "api" has 0/1 healthy allocations\n\t* Task group "web" has 1/2 healthy allocations\n\n')).toEqual([
      'Task group "api" has 0/1 healthy allocations',
      'Task group "web" has 1/2 healthy allocations',
    ]);
    expect(nomadErrorLines("can't promote terminal deployment\n")).toEqual(["can't promote terminal deployment"]);
    expect(nomadErrorLines('')).toEqual([]);
  });
});
