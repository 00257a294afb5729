/**
 * Nomad's JSON job model as `POST /v1/jobs` accepts it: PascalCase Go field names, durations in
 * integer nanoseconds. Only the fields drover writes; Nomad canonicalizes the rest.
 * No logic here. Source: shared/reference/nomad.md §9.
 */
export type Nanoseconds = number;

export interface NomadJob {
  ID: string;
  Name: string;
  Type: 'service' | 'batch' | 'system' | 'sysbatch';
  Region?: string;
  Namespace?: string;
  Priority?: number;
  Datacenters?: string[];
  NodePool?: string;
  Constraints?: NomadConstraint[];
  Affinities?: NomadAffinity[];
  Spreads?: NomadSpread[];
  Update?: NomadUpdateStrategy;
  Periodic?: NomadPeriodic;
  ParameterizedJob?: NomadParameterizedJob;
  Meta?: Record<string, string>;
  UI?: { Description?: string; Links?: { Label: string; URL: string }[] };
  TaskGroups: NomadTaskGroup[];
}

export interface NomadConstraint { LTarget?: string; RTarget?: string; Operand: string }
export interface NomadAffinity { LTarget: string; RTarget: string; Operand: string; Weight: number }
export interface NomadSpread { Attribute: string; Weight: number; SpreadTarget?: { Value: string; Percent: number }[] }

export interface NomadUpdateStrategy {
  MaxParallel?: number;
  HealthCheck?: string;
  MinHealthyTime?: Nanoseconds;
  HealthyDeadline?: Nanoseconds;
  ProgressDeadline?: Nanoseconds;
  AutoRevert?: boolean;
  AutoPromote?: boolean;
  Canary?: number;
}

export interface NomadPeriodic { Enabled: boolean; Spec?: string; Specs?: string[]; SpecType: 'cron'; ProhibitOverlap: boolean; TimeZone: string }
export interface NomadParameterizedJob { Payload: string; MetaRequired?: string[]; MetaOptional?: string[] }

export interface NomadTaskGroup {
  Name: string;
  Count: number;
  Constraints?: NomadConstraint[];
  Affinities?: NomadAffinity[];
  Spreads?: NomadSpread[];
  Tasks: NomadTask[];
  Volumes?: Record<string, NomadVolumeRequest>;
  RestartPolicy?: { Attempts: number; Interval: Nanoseconds; Delay: Nanoseconds; Mode: string };
  ReschedulePolicy?: NomadReschedulePolicy;
  EphemeralDisk?: { SizeMB: number };
  Update?: NomadUpdateStrategy;
  Migrate?: { MaxParallel: number; HealthCheck: string; MinHealthyTime: Nanoseconds; HealthyDeadline: Nanoseconds };
  Networks?: NomadNetwork[];
  Services?: NomadService[];
  Meta?: Record<string, string>;
  ShutdownDelay?: Nanoseconds;
  Scaling?: NomadScaling;
}

export interface NomadReschedulePolicy {
  Attempts?: number;
  Interval?: Nanoseconds;
  Delay: Nanoseconds;
  DelayFunction?: string;
  MaxDelay?: Nanoseconds;
  Unlimited?: boolean;
}

export interface NomadVolumeRequest {
  Name: string;
  Type: 'host' | 'csi';
  Source: string;
  ReadOnly: boolean;
  AccessMode?: string;
  AttachmentMode?: string;
  PerAlloc?: boolean;
}

export interface NomadNetwork { Mode?: string; ReservedPorts?: NomadPort[]; DynamicPorts?: NomadPort[] }
export interface NomadPort { Label: string; Value: number; To?: number; HostNetwork?: string }

export interface NomadScaling { Min: number; Max: number; Enabled: boolean; Policy?: Record<string, unknown> }

export interface NomadService {
  Name: string;
  PortLabel: string;
  Provider: 'consul';
  Tags?: string[];
  CanaryTags?: string[];
  Meta?: Record<string, string>;
  Checks?: NomadServiceCheck[];
}

export interface NomadServiceCheck {
  Name: string;
  Type: 'http' | 'tcp' | 'grpc' | 'script';
  Interval: Nanoseconds;
  Timeout: Nanoseconds;
  PortLabel?: string;
  Path?: string;
  Method?: string;
  Protocol?: string;
  TLSSkipVerify?: boolean;
  GRPCService?: string;
  GRPCUseTLS?: boolean;
  Command?: string;
  Args?: string[];
  TaskName?: string;
  CheckRestart?: { Limit: number; Grace: Nanoseconds; IgnoreWarnings: boolean };
}

export interface NomadTask {
  Name: string;
  Driver: string;
  User?: string;
  Config: Record<string, unknown>;
  Env?: Record<string, string>;
  Resources: { CPU: number; MemoryMB: number; MemoryMaxMB?: number };
  Templates?: NomadTemplate[];
  Vault?: NomadVault;
  Consul?: NomadConsul;
  Artifacts?: NomadArtifact[];
  Lifecycle?: { Hook: string; Sidecar: boolean };
  VolumeMounts?: { Volume: string; Destination: string; ReadOnly: boolean }[];
  KillTimeout?: Nanoseconds;
  KillSignal?: string;
  LogConfig?: { MaxFiles: number; MaxFileSizeMB: number };
  Leader?: boolean;
  Meta?: Record<string, string>;
}

export interface NomadTemplate {
  DestPath: string;
  EmbeddedTmpl: string;
  ChangeMode: string;
  ChangeSignal?: string;
  Envvars: boolean;
  ErrMissingKey: boolean;
  Perms?: string;
}

/**
 * Task `consul` block: with it (and the servers' `consul.task_identity`) Nomad adds the identity
 * `consul_<Cluster>` and logs the task in to Consul with it.
 */
export interface NomadConsul { Cluster: string }

/** Workload-identity Vault block: Nomad ≥1.10 ignores `Policies`; the JWT role grants them. */
export interface NomadVault { Role: string; ChangeMode: string; Env: boolean }

export interface NomadArtifact { GetterSource: string; RelativeDest: string; GetterMode?: string; GetterOptions?: Record<string, string> }

/** Body of `POST /v1/jobs`. */
export interface NomadJobRegisterRequest {
  Job: NomadJob;
  EnforceIndex?: boolean;
  JobModifyIndex?: number;
  PreserveCounts?: boolean;
  Submission?: { Source: string; Format: 'hcl2' | 'json'; VariableFlags?: Record<string, string> };
}
