import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseLosslessJson } from '../../../src/clients/http/lossless-json.ts';
import { list, ShapeError, str, type Shape } from '../../../src/clients/http/shape.ts';
import * as S from '../../../src/clients/nomad/shapes.ts';
import { hasReference, referenceDir } from '../../support/reference.ts';

const narrow = <T>(shape: Shape<T>, text: string): T => shape(parseLosslessJson(text), 'response');

describe('narrowing Nomad responses', () => {
  it('reads the keys an omitempty Allocation leaves out as zero values', () => {
    const alloc = narrow(S.allocation, '{"ID":"a1","JobID":"web","TaskGroup":"web","DesiredStatus":"run","ClientStatus":"pending","CreateTime":1717171717123456789}');
    expect(alloc).toMatchObject({
      ID: 'a1', DeploymentID: '', DesiredDescription: '', PreviousAllocation: '', FollowupEvalID: '', JobVersion: 0,
      TaskStates: {}, DeploymentStatus: null, RescheduleTracker: null, Metrics: null, CreateTime: '1717171717123456789', ModifyTime: '0',
    });
  });

  it("reads Go's zero time as null, whether sent as null or as 0001-01-01T00:00:00Z (older doc samples)", () => {
    const state = narrow(S.allocStub, JSON.stringify({
      DesiredStatus: 'run', ClientStatus: 'running',
      TaskStates: { web: { State: 'running', StartedAt: '2024-05-31T12:00:00.123456789Z', FinishedAt: '0001-01-01T00:00:00Z', LastRestart: null, Events: null } },
    })).TaskStates['web'];
    expect(state).toEqual({ State: 'running', Failed: false, Restarts: 0, LastRestart: null, StartedAt: '2024-05-31T12:00:00.123456789Z', FinishedAt: null, Events: [] });
  });

  it('keeps task-event and reschedule times exact and durations as numbers', () => {
    const stub = narrow(S.allocStub, '{"DesiredStatus":"run","ClientStatus":"failed","RescheduleTracker":{"Events":[{"RescheduleTime":1517434161192946200,"Delay":5000000000,"PrevAllocID":"p"}]},"TaskStates":{"t":{"State":"dead","Failed":true,"Events":[{"Type":"Driver Failure","Time":1495755675956923001,"DriverError":"pull failed"}]}}}');
    expect(stub.RescheduleTracker?.Events[0]).toEqual({ RescheduleTime: '1517434161192946200', PrevAllocID: 'p', PrevNodeID: '', Delay: 5_000_000_000 });
    expect(stub.TaskStates['t']?.Events[0]).toMatchObject({ Type: 'Driver Failure', Time: '1495755675956923001', DriverError: 'pull failed', ExitCode: 0 });
    expect(BigInt(stub.TaskStates['t']?.Events[0]?.Time ?? 0) - 1495755675956923000n).toBe(1n);
  });

  it('tells deployments (cancelled) and evaluations (canceled) apart and refuses unknown statuses', () => {
    expect(narrow(S.deployment, '{"ID":"d","Status":"cancelled"}').Status).toBe('cancelled');
    expect(narrow(S.evaluation, '{"ID":"e","Status":"canceled"}').Status).toBe('canceled');
    expect(() => narrow(S.deployment, '{"ID":"d","Status":"canceled"}')).toThrow(/response\.Status/);
    expect(() => narrow(S.evaluation, '{"ID":"e","Status":"cancelled"}')).toThrow(ShapeError);
  });

  it('names the offending field of a wrong type and drops fields it does not declare', () => {
    expect(() => narrow(S.deployment, '{"ID":"d","Status":"running","TaskGroups":{"web":{"HealthyAllocs":"2"}}}')).toThrow(ShapeError);
    expect(() => narrow(S.deployment, '{"ID":"d","Status":"running","TaskGroups":{"web":{"Promoted":"yes"}}}')).toThrow(/response\.TaskGroups\.web\.Promoted is string, expected a boolean/);
    expect(narrow(S.registerResponse, '{"EvalID":"e","JobModifyIndex":9,"Warnings":"","Index":9,"KnownLeader":true,"Secret":"x"}')).toEqual({
      EvalID: 'e', EvalCreateIndex: 0, JobModifyIndex: 9, Warnings: '', Index: 9,
    });
  });

  it('normalises nil slices and maps (null) to [] and {}', () => {
    const plan = narrow(S.planResponse, '{"Annotations":{"DesiredTGUpdates":{"web":{"Place":2}},"PreemptedAllocs":null},"FailedTGAllocs":null,"CreatedEvals":null,"Diff":null,"NextPeriodicLaunch":null,"JobModifyIndex":0}');
    expect(plan).toMatchObject({ FailedTGAllocs: {}, CreatedEvals: [], Diff: null, NextPeriodicLaunch: null, Annotations: { PreemptedAllocs: [] } });
    expect(plan.Annotations?.DesiredTGUpdates['web']).toMatchObject({ Place: 2, Canary: 0 });
  });

  it('reads recursive diffs with stringified Old/New values', () => {
    const diff = narrow(S.planResponse, JSON.stringify({
      Diff: { Type: 'Edited', ID: 'web', TaskGroups: [{ Type: 'Edited', Name: 'web', Updates: { 'create/destroy update': 2 }, Tasks: [{ Type: 'Edited', Name: 'web', Annotations: ['forces create/destroy update'], Objects: [{ Type: 'Edited', Name: 'Config', Fields: [{ Type: 'Edited', Name: 'image', Old: 'web:1', New: 'web:2' }], Objects: [{ Type: 'Added', Name: 'Nested', Fields: [{ Type: 'Added', Name: 'KillTimeout', Old: '', New: '5000000000' }] }] }] }] }] },
    })).Diff;
    expect(diff?.TaskGroups[0]?.Updates).toEqual({ 'create/destroy update': 2 });
    expect(diff?.TaskGroups[0]?.Tasks[0]?.Objects[0]?.Objects[0]?.Fields[0]).toEqual({ Type: 'Added', Name: 'KillTimeout', Old: '', New: '5000000000', Annotations: [] });
  });

  it('reads the bare JSON string of /v1/status/leader', () => {
    expect(narrow(str, '"127.0.0.1:4647"')).toBe('127.0.0.1:4647');
    expect(narrow(list(str), '["global"]')).toEqual(['global']);
  });
});

describe.skipIf(!hasReference())('narrowing the reference examples (docs samples)', () => {
  const example = (name: string): string => readFileSync(`${referenceDir}examples/nomad/${name}`, 'utf8');
  const cases: [string, Shape<unknown>][] = [
    ['get_v1_job_id.response.json', S.job],
    ['get_v1_jobs.response.json', list(S.jobListStub)],
    ['get_v1_job_id_deployment.response.json', S.deployment],
    ['get_v1_job_id_deployments.response.json', list(S.deployment)],
    ['get_v1_job_id_allocations.response.json', list(S.allocStub)],
    ['get_v1_job_id_evaluations.response.json', list(S.evaluation)],
    ['get_v1_job_id_summary.response.json', S.jobSummary],
    ['get_v1_job_id_scale.response.json', S.scaleStatus],
    ['get_v1_job_id_submission.response.json', S.submission],
    ['get_v1_deployment_id.response.json', S.deployment],
    ['get_v1_deployment_allocations_id.response.json', list(S.allocStub)],
    ['get_v1_evaluation_id_allocations.response.json', list(S.allocStub)],
    ['post_v1_jobs.response.json', S.registerResponse],
    ['post_v1_job_id_revert.response.json', S.registerResponse],
    ['delete_v1_job_id.response.json', S.deregisterResponse],
    ['post_v1_deployment_promote_id.response.json', S.deploymentUpdate],
    ['get_v1_metrics.response.json', S.metrics],
    ['get_v1_status_leader.response.json', str],
  ];
  it.each(cases)('narrows %s', (name, shape) => {
    expect(() => narrow(shape, example(name))).not.toThrow();
  });

  it('keeps the documented allocation timestamps exact', () => {
    const [alloc] = narrow(list(S.allocStub), example('get_v1_job_id_allocations.response.json'));
    expect(alloc?.CreateTime).toBe('1495755675944527600');
    expect(alloc?.TaskStates['redis']?.FinishedAt).toBeNull();
  });
});
