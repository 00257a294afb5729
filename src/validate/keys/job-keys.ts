import type { CanaryAnalysisOverrides, CanaryMetric, MigratePolicy, ReschedulePolicy, RestartPolicy, UpdatePolicy } from '../../model/policies.ts';
import type { Affinity, Constraint, Spread } from '../../model/placement.ts';
import type { GroupSpec, JobSpec, ParameterizedSpec, PeriodicSpec, PortSpec } from '../../model/job.ts';
import type { HttpRoute, RedirectRoute, TcpRoute } from '../../model/route.ts';
import type { ScalingSpec } from '../../model/scaling.ts';
import type { ChangeMode, ConsulKeyRef, FileTemplate, SecretRef } from '../../model/secret.ts';
import type { CheckRestart, ServiceCheck, ServiceDependency, ServiceSpec } from '../../model/service.ts';
import type { SmokeCheck } from '../../model/smoke.ts';
import type { Artifact, DockerDriver, ExecDriver, JavaDriver, Lifecycle, Resources, TaskDriver, TaskSpec } from '../../model/task.ts';
import type { VolumeMount, VolumeSpec } from '../../model/volume.ts';
import { arrayOf, leaf, object, recordOf, type KeyShape, type KeysOfUnion } from './shape.ts';

/**
 * The keys of a job spec, as a value. Each `satisfies Record<…, KeyShape>` makes tsc fail when
 * the interface in `src/model/` gains or loses a key and this table does not follow.
 */

type Fields<K extends PropertyKey> = Readonly<Record<K, KeyShape>>;
/** Keys only some members of a union have, beyond those all members share. */
type Extra<U, Member> = Exclude<KeysOfUnion<Member>, keyof U>;

const constraint = object({ attribute: leaf, operator: leaf, value: leaf } satisfies Fields<keyof Constraint>);
const affinity = object({ attribute: leaf, operator: leaf, value: leaf, weight: leaf } satisfies Fields<keyof Affinity>);
const spread = object({ attribute: leaf, weight: leaf, targets: leaf } satisfies Fields<keyof Spread>);

const metric = object({ name: leaf, query: leaf, max: leaf } satisfies Fields<keyof CanaryMetric>);
const analysis = object({
  steps: leaf, interval: leaf, count: leaf, failureLimit: leaf, maxErrorRatio: leaf, maxP99Latency: leaf, confidence: leaf, window: leaf,
  metrics: arrayOf(metric),
} satisfies Fields<keyof CanaryAnalysisOverrides>);

const updateCommon = {
  strategy: leaf, maxParallel: leaf, healthCheck: leaf, minHealthyTime: leaf, healthyDeadline: leaf, progressDeadline: leaf, autoRevert: leaf,
} satisfies Fields<keyof UpdatePolicy>;
type CanaryUpdate = Extract<UpdatePolicy, { strategy: 'canary' }>;
/** @see UpdatePolicy */
export const updateShape: KeyShape = {
  kind: 'union',
  discriminant: 'strategy',
  variants: {
    rolling: updateCommon satisfies Fields<KeysOfUnion<Extract<UpdatePolicy, { strategy: 'rolling' }>>>,
    canary: { ...updateCommon, ...({ canaries: leaf, promotion: leaf, analysis } satisfies Fields<Extra<UpdatePolicy, CanaryUpdate>>) },
  } satisfies Record<UpdatePolicy['strategy'], Fields<string>>,
};

const restart = object({ attempts: leaf, interval: leaf, delay: leaf, mode: leaf } satisfies Fields<keyof RestartPolicy>);
const reschedule = object({ attempts: leaf, interval: leaf, delay: leaf, delayFunction: leaf, maxDelay: leaf, unlimited: leaf } satisfies Fields<keyof ReschedulePolicy>);
const migrate = object({ maxParallel: leaf, healthCheck: leaf, minHealthyTime: leaf, healthyDeadline: leaf } satisfies Fields<keyof MigratePolicy>);

const checkCommon = { type: leaf, name: leaf, interval: leaf, timeout: leaf, port: leaf, restart: object({ limit: leaf, grace: leaf, ignoreWarnings: leaf } satisfies Fields<keyof CheckRestart>) } satisfies Fields<keyof ServiceCheck>;
type Check<T extends ServiceCheck['type']> = Extract<ServiceCheck, { type: T }>;
const check: KeyShape = {
  kind: 'union',
  discriminant: 'type',
  variants: {
    http: { ...checkCommon, ...({ path: leaf, method: leaf, protocol: leaf, tlsSkipVerify: leaf } satisfies Fields<Extra<ServiceCheck, Check<'http'>>>) },
    tcp: checkCommon satisfies Fields<KeysOfUnion<Check<'tcp'>>>,
    grpc: { ...checkCommon, ...({ grpcService: leaf, grpcUseTls: leaf } satisfies Fields<Extra<ServiceCheck, Check<'grpc'>>>) },
    script: { ...checkCommon, ...({ command: leaf, args: leaf, task: leaf } satisfies Fields<Extra<ServiceCheck, Check<'script'>>>) },
  } satisfies Record<ServiceCheck['type'], Fields<string>>,
};

const route: KeyShape = {
  kind: 'union',
  discriminant: 'kind',
  fallback: 'http',
  variants: {
    http: { kind: leaf, host: leaf, path: leaf, strip: leaf, proto: leaf, tlsSkipVerify: leaf } satisfies Fields<keyof HttpRoute>,
    tcp: { kind: leaf, port: leaf } satisfies Fields<keyof TcpRoute>,
    redirect: { kind: leaf, host: leaf, path: leaf, code: leaf, to: leaf } satisfies Fields<keyof RedirectRoute>,
  },
};

const service = object({
  name: leaf, port: leaf, tags: leaf, meta: leaf, checks: arrayOf(check), routes: arrayOf(route), routeCanaries: leaf,
} satisfies Fields<keyof ServiceSpec>);

type Target = ScalingSpec['target'];
const scaling = object({
  min: leaf, max: leaf, cooldown: leaf, evaluationInterval: leaf,
  target: {
    kind: 'union',
    discriminant: 'kind',
    variants: {
      cpu: { kind: leaf, percent: leaf } satisfies Fields<KeysOfUnion<Extract<Target, { kind: 'cpu' }>>>,
      prometheus: { kind: leaf, query: leaf, value: leaf } satisfies Fields<KeysOfUnion<Extract<Target, { kind: 'prometheus' }>>>,
    } satisfies Record<Target['kind'], Fields<string>>,
  },
} satisfies Fields<keyof ScalingSpec>);

const volumeCommon = { type: leaf, source: leaf, readOnly: leaf } satisfies Fields<keyof VolumeSpec>;
const volume: KeyShape = {
  kind: 'union',
  discriminant: 'type',
  variants: {
    host: volumeCommon satisfies Fields<KeysOfUnion<Extract<VolumeSpec, { type: 'host' }>>>,
    csi: { ...volumeCommon, ...({ accessMode: leaf, attachmentMode: leaf, perAlloc: leaf } satisfies Fields<Extra<VolumeSpec, Extract<VolumeSpec, { type: 'csi' }>>>) },
  } satisfies Record<VolumeSpec['type'], Fields<string>>,
};

const changeMode: KeyShape = {
  kind: 'union',
  discriminant: 'mode',
  variants: {
    restart: { mode: leaf } satisfies Fields<KeysOfUnion<Extract<ChangeMode, { mode: 'restart' }>>>,
    noop: { mode: leaf } satisfies Fields<KeysOfUnion<Extract<ChangeMode, { mode: 'noop' }>>>,
    signal: { mode: leaf, signal: leaf } satisfies Fields<KeysOfUnion<Extract<ChangeMode, { mode: 'signal' }>>>,
  } satisfies Record<ChangeMode['mode'], Fields<string>>,
};

/** Keys every task has, whatever its driver. */
const taskCommon = {
  name: leaf, env: leaf, user: leaf, meta: leaf, leader: leaf, killTimeout: leaf, killSignal: leaf,
  resources: object({ cpu: leaf, memoryMb: leaf, memoryMaxMb: leaf } satisfies Fields<keyof Resources>),
  secrets: arrayOf(object({ env: leaf, path: leaf, key: leaf, mount: leaf } satisfies Fields<keyof SecretRef>)),
  config: arrayOf(object({ env: leaf, key: leaf } satisfies Fields<keyof ConsulKeyRef>)),
  consulIdentity: leaf,
  templates: arrayOf(object({ destination: leaf, data: leaf, onChange: changeMode, perms: leaf } satisfies Fields<keyof FileTemplate>)),
  artifacts: arrayOf(object({ source: leaf, destination: leaf, mode: leaf, options: leaf } satisfies Fields<keyof Artifact>)),
  lifecycle: object({ hook: leaf, sidecar: leaf } satisfies Fields<keyof Lifecycle>),
  volumeMounts: arrayOf(object({ volume: leaf, destination: leaf, readOnly: leaf } satisfies Fields<keyof VolumeMount>)),
  logs: object({ maxFiles: leaf, maxFileSizeMb: leaf } satisfies Fields<keyof NonNullable<TaskSpec['logs']>>),
} satisfies Fields<Exclude<keyof TaskSpec, keyof TaskDriver>>;
const docker = { driver: leaf, image: leaf, command: leaf, args: leaf, entrypoint: leaf, ports: leaf, extra: leaf } satisfies Fields<keyof DockerDriver>;
const exec = { driver: leaf, command: leaf, args: leaf, workDir: leaf } satisfies Fields<keyof ExecDriver>;
const task: KeyShape = {
  kind: 'union',
  discriminant: 'driver',
  fallback: 'docker',
  variants: {
    docker: { ...docker, ...taskCommon },
    exec: { ...exec, ...taskCommon },
    raw_exec: { ...exec, ...taskCommon },
    java: { ...({ driver: leaf, jarPath: leaf, jvmOptions: leaf, args: leaf } satisfies Fields<keyof JavaDriver>), ...taskCommon },
  } satisfies Record<NonNullable<TaskDriver['driver']>, Fields<string>>,
};

const group = object({
  name: leaf, count: leaf, networkMode: leaf, meta: leaf, shutdownDelay: leaf, ephemeralDiskMb: leaf,
  ports: recordOf(object({ static: leaf, to: leaf, hostNetwork: leaf } satisfies Fields<keyof PortSpec>)),
  services: arrayOf(service),
  waitFor: arrayOf(object({ service: leaf } satisfies Fields<keyof ServiceDependency>)),
  tasks: arrayOf(task),
  volumes: recordOf(volume),
  scaling,
  update: updateShape,
  restart,
  reschedule,
  migrate,
  constraints: arrayOf(constraint),
  affinities: arrayOf(affinity),
  spreads: arrayOf(spread),
} satisfies Fields<keyof GroupSpec>);

const smoke = object({
  name: leaf, via: leaf, path: leaf, method: leaf, host: leaf, expectStatus: leaf, bodyPattern: leaf, maxLatencyMs: leaf, retries: leaf, retryDelayMs: leaf,
} satisfies Fields<keyof SmokeCheck>);

const jobCommon = {
  id: leaf, kind: leaf, description: leaf, owner: leaf, priority: leaf, dependsOn: leaf, meta: leaf, datacenters: leaf,
  groups: arrayOf(group),
  update: updateShape,
  constraints: arrayOf(constraint),
  affinities: arrayOf(affinity),
  spreads: arrayOf(spread),
  links: arrayOf(object({ label: leaf, url: leaf } satisfies Fields<keyof NonNullable<JobSpec['links']>[number]>)),
  smoke: arrayOf(smoke),
} satisfies Fields<keyof JobSpec>;
type BatchJob = Extract<JobSpec, { kind: 'batch' }>;

/** Every key a job spec may have, by `kind`. @see JobSpec */
export const jobShape: KeyShape = {
  kind: 'union',
  discriminant: 'kind',
  variants: {
    service: jobCommon satisfies Fields<KeysOfUnion<Extract<JobSpec, { kind: 'service' }>>>,
    system: jobCommon satisfies Fields<KeysOfUnion<Extract<JobSpec, { kind: 'system' }>>>,
    batch: {
      ...jobCommon,
      ...({
        periodic: object({ crons: leaf, timeZone: leaf, prohibitOverlap: leaf } satisfies Fields<keyof PeriodicSpec>),
        parameterized: object({ payload: leaf, metaRequired: leaf, metaOptional: leaf } satisfies Fields<keyof ParameterizedSpec>),
      } satisfies Fields<Extra<JobSpec, BatchJob>>),
    },
  } satisfies Record<JobSpec['kind'], Fields<string>>,
};
