/**
 * Nodes, services and checks (agent/consul/state/catalog.go), with Consul's index rules: the
 * service list reports the services table's index; one service, that service's own index (moved by
 * its instances and their checks), or — once it has no instance — the index at which its last
 * instance went away; health state, the checks table's index. Every node carries a passing
 * `serfHealth` check, and the agent's node runs the `consul` service, as on a real server.
 */
import type { SandboxClock } from '../types.ts';
import type { Raft } from './raft.ts';

/** Check status values. */
export type ConsulCheckStatus = 'passing' | 'warning' | 'critical';

export interface NodeRecord {
  readonly id: string;
  readonly name: string;
  readonly address: string;
  readonly createIndex: number;
  readonly modifyIndex: number;
}

export interface ServiceRecord {
  readonly node: string;
  readonly id: string;
  readonly name: string;
  readonly tags: readonly string[];
  readonly address: string;
  readonly port: number;
  /** `null` when registered without `Meta` (health shows null, the catalog `{}`). */
  readonly meta: Readonly<Record<string, string>> | null;
  readonly createIndex: number;
  readonly modifyIndex: number;
}

export interface CheckRecord {
  readonly node: string;
  readonly checkId: string;
  readonly name: string;
  readonly status: ConsulCheckStatus;
  readonly notes: string;
  readonly output: string;
  readonly serviceId: string;
  readonly serviceName: string;
  readonly serviceTags: readonly string[];
  readonly type: string;
  /** TTL checks turn critical when not updated within this time. */
  readonly ttlMs?: number;
  readonly createIndex: number;
  readonly modifyIndex: number;
}

/** A check as registered (indexes are assigned by the catalog). */
export type CheckSpec = Omit<CheckRecord, 'node' | 'serviceId' | 'serviceName' | 'serviceTags' | 'createIndex' | 'modifyIndex'>;

/** A service as registered. */
export type ServiceSpec = Omit<ServiceRecord, 'createIndex' | 'modifyIndex'>;

const byName = (a: string, b: string): number => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0);

/** The catalog. */
export class Catalog {
  readonly nodes = new Map<string, NodeRecord>();
  private readonly services = new Map<string, ServiceRecord>();
  private readonly checks = new Map<string, CheckRecord>();
  private readonly serviceIndexes = new Map<string, number>();
  private readonly ttlTimers = new Map<string, () => void>();
  private nodesIndex = 0;
  private servicesIndex = 0;
  private checksIndex = 0;
  private extinctionIndex = 0;

  constructor(
    private readonly raft: Raft,
    private readonly clock: SandboxClock,
  ) {}

  /** Registers a node (idempotent) with its `serfHealth` check. */
  ensureNode(name: string, address: string, id: string): NodeRecord {
    const existing = this.nodes.get(name);
    if (existing) return existing;
    const index = this.raft.next();
    const node = { id, name, address, createIndex: index, modifyIndex: index };
    this.nodes.set(name, node);
    this.nodesIndex = index;
    this.putCheck({ checkId: 'serfHealth', name: 'Serf Health Status', status: 'passing', notes: '', output: 'Agent alive and reachable', type: '' }, node.name, undefined, index);
    this.raft.changed();
    return node;
  }

  /** Registers or replaces a service instance and its checks. */
  registerService(spec: ServiceSpec, checks: readonly CheckSpec[]): void {
    const index = this.raft.next();
    const existing = this.services.get(spec.id);
    if (existing) this.dropChecksOf(existing);
    const service: ServiceRecord = { ...spec, createIndex: existing?.createIndex ?? index, modifyIndex: index };
    this.services.set(spec.id, service);
    for (const check of checks) this.putCheck(check, service.node, service, index);
    this.servicesIndex = index;
    this.serviceIndexes.set(service.name, index);
    if (existing && existing.name !== service.name) this.touchName(existing.name, index);
    this.raft.changed();
  }

  /** Removes a service instance and its checks; `false` if unknown. */
  deregisterService(id: string): boolean {
    const service = this.services.get(id);
    if (!service) return false;
    const index = this.raft.next();
    this.services.delete(id);
    if (this.dropChecksOf(service) > 0) this.checksIndex = index;
    this.servicesIndex = index;
    this.touchName(service.name, index);
    this.raft.changed();
    return true;
  }

  /**
   * Updates a check's status (and output); `false` if unknown. Unchanged values are not a write.
   * An update keeps a TTL check alive, except the expiry's own update.
   */
  updateCheck(checkId: string, status: ConsulCheckStatus, output?: string, serviceId?: string, expired = false): boolean {
    const check = [...this.checks.values()].find((c) => c.checkId === checkId && (serviceId === undefined || c.serviceId === serviceId));
    if (!check) return false;
    if (!expired) this.armTtl(check);
    if (check.status === status && (output === undefined || output === check.output)) return true;
    const index = this.raft.next();
    this.checks.set(checkKey(check.node, check.checkId), { ...check, status, output: output ?? check.output, modifyIndex: index });
    this.checksIndex = index;
    if (check.serviceName) this.serviceIndexes.set(check.serviceName, index);
    this.raft.changed();
    return true;
  }

  getService(id: string): ServiceRecord | undefined {
    return this.services.get(id);
  }

  /** `GET /v1/catalog/services` data. */
  serviceTags(): { readonly index: number; readonly services: ServiceRecord[] } {
    return { index: this.servicesIndex, services: this.sortedServices() };
  }

  /** Instances of one service with their checks (node checks first), and the service's index. */
  instances(name: string, withChecks: boolean): { readonly index: number; readonly entries: { service: ServiceRecord; node: NodeRecord; checks: CheckRecord[] }[] } {
    const services = this.sortedServices().filter((s) => s.name === name);
    const entries = services.flatMap((service) => {
      const node = this.nodes.get(service.node);
      return node ? [{ service, node, checks: this.checksOf(service) }] : [];
    });
    const own = this.serviceIndexes.get(name);
    const fallback = this.extinctionIndex || Math.max(this.nodesIndex, this.servicesIndex, withChecks ? this.checksIndex : 0);
    return { index: services.length > 0 && own !== undefined ? own : fallback, entries };
  }

  /** Checks in a state (`any` for all), sorted by node and check ID. */
  checksInState(state: string): { readonly index: number; readonly checks: CheckRecord[] } {
    const all = [...this.checks.values()].sort((a, b) => byName(a.node, b.node) || byName(a.checkId, b.checkId));
    return { index: this.checksIndex, checks: state === 'any' ? all : all.filter((c) => c.status === state) };
  }

  /** Stops TTL check timers. */
  close(): void {
    for (const cancel of this.ttlTimers.values()) cancel();
    this.ttlTimers.clear();
  }

  private sortedServices(): ServiceRecord[] {
    return [...this.services.values()].sort((a, b) => byName(a.node, b.node) || byName(a.id, b.id));
  }

  private checksOf(service: ServiceRecord): CheckRecord[] {
    const sorted = [...this.checks.values()].filter((c) => c.node === service.node).sort((a, b) => byName(a.checkId, b.checkId));
    return [...sorted.filter((c) => c.serviceId === ''), ...sorted.filter((c) => c.serviceId === service.id)];
  }

  private putCheck(spec: CheckSpec, node: string, service: ServiceRecord | undefined, index: number): void {
    const check: CheckRecord = {
      ...spec,
      node,
      serviceId: service?.id ?? '',
      serviceName: service?.name ?? '',
      serviceTags: service?.tags ?? [],
      createIndex: index,
      modifyIndex: index,
    };
    this.checks.set(checkKey(node, spec.checkId), check);
    this.checksIndex = index;
    this.armTtl(check);
  }

  /** Removes a service's checks; returns how many there were. */
  private dropChecksOf(service: ServiceRecord): number {
    let dropped = 0;
    for (const [key, check] of this.checks) {
      if (check.node !== service.node || check.serviceId !== service.id) continue;
      this.checks.delete(key);
      this.ttlTimers.get(key)?.();
      this.ttlTimers.delete(key);
      dropped++;
    }
    return dropped;
  }

  /** A name whose last instance went away records the extinction index (Consul's `service_last_extinction`). */
  private touchName(name: string, index: number): void {
    const remaining = [...this.services.values()].some((s) => s.name === name);
    if (remaining) this.serviceIndexes.set(name, index);
    else {
      this.serviceIndexes.delete(name);
      this.extinctionIndex = index;
    }
  }

  private armTtl(check: CheckRecord): void {
    if (check.ttlMs === undefined) return;
    const key = checkKey(check.node, check.checkId);
    this.ttlTimers.get(key)?.();
    this.ttlTimers.set(key, this.clock.setTimer(check.ttlMs, () => {
      this.ttlTimers.delete(key);
      this.updateCheck(check.checkId, 'critical', 'TTL expired', check.serviceId, true);
    }));
  }
}

function checkKey(node: string, checkId: string): string {
  return `${node}\u0000${checkId}`;
}
