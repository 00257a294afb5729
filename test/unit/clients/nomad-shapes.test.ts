import { describe, expect, it } from 'vitest';
import { parseLosslessJson } from '../../../src/clients/http/lossless-json.ts';
import { list, ShapeError, str, type Shape } from '../../../src/clients/http/shape.ts';
import * as S from '../../../src/clients/nomad/shapes.ts';
import { recordedText } from '../../support/recorded.ts';

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

/**
 * What a real Nomad 2.0.5 answered (test/fixtures/recorded/nomad/, see its README): every answer
 * drover narrows must narrow. The fixture file is parsed losslessly as a whole, like a response.
 */
describe('narrowing answers recorded from Nomad 2.0.5', () => {
  const body = (name: string): unknown => (parseLosslessJson(recordedText('nomad', name)) as { body: unknown }).body;
  const read = <T>(shape: Shape<T>, name: string): T => shape(body(name), 'response');
  const cases: [string, Shape<unknown>][] = [
    ['get_v1_job_id', S.job],
    ['get_v1_jobs', list(S.jobListStub)],
    ['get_v1_job_id_versions', S.versionsResponse],
    ['get_v1_job_id_versions_diffs', S.versionsResponse],
    ['get_v1_job_id_deployment', S.deployment],
    ['get_v1_job_id_deployments', list(S.deployment)],
    ['get_v1_job_id_allocations', list(S.allocStub)],
    ['get_v1_job_id_evaluations', list(S.evaluation)],
    ['get_v1_job_id_summary', S.jobSummary],
    ['get_v1_job_id_scale', S.scaleStatus],
    ['get_v1_job_id_submission', S.submission],
    ['get_v1_deployment_id', S.deployment],
    ['get_v1_deployments', list(S.deployment)],
    ['get_v1_deployment_allocations_id', list(S.allocStub)],
    ['get_v1_allocation_id', S.allocation],
    ['get_v1_allocations', list(S.allocStub)],
    ['get_v1_evaluation_id', S.evaluation],
    ['get_v1_evaluation_id_related', S.evaluation],
    ['get_v1_evaluation_id_allocations', list(S.allocStub)],
    ['get_v1_evaluations', list(S.evaluation)],
    ['get_v1_namespaces', list(S.namespace)],
    ['post_v1_job_id_plan', S.planResponse],
    ['post_v1_job_id_plan.new', S.planResponse],
    ['post_v1_job_id_plan.failed', S.planResponse],
    ['post_v1_jobs', S.registerResponse],
    ['post_v1_job_id', S.registerResponse],
    ['post_v1_job_id_revert', S.registerResponse],
    ['post_v1_job_id_evaluate', S.registerResponse],
    ['delete_v1_job_id', S.deregisterResponse],
    ['post_v1_deployment_promote_id', S.deploymentUpdate],
    ['post_v1_deployment_fail_id', S.deploymentUpdate],
    ['post_v1_deployment_pause_id', S.deploymentUpdate],
    ['post_v1_deployment_allocation_health_id', S.deploymentUpdate],
    ['get_v1_metrics', S.metrics],
    ['get_v1_status_leader', str],
  ];
  it.each(cases)('narrows %s', (name, shape) => {
    expect(() => read(shape, name)).not.toThrow();
  });

  it('narrows every event of the recorded stream frames', () => {
    const frames = body('get_v1_event_stream') as { Events: unknown[] }[];
    const events = frames.flatMap((frame) => frame.Events);
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) expect(() => S.event(event, 'event')).not.toThrow();
  });

  it('keeps allocation timestamps exact (unix nanoseconds beyond 2^53)', () => {
    const [alloc] = read(list(S.allocStub), 'get_v1_job_id_allocations');
    const raw = /"CreateTime": (\d+)/.exec(recordedText('nomad', 'get_v1_job_id_allocations'))![1];
    expect(alloc?.CreateTime).toBe(raw);
    expect(BigInt(alloc!.CreateTime)).toBeGreaterThan(BigInt(Number.MAX_SAFE_INTEGER));
  });

  it("reads the submission's JobModifyIndex (the server has no JobIndex)", () => {
    const submission = read(S.submission, 'get_v1_job_id_submission');
    expect(submission).toMatchObject({ JobID: 'recorded-web', Version: 1, Format: 'hcl2' });
    expect(submission.JobModifyIndex).toBeGreaterThan(0);
  });

  it('reads the canary deployment drover waits on', () => {
    const deployment = read(S.deployment, 'get_v1_job_id_deployment');
    expect(deployment.Status).toBe('running');
    expect(deployment.TaskGroups['web']).toMatchObject({ DesiredCanaries: 1, Promoted: false });
    expect(deployment.TaskGroups['web']?.HealthyAllocs).toBeGreaterThanOrEqual(1);
  });
});
