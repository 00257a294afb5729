import type { SandboxRandom } from '../random.ts';
import { type AllocMetric, type Allocation, type Json, type JobObject, type SimNode, isTerminal } from './model.ts';

/** Capacity of each simulated client node. */
const NODE_CPU_MHZ = 4000;
const NODE_MEMORY_MB = 8192;

/** Three simulated client nodes, spread over `datacenters` round-robin, all in `nodePool`. */
export function createNodes(random: SandboxRandom, datacenters: readonly string[], nodePool = 'default'): SimNode[] {
  return [1, 2, 3].map((n) => ({
    ID: random.uuid(),
    Name: `sandbox-client-${n}`,
    Datacenter: datacenters[(n - 1) % datacenters.length] ?? 'dc1',
    NodePool: nodePool,
    Address: '127.0.0.1',
    CpuMHz: NODE_CPU_MHZ,
    MemoryMB: NODE_MEMORY_MB,
  }));
}

/** Nodes in the job's datacenters (globs allowed, `*` = all) and node pool (`all` = any). */
export function eligibleNodes(nodes: readonly SimNode[], job: JobObject): SimNode[] {
  const patterns = ((job.Datacenters as string[] | null) ?? ['*']).map(globToRegExp);
  const pool = String(job.NodePool ?? 'default');
  return nodes.filter((node) => patterns.some((p) => p.test(node.Datacenter)) && (pool === 'all' || node.NodePool === pool));
}

function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
}

/** CPU and memory one allocation of `group` asks for (sum over its tasks). */
export function groupDemand(group: Json): { cpu: number; memoryMB: number } {
  let cpu = 0;
  let memoryMB = 0;
  for (const task of (group.Tasks as Json[] | null) ?? []) {
    const resources = (task.Resources as Json | null) ?? {};
    cpu += typeof resources.CPU === 'number' ? resources.CPU : 100;
    memoryMB += typeof resources.MemoryMB === 'number' ? resources.MemoryMB : 300;
  }
  return { cpu, memoryMB };
}

/** Why a placement failed, as `AllocMetric.DimensionExhausted` names it. */
export type Exhausted = 'cpu' | 'memory';

/** Tracks free capacity per node while one plan is computed. */
export class Capacity {
  private readonly free = new Map<string, { cpu: number; memoryMB: number }>();

  constructor(
    readonly nodes: readonly SimNode[],
    allocs: readonly Allocation[],
    private readonly groupOf: (alloc: Allocation) => Json | undefined,
  ) {
    for (const node of nodes) this.free.set(node.ID, { cpu: node.CpuMHz, memoryMB: node.MemoryMB });
    for (const alloc of allocs) if (!isTerminal(alloc)) this.take(alloc.NodeID, this.demandOf(alloc), 1);
  }

  /** Frees what a stopped allocation used. */
  release(alloc: Allocation): void {
    this.take(alloc.NodeID, this.demandOf(alloc), -1);
  }

  /** Takes back what {@link release} freed (a replacement could not be placed). */
  reserve(alloc: Allocation): void {
    this.take(alloc.NodeID, this.demandOf(alloc), 1);
  }

  /** Picks the eligible node with the most free memory that fits, or says which dimension ran out. */
  place(demand: { cpu: number; memoryMB: number }, candidates: readonly SimNode[]): SimNode | Exhausted {
    let best: SimNode | undefined;
    let exhausted: Exhausted = 'memory';
    for (const node of candidates) {
      const free = this.free.get(node.ID)!;
      if (free.cpu < demand.cpu) exhausted = 'cpu';
      else if (free.memoryMB < demand.memoryMB) exhausted = 'memory';
      else if (!best || free.memoryMB > this.free.get(best.ID)!.memoryMB) best = node;
    }
    if (!best) return exhausted;
    this.take(best.ID, demand, 1);
    return best;
  }

  private demandOf(alloc: Allocation): { cpu: number; memoryMB: number } {
    const group = this.groupOf(alloc);
    return group ? groupDemand(group) : { cpu: 0, memoryMB: 0 };
  }

  private take(nodeId: string, demand: { cpu: number; memoryMB: number }, sign: 1 | -1): void {
    const free = this.free.get(nodeId);
    if (!free) return;
    free.cpu -= sign * demand.cpu;
    free.memoryMB -= sign * demand.memoryMB;
  }
}

/** `AllocMetric` of a successful placement. */
export function placementMetric(nodes: readonly SimNode[], chosen: SimNode): AllocMetric {
  return {
    ...baseMetric(nodes),
    Scores: null,
    ScoreMetaData: [{ NodeID: chosen.ID, Scores: { binpack: 0.5, 'job-anti-affinity': 0 }, NormScore: 0.5 }],
    AllocationTime: 42_000,
  };
}

/** `AllocMetric` of failed placements (`FailedTGAllocs[group]`), coalescing repeats like Nomad. */
export function failedMetric(nodes: readonly SimNode[], failures: number, exhausted: Exhausted): AllocMetric {
  return {
    ...baseMetric(nodes),
    NodesExhausted: nodes.length,
    ClassExhausted: null,
    DimensionExhausted: nodes.length > 0 ? { [exhausted]: nodes.length } : null,
    Scores: null,
    ScoreMetaData: null,
    AllocationTime: 38_000,
    CoalescedFailures: Math.max(0, failures - 1),
  };
}

function baseMetric(nodes: readonly SimNode[]): AllocMetric {
  const available: Record<string, number> = {};
  for (const node of nodes) available[node.Datacenter] = (available[node.Datacenter] ?? 0) + 1;
  return {
    NodesEvaluated: nodes.length,
    NodesFiltered: 0,
    NodesInPool: nodes.length,
    NodePool: nodes[0]?.NodePool ?? 'default',
    NodesAvailable: available,
    ClassFiltered: null,
    ConstraintFiltered: null,
    NodesExhausted: 0,
    ClassExhausted: null,
    DimensionExhausted: null,
    QuotaExhausted: null,
    ResourcesExhausted: null,
    CoalescedFailures: 0,
  };
}

/** `AllocatedResources` for a new allocation; dynamic ports come from the seeded generator. */
export function allocatedResources(group: Json, random: SandboxRandom): Json {
  const tasks: Json = {};
  const lifecycles: Json = {};
  for (const task of (group.Tasks as Json[] | null) ?? []) {
    const r = (task.Resources as Json | null) ?? {};
    tasks[String(task.Name)] = {
      Cpu: { CpuShares: r.CPU ?? 100, ReservedCores: null },
      Memory: { MemoryMB: r.MemoryMB ?? 300, MemoryMaxMB: r.MemoryMaxMB ?? 0 },
      Networks: null,
      Devices: null,
    };
    lifecycles[String(task.Name)] = task.Lifecycle ?? null;
  }
  // A port mapping's To is omitempty, as Nomad 2.0.5 sends it (test/fixtures/recorded/nomad/get_v1_allocation_id.json).
  const mapping = (label: unknown, value: unknown, to: unknown): Json => ({ Label: label, Value: value, ...(to ? { To: to } : {}), HostIP: '127.0.0.1' });
  const ports = ((group.Networks as Json[] | null) ?? []).flatMap((network) => [
    ...((network.ReservedPorts as Json[] | null) ?? []).map((p) => mapping(p.Label, p.Value, p.To)),
    ...((network.DynamicPorts as Json[] | null) ?? []).map((p) => mapping(p.Label, random.int(20000, 32000), p.To)),
  ]);
  return {
    Tasks: tasks,
    TaskLifecycles: lifecycles,
    Shared: { DiskMB: ((group.EphemeralDisk as Json | null)?.SizeMB as number | undefined) ?? 300, Networks: null, Ports: ports.length ? ports : null },
  };
}
