import type {
  NomadAllocMetric,
  NomadDesiredUpdates,
  NomadFieldDiff,
  NomadJobDiff,
  NomadJobListStub,
  NomadJobPlanResponse,
  NomadJobRead,
  NomadTaskDiff,
  NomadTaskGroupDiff,
} from '../../../src/wire/nomad-api.ts';

/** Builders for plan responses, jobs and list stubs; override only what a test is about. */
export function updates(overrides: Partial<NomadDesiredUpdates> = {}): NomadDesiredUpdates {
  return {
    Ignore: 0, Place: 0, Migrate: 0, Stop: 0, InPlaceUpdate: 0, DestructiveUpdate: 0, Canary: 0, Preemptions: 0, Disconnect: 0, Reconnect: 0,
    RescheduleNow: 0, RescheduleLater: 0, ...overrides,
  };
}

export function aField(name: string, old: string, next: string, overrides: Partial<NomadFieldDiff> = {}): NomadFieldDiff {
  const type = old === '' ? 'Added' : next === '' ? 'Deleted' : old === next ? 'None' : 'Edited';
  return { Type: type, Name: name, Old: old, New: next, Annotations: [], ...overrides };
}

export function aTaskDiff(name: string, overrides: Partial<NomadTaskDiff> = {}): NomadTaskDiff {
  return { Type: 'None', Name: name, Fields: [], Objects: [], Annotations: [], ...overrides };
}

export function aGroupDiff(name: string, overrides: Partial<NomadTaskGroupDiff> = {}): NomadTaskGroupDiff {
  return { Type: 'None', Name: name, Fields: [], Objects: [], Tasks: [], Updates: {}, ...overrides };
}

export function aJobDiff(overrides: Partial<NomadJobDiff> = {}): NomadJobDiff {
  return { Type: 'None', ID: 'api', Fields: [], Objects: [], TaskGroups: [], ...overrides };
}

export function aMetric(overrides: Partial<NomadAllocMetric> = {}): NomadAllocMetric {
  return {
    NodesEvaluated: 3, NodesFiltered: 0, NodesInPool: 3, NodesAvailable: { qa1: 3 }, ClassFiltered: {}, ConstraintFiltered: {}, NodesExhausted: 3,
    ClassExhausted: {}, DimensionExhausted: { memory: 3 }, QuotaExhausted: [], CoalescedFailures: 0, ...overrides,
  };
}

export function aPlanResponse(overrides: Partial<NomadJobPlanResponse> = {}): NomadJobPlanResponse {
  return {
    Annotations: { DesiredTGUpdates: { api: updates({ Ignore: 2 }) }, PreemptedAllocs: [] },
    FailedTGAllocs: {}, JobModifyIndex: 42, CreatedEvals: [], Diff: aJobDiff({ TaskGroups: [aGroupDiff('api')] }), NextPeriodicLaunch: null, Warnings: '', Index: 50,
    ...overrides,
  };
}

export function aJobRead(overrides: Partial<NomadJobRead> = {}): NomadJobRead {
  return {
    ID: 'api', ParentID: '', Name: 'api', Namespace: 'shop', Region: 'global', Type: 'service', Priority: 50, Datacenters: ['qa1'], NodePool: 'default',
    Stop: false, Status: 'running', StatusDescription: '', Stable: true, Version: 3, SubmitTime: '1700000000123456789', CreateIndex: 10, ModifyIndex: 40,
    JobModifyIndex: 40, Meta: { 'drover.project': 'shop', 'drover.env': 'qa', 'drover.release': 'r3', 'drover.spec_hash': 'hash-3' }, Update: null,
    TaskGroups: [{ Name: 'api', Count: 2, Update: null, ReschedulePolicy: null, Meta: {}, Services: [], Tasks: [] }], VersionTag: null, ...overrides,
  };
}

export function aListStub(overrides: Partial<NomadJobListStub> = {}): NomadJobListStub {
  return {
    ID: 'api', ParentID: '', Name: 'api', Namespace: 'shop', Datacenters: ['qa1'], NodePool: 'default', Type: 'service', Priority: 50, Periodic: false,
    ParameterizedJob: false, Stop: false, Status: 'running', StatusDescription: '', JobSummary: null, CreateIndex: 10, ModifyIndex: 40, JobModifyIndex: 40,
    SubmitTime: '1700000000000000000', Meta: { 'drover.project': 'shop', 'drover.env': 'qa', 'drover.release': 'r1' }, ...overrides,
  };
}
