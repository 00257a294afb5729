/**
 * Helpers for the simulated apps and Fabio tests: a manual-clock sandbox (each suite its own seed,
 * so dynamic ports differ between suites running in parallel), Nomad service jobs carrying
 * urlprefix tags, and plain HTTP with a chosen Host header.
 */
import { request } from 'node:http';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/server.ts';
import type { SimulationProblem } from '../../src/sandbox/traffic-simulation.ts';

/** A sandbox and the problems its simulation reported. */
export interface TrafficSandbox {
  readonly sandbox: RunningSandbox;
  readonly problems: SimulationProblem[];
}

/** A manual-clock sandbox; `seed` decides the instance ports. */
export async function startTrafficSandbox(seed: number): Promise<TrafficSandbox> {
  const problems: SimulationProblem[] = [];
  const sandbox = await startSandbox({ clockSpeed: 0, seed, onSimulationProblem: (p) => problems.push(p) });
  return { sandbox, problems };
}

/** What a test job looks like. */
export interface JobShape {
  readonly id: string;
  readonly tags: readonly string[];
  /** Canary tags are the tags plus `canary`, as drover renders them. */
  readonly canaries?: number;
  readonly count?: number;
  readonly image?: string;
}

/** A Nomad service job with one Consul service on a dynamic port, with an HTTP check. */
export function serviceJob(shape: JobShape): Record<string, unknown> {
  const service = { Name: shape.id, PortLabel: 'http', Provider: 'consul', Tags: shape.tags, CanaryTags: [...shape.tags, 'canary'], Checks: [{ Name: `${shape.id}-ready`, Type: 'http', Path: '/ready', Interval: 5e9, Timeout: 2e9 }] };
  const update = { MaxParallel: 1, MinHealthyTime: 10e9, HealthyDeadline: 60e9, ProgressDeadline: 3600e9, AutoRevert: false, Canary: shape.canaries ?? 0, AutoPromote: false };
  const task = { Name: 'web', Driver: 'docker', Config: { image: shape.image ?? 'example/web:1.0.0' }, Resources: { CPU: 100, MemoryMB: 128 } };
  const group = { Name: 'web', Count: shape.count ?? 1, Networks: [{ DynamicPorts: [{ Label: 'http', To: 8080 }] }], Services: [service], Tasks: [task], Update: update };
  return { ID: shape.id, Name: shape.id, Type: 'service', Datacenters: ['dc1'], TaskGroups: [group] };
}

/** Registers a job and lets sandbox time pass until its allocations run and pass their checks. */
export async function deploy(sandbox: RunningSandbox, shape: JobShape): Promise<void> {
  const response = await fetch(`${sandbox.addresses.nomad}/v1/jobs`, { method: 'POST', body: JSON.stringify({ Job: serviceJob(shape) }) });
  if (!response.ok) throw new Error(`register ${shape.id}: ${response.status} ${await response.text()}`);
  await sandbox.admin.advance(30_000);
}

/** Stops a job and lets its allocations stop. */
export async function stopJob(sandbox: RunningSandbox, id: string): Promise<void> {
  const response = await fetch(`${sandbox.addresses.nomad}/v1/job/${id}`, { method: 'DELETE' });
  if (!response.ok) throw new Error(`stop ${id}: ${response.status} ${await response.text()}`);
  await sandbox.admin.advance(30_000);
}

/** An instance as Consul's catalog lists it. */
export interface CatalogInstance {
  readonly id: string;
  readonly port: number;
  readonly tags: readonly string[];
}

/** The instances of `service` in the sandbox's Consul. */
export async function catalogInstances(sandbox: RunningSandbox, service: string): Promise<CatalogInstance[]> {
  const entries = (await (await fetch(`${sandbox.addresses.consul}/v1/catalog/service/${service}`)).json()) as { ServiceID: string; ServicePort: number; ServiceTags: string[] }[];
  return entries.map((e) => ({ id: e.ServiceID, port: e.ServicePort, tags: e.ServiceTags }));
}

/** A plain HTTP answer. */
export interface Answer {
  readonly status: number;
  readonly body: string;
  readonly headers: Record<string, string | string[] | undefined>;
}

/** GET with an explicit Host header (fetch decides Host itself); rejects on connection errors. */
export function get(url: string, host?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: host ? { host } : {}, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Retries `check` every 20 ms until it returns without throwing; rethrows its last error at the deadline. */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 3_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

/** The value of one series in a Prometheus text exposition, or undefined when absent. */
export function sampleValue(exposition: string, series: string): number | undefined {
  const line = exposition.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}
