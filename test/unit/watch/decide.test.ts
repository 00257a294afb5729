import { describe, expect, it } from 'vitest';
import { classifyAllocationFailure } from '../../../src/watch/classify.ts';
import { decideRollout } from '../../../src/watch/decide.ts';
import { initialRollout, reduceRollout, type Fact, type RolloutState } from '../../../src/watch/state.ts';
import { aDeployment, aGroupState, anAllocation, anEvaluation, aTaskEvent, aTaskState } from './builders.ts';

function rollout(facts: Fact[], base: Partial<RolloutState> = {}): RolloutState {
  const start = { ...initialRollout({ jobId: 'api', jobType: 'service', version: 3, evalId: 'eval-1', sinceIndex: 10 }), ...base };
  return facts.reduce(reduceRollout, start);
}

const pullFailure = aTaskEvent('Driver Failure', 'Failed to pull `ghcr.io/acme/api:9.9.9`: manifest unknown', { DriverError: 'manifest unknown' });

describe('classifyAllocationFailure', () => {
  it('names the task, event type and message of an image pull failure', () => {
    const alloc = anAllocation({ TaskStates: { api: aTaskState([aTaskEvent('Received', 'Task received by client'), pullFailure]) } });
    expect(classifyAllocationFailure(alloc)).toEqual({
      kind: 'driver', allocId: 'alloc-1', allocName: 'api.api[0]', group: 'api', task: 'api', eventType: 'Driver Failure',
      message: 'Failed to pull `ghcr.io/acme/api:9.9.9`: manifest unknown', details: {}, consequences: [],
    });
  });

  it('recognises a template blocked on a missing Vault secret', () => {
    const event = aTaskEvent('Template', 'Missing: vault.read(secret/data/shop/api/database)');
    expect(classifyAllocationFailure(anAllocation({ TaskStates: { api: aTaskState([event]) } }))?.kind).toBe('template');
  });

  it('recognises a spent restart policy', () => {
    const events = [aTaskEvent('Restarting', 'Task restarting in 15s'), aTaskEvent('Not Restarting', 'Exceeded allowed attempts 2 in interval 30m0s and mode is "fail"')];
    expect(classifyAllocationFailure(anAllocation({ TaskStates: { api: aTaskState(events) } }))?.kind).toBe('restarts-exhausted');
  });

  it('does not call a restart that may still succeed a failure', () => {
    const events = [aTaskEvent('Started', 'Task started by client'), aTaskEvent('Restarting', 'Task restarting in 15s'), aTaskEvent('Template', 'Template re-rendered')];
    expect(classifyAllocationFailure(anAllocation({ TaskStates: { api: aTaskState(events) } }))).toBeUndefined();
  });
});

describe('decideRollout', () => {
  it('waits while the evaluation has not yet named its deployment', () => {
    expect(decideRollout(rollout([{ kind: 'evaluation', evaluation: anEvaluation({ Status: 'pending' }) }])).type).toBe('wait');
  });

  it('succeeds when the deployment for the registered version succeeds', () => {
    const decision = decideRollout(rollout([{ kind: 'deployment', deployment: aDeployment({ Status: 'successful' }) }]));
    expect(decision).toEqual({ type: 'succeeded', deploymentId: 'dep-1' });
  });

  it('ignores a deployment for an older version (a previous rollout)', () => {
    const old = aDeployment({ ID: 'dep-0', JobVersion: 2, Status: 'successful', CreateIndex: 11 });
    expect(decideRollout(rollout([{ kind: 'deployment', deployment: old }])).type).toBe('wait');
  });

  it('fails fast on an image pull failure while the deployment still runs', () => {
    const alloc = anAllocation({ TaskStates: { api: aTaskState([pullFailure]) } });
    const decision = decideRollout(rollout([{ kind: 'deployment', deployment: aDeployment() }, { kind: 'allocation', allocation: alloc }]));
    expect(decision).toMatchObject({ type: 'allocation-failed', deploymentId: 'dep-1', failure: { eventType: 'Driver Failure', task: 'api' } });
  });

  it('reports a placement failure from the evaluation with the exhausted dimension', () => {
    const evaluation = anEvaluation({
      BlockedEval: 'eval-2',
      FailedTGAllocs: { api: { NodesEvaluated: 3, NodesFiltered: 0, NodesInPool: 3, NodesAvailable: {}, ClassFiltered: {}, ConstraintFiltered: {}, NodesExhausted: 3, ClassExhausted: {}, DimensionExhausted: { memory: 3 }, QuotaExhausted: [], CoalescedFailures: 1 } },
    });
    const decision = decideRollout(rollout([{ kind: 'evaluation', evaluation }]));
    expect(decision).toMatchObject({ type: 'placement-failed', group: 'api', evalId: 'eval-1' });
    expect(decision.type === 'placement-failed' && decision.message).toContain('memory exhausted on 3 nodes');
  });

  it('stops at healthy canaries that need manual promotion, but not while they are unhealthy', () => {
    const canary = (healthy: number) => aDeployment({ TaskGroups: { api: aGroupState({ DesiredCanaries: 1, PlacedCanaries: ['a'], HealthyAllocs: healthy }) } });
    expect(decideRollout(rollout([{ kind: 'deployment', deployment: canary(0) }])).type).toBe('wait');
    expect(decideRollout(rollout([{ kind: 'deployment', deployment: canary(1) }]))).toEqual({ type: 'canaries-healthy', deploymentId: 'dep-1', groups: ['api'] });
  });

  it('leaves auto-promoted canaries to Nomad', () => {
    const deployment = aDeployment({ TaskGroups: { api: aGroupState({ DesiredCanaries: 1, HealthyAllocs: 1, AutoPromote: true }) } });
    expect(decideRollout(rollout([{ kind: 'deployment', deployment }])).type).toBe('wait');
  });

  it('follows an auto-revert to its end and reports the version now running', () => {
    const failed = aDeployment({ Status: 'failed', StatusDescription: 'Failed due to unhealthy allocations - rolling back to job version 2', ModifyIndex: 20 });
    const revert = aDeployment({ ID: 'dep-2', JobVersion: 4, Status: 'running', CreateIndex: 21, ModifyIndex: 21 });
    const midway = rollout([{ kind: 'deployment', deployment: failed }, { kind: 'deployment', deployment: revert }]);
    expect(decideRollout(midway)).toMatchObject({ type: 'deployment-failed', revertingTo: 2 });
    const done = reduceRollout(midway, { kind: 'deployment', deployment: { ...revert, Status: 'successful', ModifyIndex: 25 } });
    expect(decideRollout(done)).toEqual({ type: 'reverted', deploymentId: 'dep-2', version: 4, status: 'successful', failure: failed.StatusDescription });
  });

  it("stops at an auto-revert whose canaries are healthy and wait for manual promotion (Nomad's canary phase on reverts)", () => {
    const failed = aDeployment({ Status: 'failed', StatusDescription: 'Failed due to unhealthy allocations - rolling back to job version 2', ModifyIndex: 20 });
    const revert = (healthy: number, extra: Partial<ReturnType<typeof aGroupState>> = {}) =>
      aDeployment({ ID: 'dep-2', JobVersion: 4, StatusDescription: 'Deployment is running but requires manual promotion', CreateIndex: 21, ModifyIndex: 21 + healthy, TaskGroups: { api: aGroupState({ DesiredCanaries: 1, PlacedCanaries: ['c'], HealthyAllocs: healthy, ...extra }) } });
    const at = (d: ReturnType<typeof aDeployment>) => rollout([{ kind: 'deployment', deployment: failed }, { kind: 'deployment', deployment: d }]);
    // Its canary is not healthy yet: the promotion drover would name could not be accepted.
    expect(decideRollout(at(revert(0)))).toMatchObject({ type: 'deployment-failed', revertingTo: 2 });
    expect(decideRollout(at(revert(1)))).toEqual({ type: 'revert-awaiting-promotion', failure: failed.StatusDescription, revertedTo: 2, revert: { deploymentId: 'dep-2', version: 4, groups: ['api'] } });
    // Nomad promotes it itself, or it was promoted: follow it to its end.
    expect(decideRollout(at(revert(1, { AutoPromote: true }))).type).toBe('deployment-failed');
    expect(decideRollout(at(revert(1, { Promoted: true }))).type).toBe('deployment-failed');
  });

  it('stops at the waiting revert after drover failed the deployment itself', () => {
    const failedByDrover = { deploymentId: 'dep-1', revertedToVersion: 2, reason: 'Terminated: Exit Code: 3' };
    const revert = aDeployment({ ID: 'dep-2', JobVersion: 4, CreateIndex: 21, ModifyIndex: 22, TaskGroups: { api: aGroupState({ DesiredCanaries: 1, PlacedCanaries: ['c'], HealthyAllocs: 1 }) } });
    const state = rollout([{ kind: 'deployment', deployment: aDeployment({ Status: 'failed', ModifyIndex: 20 }) }, { kind: 'deployment', deployment: revert }], { failedByDrover });
    expect(decideRollout(state)).toEqual({ type: 'revert-awaiting-promotion', failure: 'Terminated: Exit Code: 3', revertedTo: 2, revert: { deploymentId: 'dep-2', version: 4, groups: ['api'] } });
  });

  it('keeps the newest copy of an object when a stream replays older facts', () => {
    const newer = aDeployment({ Status: 'successful', ModifyIndex: 30 });
    const older = aDeployment({ Status: 'running', ModifyIndex: 20 });
    expect(decideRollout(rollout([{ kind: 'deployment', deployment: newer }, { kind: 'deployment', deployment: older }])).type).toBe('succeeded');
  });

  it('completes a batch job when every allocation of the version completes', () => {
    const base = { jobType: 'batch' as const };
    const evaluation = { kind: 'evaluation' as const, evaluation: anEvaluation() };
    const running = anAllocation({ JobType: 'batch', ClientStatus: 'running' });
    expect(decideRollout(rollout([evaluation, { kind: 'allocation', allocation: running }], base)).type).toBe('wait');
    const complete = { ...running, ClientStatus: 'complete' as const, ModifyIndex: 20 };
    expect(decideRollout(rollout([evaluation, { kind: 'allocation', allocation: complete }], base)).type).toBe('succeeded');
  });
});
