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
  canonicalizeUi(job.UI as Json | null);
  if (Array.isArray(job.Datacenters) && job.Datacenters.length === 0) job.Datacenters = ['*'];
  // /v1/jobs/parse answers NodePool "" and the server's register hook fills the pool in, so an
  // empty pool is the default one (seen on Nomad 2.0.5: test/fixtures/recorded/nomad/).
  if (job.NodePool === '') job.NodePool = 'default';
  const jobUpdate = (job.Update as Json | null | undefined) ?? null;
  const groups = Array.isArray(job.TaskGroups) ? (job.TaskGroups as Json[]) : [];
  job.TaskGroups = groups.map((group) => canonicalizeGroup(group, { job, type, jobUpdate }));
  job.Update = jobLevelUpdate(type, jobUpdate);
  delete job.Reschedule;
  delete job.Migrate;
  return job;
}

/**
 * The server's JobUILink field is Url and its JSON decoding matches names case-insensitively, so a
 * link sent with URL reads back under Url (test/fixtures/recorded/nomad/rendered/qa/api.json).
 */
function canonicalizeUi(ui: Json | null): void {
  if (!ui || !Array.isArray(ui.Links)) return;
  ui.Links = (ui.Links as Json[]).map(({ URL, Url, ...link }) => ({ ...link, Url: Url ?? URL ?? '' }));
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
  group.Tasks = tasks.map((task) => canonicalizeTask(task, groupRestart, String(ctx.job.Namespace)));
  group.Services = canonicalizeServices(group.Services, `${String(ctx.job.ID)}-${String(group.Name)}`, String(ctx.job.Namespace));
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

function canonicalizeTask(task: Json, groupRestart: Json, namespace: string): Json {
  fill(task, {
    User: '', Config: null, Env: null, Services: null, Vault: null, Templates: null, Constraints: null, Affinities: null,
    RestartPolicy: structuredClone(groupRestart), DispatchPayload: null, Lifecycle: null, Meta: null, KillTimeout: 5 * SECOND,
    LogConfig: { MaxFiles: 10, MaxFileSizeMB: 10, Disabled: false }, Artifacts: null, Leader: false, ShutdownDelay: 0,
    VolumeMounts: null, ScalingPolicies: null, KillSignal: '', Kind: '', CSIPluginConfig: null, Identity: null, Identities: null,
    Actions: null, Schedule: null, Consul: null, Secrets: null, Resources: {},
  });
  // LogConfig.Enabled exists only in the API package: the server's struct drops it.
  delete (task.LogConfig as Json).Enabled;
  fill(task.Resources as Json, { CPU: 100, Cores: 0, MemoryMB: 300, MemoryMaxMB: 0, DiskMB: 0, IOPS: 0, Networks: null, Devices: null, NUMA: null, SecretsMB: 0 });
  if (task.Vault) {
    fill(task.Vault as Json, { Role: '', Namespace: '', Cluster: 'default', Env: true, DisableFile: false, ChangeMode: 'restart', ChangeSignal: 'SIGHUP', AllowTokenExpiration: false });
    // Vault.Policies is dropped server-side since 1.10 (workload identity only).
    delete (task.Vault as Json).Policies;
  }
  if (task.Consul) fill(task.Consul as Json, { Namespace: '', Cluster: 'default', Partition: '' });
  for (const template of (task.Templates as Json[] | null) ?? []) canonicalizeTemplate(template);
  task.Services = canonicalizeServices(task.Services, '', namespace);
  return task;
}

function canonicalizeTemplate(template: Json): void {
  fill(template, {
    SourcePath: '', DestPath: '', EmbeddedTmpl: '', ChangeMode: 'restart', ChangeSignal: '', ChangeScript: null, Splay: 5 * SECOND,
    Perms: '0644', Uid: null, Gid: null, LeftDelim: '{{', RightDelim: '}}', Envvars: false, VaultGrace: 0, Wait: null,
    ErrMissingKey: false, Once: false,
  });
}

/**
 * Services as a Nomad 2.0.5 server reads them back (test/fixtures/recorded/nomad/get_v1_job_id.json):
 * with the job's Namespace, and without a service-level CheckRestart, which the API's Canonicalize
 * merges into each check (a check's own fields win) before the server's struct, which has none.
 */
function canonicalizeServices(services: unknown, defaultName: string, namespace: string): Json[] | null {
  if (!Array.isArray(services) || services.length === 0) return null;
  return (services as Json[]).map((service) => {
    fill(service, {
      Name: defaultName, TaskName: '', PortLabel: '', AddressMode: 'auto', Address: '', EnableTagOverride: false, Tags: null,
      CanaryTags: null, Checks: null, Connect: null, Meta: null, CanaryMeta: null, TaggedAddresses: null,
      OnUpdate: 'require_healthy', Identity: null, Weights: null, Provider: 'consul', Cluster: 'default', Kind: '', Namespace: namespace,
    });
    const serviceRestart = (service.CheckRestart as Json | null | undefined) ?? null;
    delete service.CheckRestart;
    for (const check of (service.Checks as Json[] | null) ?? []) {
      if (serviceRestart) check.CheckRestart = { ...serviceRestart, ...((check.CheckRestart as Json | null | undefined) ?? {}) };
      fill(check, { Command: '', Args: null, Path: '', Protocol: '', PortLabel: '', AddressMode: '', InitialStatus: '', Method: '', Header: null, OnUpdate: 'require_healthy', TaskName: '', CheckRestart: null });
    }
    return service;
  });
}

/**
 * NetworkResource and Port encode every field with omitempty: a Nomad 2.0.5 server reads back a
 * network with only the fields that hold a value, and each port with its HostNetwork filled in
 * (test/fixtures/recorded/nomad/get_v1_job_id.json).
 */
function canonicalizeNetwork(network: Json): void {
  dropZero(network);
  for (const port of [...((network.ReservedPorts as Json[] | null) ?? []), ...((network.DynamicPorts as Json[] | null) ?? [])]) {
    if (!port.HostNetwork) port.HostNetwork = 'default';
    dropZero(port);
  }
}

function dropZero(object: Json): void {
  for (const [key, value] of Object.entries(object)) {
    if (value === null || value === '' || value === 0 || value === false || (Array.isArray(value) && value.length === 0)) delete object[key];
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
