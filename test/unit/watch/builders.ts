import type { NomadAllocListStub, NomadDeployment, NomadDeploymentState, NomadEvaluation, NomadTaskEvent, NomadTaskState } from '../../../src/wire/nomad-api.ts';

/** Builders for Nomad API objects with realistic defaults; override only what a test is about. */
export function anEvaluation(overrides: Partial<NomadEvaluation> = {}): NomadEvaluation {
  return {
    ID: 'eval-1', Namespace: 'default', Priority: 50, Type: 'service', TriggeredBy: 'job-register', JobID: 'api', JobModifyIndex: 10,
    DeploymentID: '', Status: 'complete', StatusDescription: '', NextEval: '', PreviousEval: '', BlockedEval: '', FailedTGAllocs: {},
    QueuedAllocations: {}, CreateIndex: 11, ModifyIndex: 12, CreateTime: '1700000000000000000', ModifyTime: '1700000000000000000', ...overrides,
  };
}

export function aGroupState(overrides: Partial<NomadDeploymentState> = {}): NomadDeploymentState {
  return {
    AutoRevert: true, AutoPromote: false, ProgressDeadline: 600_000_000_000, RequireProgressBy: null, Promoted: false, PlacedCanaries: [],
    DesiredCanaries: 0, DesiredTotal: 2, PlacedAllocs: 0, HealthyAllocs: 0, UnhealthyAllocs: 0, ...overrides,
  };
}

export function aDeployment(overrides: Partial<NomadDeployment> = {}): NomadDeployment {
  return {
    ID: 'dep-1', Namespace: 'default', JobID: 'api', JobVersion: 3, JobModifyIndex: 10, JobSpecModifyIndex: 10, JobCreateIndex: 1,
    IsMultiregion: false, TaskGroups: { api: aGroupState() }, Status: 'running', StatusDescription: 'Deployment is running', EvalPriority: 50,
    CreateIndex: 12, ModifyIndex: 12, CreateTime: '1700000000000000000', ModifyTime: '1700000000000000000', ...overrides,
  };
}

export function aTaskEvent(type: string, message: string, overrides: Partial<NomadTaskEvent> = {}): NomadTaskEvent {
  return {
    Type: type, Time: '1700000000000000000', DisplayMessage: message, Message: '', Details: {}, FailsTask: false, RestartReason: '', SetupError: '',
    DriverError: '', DriverMessage: '', ExitCode: 0, Signal: 0, KillReason: '', KillError: '', DownloadError: '', ValidationError: '', VaultError: '', ...overrides,
  };
}

export function aTaskState(events: NomadTaskEvent[], overrides: Partial<NomadTaskState> = {}): NomadTaskState {
  return { State: 'pending', Failed: false, Restarts: 0, LastRestart: null, StartedAt: null, FinishedAt: null, Events: events, ...overrides };
}

export function anAllocation(overrides: Partial<NomadAllocListStub> = {}): NomadAllocListStub {
  return {
    ID: 'alloc-1', EvalID: 'eval-1', Name: 'api.api[0]', Namespace: 'default', NodeID: 'node-1', NodeName: 'client-1', JobID: 'api', JobType: 'service',
    JobVersion: 3, TaskGroup: 'api', DesiredStatus: 'run', DesiredDescription: '', ClientStatus: 'pending', ClientDescription: '',
    TaskStates: {}, DeploymentStatus: null, FollowupEvalID: '', NextAllocation: '', RescheduleTracker: null, CreateIndex: 13, ModifyIndex: 13,
    CreateTime: '1700000000000000000', ModifyTime: '1700000000000000000', ...overrides,
  };
}
