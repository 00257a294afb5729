import type { Allowances } from './nomad-shape.ts';

/**
 * Documented differences between the sandbox (modelled on a Nomad v2.0.5 server) and the samples
 * in shared/reference/examples/nomad/, which were copied from docs that predate the code
 * (examples/README.md). Every entry cites the section of shared/reference/nomad.md (or the
 * examples README) that documents the field the sample lacks or shows differently.
 */
type Case = Allowances & { readonly shape?: 'by-group'; readonly from?: 'event-frame' };

const under = (prefix: string, paths: readonly string[]): string[] => paths.map((p) => `${prefix}${p}`);

/** Job fields of v2.0.5 the 2019-era job samples do not show (§3.6, §9.1–§9.6). */
const JOB_V2_FIELDS: readonly string[] = [
  // §3.6 read model / §9.1 read-only fields
  'Affinities', 'Spreads', 'Multiregion', 'Dispatched', 'DispatchIdempotencyToken', 'ConsulNamespace', 'VaultNamespace', 'NomadTokenID',
  'Stop', 'UI', 'VersionTag', 'Version', 'Stable', 'SubmitTime',
  // §9.5: the job-level Update reads back every field (zeroed except Stagger and MaxParallel)
  ...under('Update.', ['HealthCheck', 'MinHealthyTime', 'HealthyDeadline', 'ProgressDeadline', 'AutoRevert', 'AutoPromote', 'Canary']),
  // §9.2 TaskGroup
  ...under('TaskGroups[].', ['Spreads', 'Volumes', 'ReschedulePolicy', 'Migrate', 'Networks', 'Services', 'ShutdownDelay', 'StopAfterClientDisconnect',
    'MaxClientDisconnect', 'Disconnect', 'Scaling', 'Consul', 'PreventRescheduleOnLost', 'Update', 'RestartPolicy.RenderTemplates']),
  // §9.4 NetworkResource / Port
  ...under('TaskGroups[].Networks[].', ['Hostname', 'CNI', 'DynamicPorts[].IgnoreCollision']),
  // §9.3 Task and Resources
  ...under('TaskGroups[].Tasks[].', ['RestartPolicy', 'ShutdownDelay', 'VolumeMounts', 'ScalingPolicies', 'KillSignal', 'Kind', 'CSIPluginConfig',
    'Identity', 'Identities', 'Actions', 'Schedule', 'Consul', 'Secrets']),
  ...under('TaskGroups[].Tasks[].Resources.', ['Cores', 'MemoryMaxMB', 'IOPS', 'Devices', 'NUMA', 'SecretsMB']),
  // §9.6 Service and ServiceCheck
  ...under('TaskGroups[].Tasks[].Services[].', ['TaskName', 'AddressMode', 'Address', 'EnableTagOverride', 'CanaryTags', 'CheckRestart', 'Connect',
    'Meta', 'CanaryMeta', 'TaggedAddresses', 'OnUpdate', 'Identity', 'Weights', 'Provider', 'Cluster', 'Kind']),
  ...under('TaskGroups[].Tasks[].Services[].Checks[].', ['AddressMode', 'Method', 'Header', 'OnUpdate', 'TaskName', 'CheckRestart']),
  // §9.3 Template
  ...under('TaskGroups[].Tasks[].Templates[].', ['ChangeScript', 'Uid', 'Gid', 'LeftDelim', 'RightDelim', 'Envvars', 'VaultGrace', 'Wait', 'ErrMissingKey', 'Once']),
];

/** §5 TaskState / TaskEvent fields older samples lack. */
const TASK_STATE_FIELDS = ['TaskStates.*.Restarts', 'TaskStates.*.LastRestart', 'TaskStates.*.StartedAt', 'TaskStates.*.FinishedAt', 'TaskStates.*.TaskHandle'];
const TASK_EVENT_FIELDS = under('TaskStates.*.Events[].', ['DisplayMessage', 'Details', 'DiskSize', 'GenericSource']);

/** §5 AllocListStub fields the older stub samples lack. */
const STUB_FIELDS = [
  'Namespace', 'NodeName', 'JobType', 'JobVersion', 'DesiredTransition', 'DeploymentStatus', 'FollowupEvalID', 'NextAllocation', 'RescheduleTracker',
  'PreemptedAllocations', 'PreemptedByAllocation', 'ModifyTime', ...TASK_STATE_FIELDS, ...TASK_EVENT_FIELDS,
];
/** §5: v2.0.5's AllocListStub has no PreviousAllocation (older stubs did). */
const STUB_DROPPED = ['PreviousAllocation'];

/** §4.1 Deployment and DeploymentState fields the older samples lack. */
const DEPLOYMENT_FIELDS = [
  'Namespace', 'JobSpecModifyIndex', 'IsMultiregion', 'EvalPriority', 'CreateTime', 'ModifyTime',
  ...under('TaskGroups.*.', ['AutoRevert', 'AutoPromote', 'ProgressDeadline', 'RequireProgressBy', 'PlacedCanaries']),
];

/** §6 Evaluation fields the older samples lack. */
const EVALUATION_FIELDS = ['Namespace', 'DeploymentID', 'CreateTime', 'ModifyTime'];

/** §3.3 JobRegisterResponse: Warnings string plus the embedded QueryMeta. */
const REGISTER_RESPONSE_FIELDS = ['Warnings', 'Index', 'LastContact', 'KnownLeader', 'NextToken'];

/** §6 AllocMetric fields the older samples lack. */
const METRIC_FIELDS = ['NodePool', 'QuotaExhausted', 'ResourcesExhausted', 'ScoreMetaData'];

/** Per example file: how to compare, and what may differ. */
export const ALLOWANCES: Readonly<Record<string, Case>> = {
  // §3.6 JobListStub and JobSummary (Unknown counts) of v2.0.5.
  'get_v1_jobs.response.json': { extra: [...under('[].', ['Namespace', 'Datacenters', 'NodePool', 'Multiregion', 'Periodic', 'ParameterizedJob', 'Stop', 'SubmitTime']), '[].JobSummary.Summary.*.Unknown'] },
  'get_v1_jobs.filter_example.response.json': { extra: ['[].NodePool', '[].JobSummary.Summary.*.Unknown'] },
  'get_v1_job_id.response.json': { extra: JOB_V2_FIELDS },
  // §3.1: the versions response carries NextToken.
  'get_v1_job_id_versions.response.json': { extra: [...under('Versions[].', JOB_V2_FIELDS), 'NextToken'] },
  'get_v1_job_id_versions_diffs.response.json': { extra: [...under('Versions[].', JOB_V2_FIELDS), 'NextToken'] },
  'get_v1_job_id_submission.response.json': {},
  'get_v1_job_id_summary.response.json': { extra: ['Namespace', 'Summary.*.Unknown'] },
  'get_v1_job_id_scale.response.json': { shape: 'by-group' },
  'get_v1_job_id_allocations.response.json': { extra: under('[].', STUB_FIELDS), missing: under('[].', STUB_DROPPED) },
  'get_v1_deployment_allocations_id.response.json': { extra: under('[].', STUB_FIELDS), missing: under('[].', STUB_DROPPED) },
  'get_v1_evaluation_id_allocations.response.json': { extra: under('[].', STUB_FIELDS), missing: under('[].', STUB_DROPPED) },
  // The 2021 sample is close to v2.0.5; §5 DesiredTransition has two newer flags.
  'get_v1_allocations.response.json': { extra: ['[].DesiredTransition.NoShutdownDelay', '[].DesiredTransition.MigrateDisablePlacement', '[].TaskStates.*.Events[].DiskSize', '[].NextAllocation'] },
  'get_v1_allocation_id.response.json': {
    omitempty: [''], // §1: Allocation is omitempty-encoded
    // NextAllocation/RescheduleTracker are non-zero in the sample only because that allocation was rescheduled;
    // Resources/SharedResources/TaskResources are legacy fields v2 no longer fills (examples/README.md).
    missing: ['NextAllocation', 'RescheduleTracker', 'Resources', 'SharedResources', 'TaskResources'],
    // §5 "Full Allocation adds" and §6 AllocMetric.
    extra: ['Namespace', 'NodeName', 'AllocatedResources', 'DeploymentID', 'DeploymentStatus', 'DesiredTransition', ...under('Metrics.', METRIC_FIELDS), ...TASK_EVENT_FIELDS, 'TaskStates.*.TaskHandle'],
  },
  'get_v1_job_id_evaluations.response.json': { omitempty: ['[]'], extra: under('[].', EVALUATION_FIELDS) },
  'get_v1_evaluations.response.json': { omitempty: ['[]'], extra: under('[].', EVALUATION_FIELDS) },
  // The sample's blocked eval came from a node drain (JobModifyIndex 0, omitted); ours from a job register.
  'get_v1_evaluation_id_related.response.json': { omitempty: [''], extra: ['JobModifyIndex', ...under('FailedTGAllocs.*.', ['NodePool', 'ScoreMetaData'])] },
  'get_v1_job_id_deployment.response.json': { shape: 'by-group', extra: DEPLOYMENT_FIELDS },
  'get_v1_job_id_deployments.response.json': { shape: 'by-group', extra: under('[].', DEPLOYMENT_FIELDS) },
  'get_v1_deployments.response.json': { shape: 'by-group', extra: under('[].', DEPLOYMENT_FIELDS) },
  'get_v1_deployments.filter_example.response.json': { shape: 'by-group', extra: ['[].CreateTime', '[].ModifyTime'] },
  'get_v1_deployment_id.response.json': { shape: 'by-group', extra: DEPLOYMENT_FIELDS },
  // §11: {Timestamp, Gauges, Counters, Samples, Points}.
  'get_v1_metrics.response.json': { extra: ['Timestamp', 'Points'] },
  'get_v1_status_leader.response.json': {},
  'get_v1_event_stream.frame.json': { from: 'event-frame' },
  'post_v1_jobs.response.json': { extra: ['NextToken'] },
  'post_v1_job_id.response.json': { extra: REGISTER_RESPONSE_FIELDS },
  'post_v1_job_id_revert.response.json': { extra: REGISTER_RESPONSE_FIELDS },
  'post_v1_job_id_evaluate.response.json': { extra: REGISTER_RESPONSE_FIELDS },
  'post_v1_job_id_scale.response.json': { extra: ['NextToken'] },
  // §3.3 JobDeregisterResponse.
  'delete_v1_job_id.response.json': { extra: ['VolumeEvalID', 'VolumeEvalIndex', ...REGISTER_RESPONSE_FIELDS.filter((f) => f !== 'Warnings')] },
  'post_v1_job_id_plan.response.json': {
    // examples/README.md: ["..."] arrays in the plan sample are doc placeholders.
    types: ['Diff.Fields[]', 'Diff.Objects[].Fields[]', 'Diff.TaskGroups[].Fields[]', 'Diff.TaskGroups[].Objects[]', 'Diff.TaskGroups[].Tasks[].Objects[]'],
    omitempty: ['CreatedEvals[]'], // §1: Evaluation is omitempty-encoded
    extra: [
      ...under('Annotations.DesiredTGUpdates.*.', ['Canary', 'Preemptions', 'Disconnect', 'Reconnect', 'RescheduleNow', 'RescheduleLater']), // §3.4
      'Annotations.PreemptedAllocs', // §3.4
      ...under('FailedTGAllocs.*.', METRIC_FIELDS), // §6 AllocMetric
      ...under('CreatedEvals[].', ['Namespace', 'CreateTime', 'ModifyTime']), // §6
    ],
  },
  // examples/README.md + §3.1: the server answers {"Index": N}, the docs show {"JobModifyIndex": N}.
  'post_v1_job_id_stable.response_as_documented.json': { missing: ['JobModifyIndex'], extra: ['Index'] },
  // §4: DeploymentUpdateResponse always has RevertedJobVersion (null unless a revert happened).
  'post_v1_deployment_promote_id.response.json': { extra: ['RevertedJobVersion'] },
  'post_v1_deployment_pause_id.response.json': { extra: ['RevertedJobVersion'] },
  'post_v1_deployment_fail_id.response.json': {},
  'post_v1_deployment_allocation_health_id.response.json': {},
};
