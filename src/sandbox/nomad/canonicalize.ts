import type { Json } from './model.ts';

/**
 * Minimal server-side canonicalization (nomad.md §9): fills the defaults Nomad fills so reads look
 * like a real server's, merges the job `Update` into each group, and keeps only Stagger and
 * MaxParallel at job level. Keys the client sent are kept as sent; unknown keys pass through.
 */
export function canonicalizeJob(input: Json, namespace: string): Json {
  const job = structuredClone(input);
  const type = String(job.Type ?? 'service');
  fill(job, {
    Region: 'global', Namespace: namespace, ParentID: '', Name: job.ID, Type: type, Priority: 50, AllAtOnce: false,
    Datacenters: ['*'], NodePool: 'default', Constraints: null, Affinities: null, Spreads: null, Multiregion: null,
    Periodic: null, ParameterizedJob: null, Dispatched: false, DispatchIdempotencyToken: '', Payload: null, Meta: null,
    ConsulNamespace: '', VaultNamespace: '', NomadTokenID: '', Stop: false, UI: null, VersionTag: null,
  });
  job.Namespace = namespace;
  if (Array.isArray(job.Datacenters) && job.Datacenters.length === 0) job.Datacenters = ['*'];
  const jobUpdate = (job.Update as Json | null | undefined) ?? null;
  const groups = Array.isArray(job.TaskGroups) ? (job.TaskGroups as Json[]) : [];
  job.TaskGroups = groups.map((group) => canonicalizeGroup(group, { job, type, jobUpdate }));
  job.Update = jobLevelUpdate(type, jobUpdate);
  delete job.Reschedule;
  delete job.Migrate;
  return job;
}

const SECOND = 1e9;
const MINUTE = 60 * SECOND;

/** `DefaultUpdateStrategy`. */
const DEFAULT_UPDATE: Json = {
  Stagger: 30 * SECOND, MaxParallel: 1, HealthCheck: 'checks', MinHealthyTime: 10 * SECOND, HealthyDeadline: 5 * MINUTE,
  ProgressDeadline: 10 * MINUTE, AutoRevert: false, AutoPromote: false, Canary: 0,
};

function jobLevelUpdate(type: string, update: Json | null): Json {
  const maxParallel = typeof update?.MaxParallel === 'number' ? update.MaxParallel : type === 'service' || type === 'system' ? 1 : 0;
  const stagger = typeof update?.Stagger === 'number' ? update.Stagger : 30 * SECOND;
  // Only Stagger and MaxParallel survive at job level; all zero when MaxParallel is 0 (§9.5).
  const zero = { ...DEFAULT_UPDATE, Stagger: 0, MaxParallel: 0, HealthCheck: '', MinHealthyTime: 0, HealthyDeadline: 0, ProgressDeadline: 0, Canary: 0 };
  return maxParallel === 0 ? zero : { ...zero, Stagger: stagger, MaxParallel: maxParallel };
}

interface GroupContext {
  readonly job: Json;
  readonly type: string;
  readonly jobUpdate: Json | null;
}

function canonicalizeGroup(group: Json, ctx: GroupContext): Json {
  const batchLike = ctx.type === 'batch' || ctx.type === 'sysbatch';
  const scaling = group.Scaling as Json | null | undefined;
  const restart = batchLike
    ? { Attempts: 3, Interval: 24 * 60 * MINUTE, Delay: 15 * SECOND, Mode: 'fail', RenderTemplates: false }
    : { Attempts: 2, Interval: 30 * MINUTE, Delay: 15 * SECOND, Mode: 'fail', RenderTemplates: false };
  fill(group, {
    Count: typeof scaling?.Min === 'number' ? scaling.Min : 1, Constraints: null, Affinities: null, Spreads: null, Volumes: null,
    RestartPolicy: restart, ReschedulePolicy: reschedulePolicy(ctx), EphemeralDisk: { Sticky: false, SizeMB: 300, Migrate: false },
    Migrate: ctx.type === 'service' ? ctx.job.Migrate ?? { MaxParallel: 1, HealthCheck: 'checks', MinHealthyTime: 10 * SECOND, HealthyDeadline: 5 * MINUTE } : null,
    Networks: null, Services: null, Meta: null, ShutdownDelay: null, StopAfterClientDisconnect: null, MaxClientDisconnect: null,
    Disconnect: null, Scaling: null, Consul: null, PreventRescheduleOnLost: false,
  });
  fill(group.RestartPolicy as Json, restart);
  group.Update = groupUpdate(group.Update as Json | null | undefined, ctx);
  const groupRestart = group.RestartPolicy as Json;
  const tasks = Array.isArray(group.Tasks) ? (group.Tasks as Json[]) : [];
  group.Tasks = tasks.map((task) => canonicalizeTask(task, groupRestart));
  group.Services = canonicalizeServices(group.Services, `${String(ctx.job.ID)}-${String(group.Name)}`);
  for (const network of (group.Networks as Json[] | null) ?? []) canonicalizeNetwork(network);
  return group;
}

function reschedulePolicy(ctx: GroupContext): Json | null {
  if (ctx.type === 'system' || ctx.type === 'sysbatch') return null;
  const jobLevel = (ctx.job.Reschedule as Json | undefined) ?? {};
  const base = ctx.type === 'batch'
    ? { Attempts: 1, Interval: 24 * 60 * MINUTE, Delay: 5 * SECOND, DelayFunction: 'constant', MaxDelay: 0, Unlimited: false }
    : { Attempts: 0, Interval: 0, Delay: 30 * SECOND, DelayFunction: 'exponential', MaxDelay: 60 * MINUTE, Unlimited: true };
  return { ...base, ...jobLevel };
}

function groupUpdate(update: Json | null | undefined, ctx: GroupContext): Json | null {
  if (ctx.type !== 'service' && ctx.type !== 'system') return update ?? null;
  // Group fields win over job fields, which win over the defaults.
  return { ...DEFAULT_UPDATE, ...(ctx.jobUpdate ?? {}), ...(update ?? {}) };
}

function canonicalizeTask(task: Json, groupRestart: Json): Json {
  fill(task, {
    User: '', Config: null, Env: null, Services: null, Vault: null, Templates: null, Constraints: null, Affinities: null,
    RestartPolicy: structuredClone(groupRestart), DispatchPayload: null, Lifecycle: null, Meta: null, KillTimeout: 5 * SECOND,
    LogConfig: { MaxFiles: 10, MaxFileSizeMB: 10, Disabled: false }, Artifacts: null, Leader: false, ShutdownDelay: 0,
    VolumeMounts: null, ScalingPolicies: null, KillSignal: '', Kind: '', CSIPluginConfig: null, Identity: null, Identities: null,
    Actions: null, Schedule: null, Consul: null, Secrets: null, Resources: {},
  });
  fill(task.Resources as Json, { CPU: 100, Cores: 0, MemoryMB: 300, MemoryMaxMB: 0, DiskMB: 0, IOPS: 0, Networks: null, Devices: null, NUMA: null, SecretsMB: 0 });
  if (task.Vault) {
    fill(task.Vault as Json, { Role: '', Namespace: '', Cluster: 'default', Env: true, DisableFile: false, ChangeMode: 'restart', ChangeSignal: 'SIGHUP', AllowTokenExpiration: false });
    // Vault.Policies is dropped server-side since 1.10 (workload identity only).
    delete (task.Vault as Json).Policies;
  }
  for (const template of (task.Templates as Json[] | null) ?? []) canonicalizeTemplate(template);
  task.Services = canonicalizeServices(task.Services, '');
  return task;
}

function canonicalizeTemplate(template: Json): void {
  fill(template, {
    SourcePath: '', DestPath: '', EmbeddedTmpl: '', ChangeMode: 'restart', ChangeSignal: '', ChangeScript: null, Splay: 5 * SECOND,
    Perms: '0644', Uid: null, Gid: null, LeftDelim: '{{', RightDelim: '}}', Envvars: false, VaultGrace: 0, Wait: null,
    ErrMissingKey: false, Once: false,
  });
}

function canonicalizeServices(services: unknown, defaultName: string): Json[] | null {
  if (!Array.isArray(services) || services.length === 0) return null;
  return (services as Json[]).map((service) => {
    fill(service, {
      Name: defaultName, TaskName: '', PortLabel: '', AddressMode: 'auto', Address: '', EnableTagOverride: false, Tags: null,
      CanaryTags: null, Checks: null, CheckRestart: null, Connect: null, Meta: null, CanaryMeta: null, TaggedAddresses: null,
      OnUpdate: 'require_healthy', Identity: null, Weights: null, Provider: 'consul', Cluster: 'default', Kind: '',
    });
    for (const check of (service.Checks as Json[] | null) ?? []) {
      fill(check, { Command: '', Args: null, Path: '', Protocol: '', PortLabel: '', AddressMode: '', InitialStatus: '', Method: '', Header: null, OnUpdate: 'require_healthy', TaskName: '', CheckRestart: null });
    }
    return service;
  });
}

function canonicalizeNetwork(network: Json): void {
  fill(network, { Mode: '', Device: '', CIDR: '', IP: '', Hostname: '', MBits: 0, DNS: null, ReservedPorts: null, DynamicPorts: null, CNI: null });
  for (const port of [...((network.ReservedPorts as Json[] | null) ?? []), ...((network.DynamicPorts as Json[] | null) ?? [])]) {
    fill(port, { Value: 0, To: 0, HostNetwork: 'default', IgnoreCollision: false });
  }
}

/** Sets every key of `defaults` that `target` lacks (or has as null, where the default is not null). */
function fill(target: Json, defaults: Json): void {
  for (const [key, value] of Object.entries(defaults)) {
    if (target[key] === undefined || (target[key] === null && value !== null)) target[key] = structuredCloneSafe(value);
  }
}

function structuredCloneSafe(value: unknown): unknown {
  return value !== null && typeof value === 'object' ? structuredClone(value) : value;
}
