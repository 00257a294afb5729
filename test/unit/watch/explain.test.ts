import { describe, expect, it } from 'vitest';
import { decideRollout } from '../../../src/watch/decide.ts';
import { explainRolloutFailure } from '../../../src/watch/explain.ts';
import { initialRollout, reduceRollout, type Fact } from '../../../src/watch/state.ts';
import { aDeployment, anAllocation, aTaskEvent, aTaskState } from './builders.ts';

const state = (facts: Fact[]) => facts.reduce(reduceRollout, initialRollout({ jobId: 'api', jobType: 'service', version: 3, evalId: 'eval-1', sinceIndex: 10 }));
const unhealthy = (message: string, time: `${bigint}`) => aTaskEvent('Alloc Unhealthy', message, { Message: message, Details: { message }, Time: time });

describe('explainRolloutFailure', () => {
  it('explains a deployment Nomad failed with the earliest root cause among its allocations', () => {
    const late = anAllocation({ ID: 'a2', Name: 'api.api[1]', CreateIndex: 14, ModifyIndex: 14, TaskStates: { api: aTaskState([unhealthy('Services not healthy by deadline: api', '1700000000300000000')]) } });
    const early = anAllocation({ ID: 'a1', CreateIndex: 15, ModifyIndex: 15, TaskStates: { api: aTaskState([unhealthy('Task not running for min_healthy_time of 15s by healthy_deadline of 30s', '1700000000100000000')]) } });
    const older = anAllocation({ ID: 'a0', JobVersion: 2, CreateIndex: 12, ModifyIndex: 12, TaskStates: { api: aTaskState([unhealthy('Unhealthy because of failed task', '1600000000000000000')]) } });
    const s = state([late, early, older].map((allocation) => ({ kind: 'allocation', allocation })));
    expect(explainRolloutFailure(s, 'dep-1')).toBe('api.api[0] task api: Alloc Unhealthy: Task not running for min_healthy_time of 15s by healthy_deadline of 30s');
  });

  it('puts the cause before Nomad\'s verdict when the deployment failed at its deadline', () => {
    const alloc = anAllocation({ ClientStatus: 'running', TaskStates: { api: aTaskState([unhealthy('Services not healthy by deadline: api', '1700000000100000000')], { State: 'running' }) } });
    const failed = aDeployment({ Status: 'failed', StatusDescription: 'Failed due to progress deadline' });
    const decision = decideRollout(state([{ kind: 'deployment', deployment: failed }, { kind: 'allocation', allocation: alloc }]));
    expect(decision).toEqual({
      type: 'deployment-failed', deploymentId: 'dep-1', description: 'Failed due to progress deadline', revertingTo: null,
      cause: 'api.api[0] task api: Alloc Unhealthy: Services not healthy by deadline: api',
    });
  });

  it('says nothing when no allocation shows a failure', () => {
    const s = state([{ kind: 'allocation', allocation: anAllocation({ TaskStates: { api: aTaskState([aTaskEvent('Started', 'Task started by client')]) } }) }]);
    expect(explainRolloutFailure(s, 'dep-1')).toBeUndefined();
  });
});
