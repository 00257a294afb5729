import { createHash } from 'node:crypto';
import type { ConsulServiceRegistration } from '../consul/index.ts';
import type { Allocation, Json, SimNode } from './model.ts';
import type { ConsulSink } from './runtime-types.ts';

/** Consul check status of a simulated service. */
export type CheckStatus = 'passing' | 'critical';

/** Where a failing check probes: for its output text. */
export interface FailingCheck {
  readonly type: string;
  readonly address: string;
  readonly port: number;
  readonly path: string;
}

/**
 * What a Consul 1.8 agent writes for a check answered by a 503 (an HTTP check's
 * `HTTP GET <url>: <status> Output: <body>`, seen on a real agent), or refused (TCP).
 */
export function consulHttp503(check: FailingCheck): string {
  if (check.type === 'tcp') return `dial tcp ${check.address}:${check.port}: connect: connection refused`;
  return `HTTP GET http://${check.address}:${check.port}${check.path}: 503 Service Unavailable Output: service unavailable`;
}

/** Options of a registration: canary tags, check status, and the failing checks' output. */
export interface RegisterOptions {
  readonly canary: boolean;
  readonly checks: CheckStatus;
  readonly output?: string | ((check: FailingCheck) => string);
}

/**
 * Registers the Consul-provider services of an allocation the way the Nomad client does: IDs
 * `_nomad-task-<alloc>-<task|group-<group>>-<service>-<port label>`, `CanaryTags` instead of
 * `Tags` (and `CanaryMeta`) while the allocation is an unpromoted canary, meta
 * `external-source=nomad`, checks registered `critical` until they pass.
 */
export function registrations(alloc: Allocation, node: SimNode, options: RegisterOptions): ConsulServiceRegistration[] {
  const group = alloc.Job.TaskGroups.find((g) => g.Name === alloc.TaskGroup);
  if (!group) return [];
  const owned: { owner: string; service: Json }[] = [
    ...services(group.Services).map((service) => ({ owner: `group-${alloc.TaskGroup}`, service })),
    ...((group.Tasks as Json[] | null) ?? []).flatMap((task) => services(task.Services).map((service) => ({ owner: String(task.Name), service }))),
  ];
  return owned.filter(({ service }) => service.Provider !== 'nomad').map(({ owner, service }) => toRegistration(alloc, node, { owner, service, ...options }));
}

function services(value: unknown): Json[] {
  return Array.isArray(value) ? (value as Json[]) : [];
}

function toRegistration(
  alloc: Allocation,
  node: SimNode,
  ctx: RegisterOptions & { owner: string; service: Json },
): ConsulServiceRegistration {
  const { service } = ctx;
  const portLabel = String(service.PortLabel ?? '');
  const id = `_nomad-task-${alloc.ID}-${ctx.owner}-${String(service.Name)}-${portLabel}`;
  const port = portOf(alloc, portLabel);
  const output = (check: Json): string => {
    if (typeof ctx.output === 'function') return ctx.output({ type: String(check.Type ?? ''), address: node.Address, port, path: String(check.Path ?? '') });
    return ctx.output ?? (ctx.checks === 'passing' ? 'HTTP GET: 200 OK' : '');
  };
  const canaryTags = ctx.canary && Array.isArray(service.CanaryTags) && service.CanaryTags.length > 0;
  const tags = (canaryTags ? service.CanaryTags : service.Tags) as string[] | null;
  const meta = (ctx.canary && service.CanaryMeta ? service.CanaryMeta : service.Meta) as Record<string, string> | null;
  return {
    id,
    name: String(service.Name),
    tags: tags ?? [],
    address: node.Address,
    port,
    meta: { ...interpolateMeta(meta ?? {}, alloc, node), 'external-source': 'nomad' },
    checks: ((service.Checks as Json[] | null) ?? []).map((check) => ({
      id: `_nomad-check-${createHash('sha1').update(`${id}${String(check.Name)}`).digest('hex')}`,
      name: String(check.Name ?? `service: "${String(service.Name)}" check`),
      status: ctx.checks,
      output: output(check),
      type: String(check.Type ?? ''),
    })),
    node: { name: node.Name, address: node.Address, id: node.ID },
  };
}

/**
 * Service meta as a Nomad client registers it: values are interpolated with the node's attributes
 * and the allocation's runtime variables (client/taskenv/services.go). Only the few drover renders
 * or users commonly write are known here; anything else stays as written.
 */
function interpolateMeta(meta: Record<string, string>, alloc: Allocation, node: SimNode): Record<string, string> {
  const known: Record<string, string> = {
    'node.datacenter': node.Datacenter,
    'node.unique.name': node.Name,
    'node.unique.id': node.ID,
    'node.pool': node.NodePool,
    NOMAD_ALLOC_ID: alloc.ID,
    NOMAD_GROUP_NAME: alloc.TaskGroup,
  };
  const replace = (value: string): string => value.replace(/\$\{([^}]+)\}/g, (whole, name: string) => known[name] ?? whole);
  return Object.fromEntries(Object.entries(meta).map(([key, value]) => [key, replace(String(value))]));
}

function portOf(alloc: Allocation, label: string): number {
  if (/^\d+$/.test(label)) return Number(label);
  const shared = alloc.AllocatedResources.Shared as Json | undefined;
  const ports = (shared?.Ports as { Label: string; Value: number }[] | null) ?? [];
  return ports.find((p) => p.Label === label)?.Value ?? 0;
}

/** Pushes registrations to Consul, remembering IDs so they can be removed when the alloc stops. */
export class ConsulRegistry {
  private readonly byAlloc = new Map<string, string[]>();

  constructor(private readonly sink: ConsulSink | undefined) {}

  /** Registers (or re-registers) the services of `alloc`. */
  register(alloc: Allocation, node: SimNode, options: RegisterOptions): void {
    if (!this.sink) return;
    const regs = registrations(alloc, node, options);
    for (const reg of regs) this.sink.registerService(reg);
    this.byAlloc.set(alloc.ID, regs.map((r) => r.id));
  }

  /** Removes every service of `allocId`. */
  deregister(allocId: string): void {
    for (const id of this.byAlloc.get(allocId) ?? []) this.sink?.deregisterService(id);
    this.byAlloc.delete(allocId);
  }

  /** Is anything registered for `allocId`? */
  has(allocId: string): boolean {
    return this.byAlloc.has(allocId);
  }

  /** Removes everything (sandbox reset). */
  clear(): void {
    for (const allocId of [...this.byAlloc.keys()]) this.deregister(allocId);
  }
}
