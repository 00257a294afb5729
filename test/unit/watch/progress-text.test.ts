import { describe, expect, it } from 'vitest';
import { describeProgress } from '../../../src/watch/decide.ts';
import { aDeployment, aGroupState } from './builders.ts';

describe('describeProgress', () => {
  it('leaves out the group name when the job has one group named like the job', () => {
    expect(describeProgress(aDeployment({ JobID: 'api', TaskGroups: { api: aGroupState({ HealthyAllocs: 1, DesiredTotal: 2 }) } }))).toBe('deployment running: 1/2 healthy');
  });

  it('names every group otherwise', () => {
    expect(describeProgress(aDeployment({ JobID: 'www', TaskGroups: { web: aGroupState({ HealthyAllocs: 0, DesiredTotal: 1 }) } }))).toBe('deployment running: web 0/1 healthy');
    const two = { api: aGroupState({ HealthyAllocs: 1, DesiredTotal: 1 }), jobs: aGroupState({ HealthyAllocs: 0, DesiredTotal: 2, UnhealthyAllocs: 1 }) };
    expect(describeProgress(aDeployment({ JobID: 'api', TaskGroups: two }))).toBe('deployment running: api 1/1 healthy, jobs 0/2 healthy, 1 unhealthy');
  });
});
