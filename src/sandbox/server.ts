import { existsSync } from 'node:fs';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type SandboxAdmin, createAdmin } from './admin.ts';
import { type ControlledClock, createSandboxClock } from './clock.ts';
import { SIMULATION_HEADER } from './consul-watch.ts';
import { FaultInjector, type FaultService } from './faults.ts';
import { createClusterOverlay, type ClusterOverlay } from './cluster/overlay.ts';
import type { SandboxClusterPatch } from './cluster/shape.ts';
import { readBody, sendJson, sendText } from './http.ts';
import { closeServer, listen, SANDBOX_HOST } from './listen.ts';
import { createNomadService } from './nomad/index.ts';
import type { ConsulSink } from './nomad/runtime.ts';
import { createTrafficSimulation, type SandboxFabio, type SimulationProblem } from './traffic-simulation.ts';
import type { SandboxService, SandboxServiceFactory } from './types.ts';

/** Options of {@link startSandbox}. */
export interface SandboxOptions {
  /** Ports on 127.0.0.1; 0 or absent = a random free port. */
  readonly ports?: {
    readonly nomad?: number;
    readonly consul?: number;
    readonly vault?: number;
    /** The simulated Fabio's proxy (Fabio's `proxy.addr` default is 9999). */
    readonly fabio?: number;
    /** The simulated Fabio's `proto=prometheus` listener serving `/metrics`. */
    readonly fabioMetrics?: number;
    /** The simulated Fabio's UI listener (`/health`, `/api/routes`; Fabio's `ui.addr` default is 9998). */
    readonly fabioUi?: number;
    /** A simulated Prometheus answering `/api/v1/targets` for the cluster's agents. */
    readonly prometheus?: number;
  };
  /** Sandbox ms per real ms; 0 = manual clock (tests call `admin.advance`). @default 1 */
  readonly clockSpeed?: number;
  /** Seed of IDs, ports, jitter and fault decisions. @default 1 */
  readonly seed?: number;
  /** Nomad settings. */
  readonly nomad?: {
    /** Management token required on every call when set. */
    readonly aclToken?: string;
    /** With `aclToken`: a token allowed everything but reading logs (no `read-logs`; logs answer 403). */
    readonly tokenWithoutReadLogs?: string;
    /** Namespaces besides `default`. */
    readonly namespaces?: readonly string[];
    /** Datacenters of the three simulated nodes. @default ["dc1"] */
    readonly datacenters?: readonly string[];
    /** Node pool of the simulated nodes. @default "default" */
    readonly nodePool?: string;
    /** Event batches kept for resumes. @default 100 (Nomad's default) */
    readonly eventBufferSize?: number;
    /** Memory oversubscription in the scheduler configuration; off (Nomad's default) makes `memory_max` draw a register warning. @default false */
    readonly memoryOversubscription?: boolean;
  };
  /**
   * Receives what the simulated apps and Fabio could not do (a port taken, an ignored route
   * command); they carry on either way. Also listed by `sandbox.fabio.problems()`. @default none
   */
  readonly onSimulationProblem?: (problem: SimulationProblem) => void;
  /** Vault's dev root token. @default "root" */
  readonly vaultToken?: string;
  /** Service factories; by default the modules in src/sandbox/consul and src/sandbox/vault when present. */
  readonly services?: { readonly consul?: SandboxServiceFactory; readonly vault?: SandboxServiceFactory };
}

/** A running sandbox. */
export interface RunningSandbox {
  /**
   * Base URLs, e.g. `http://127.0.0.1:4646`. `fabio` is the simulated Fabio's proxy;
   * `fabioMetrics` its metrics listener (scrape `${fabioMetrics}/metrics`).
   */
  readonly addresses: {
    readonly nomad: string; readonly consul: string; readonly vault: string; readonly fabio: string; readonly fabioMetrics: string;
    /** The simulated Fabio's UI (`/health`, `/api/routes`) and a Prometheus answering `/api/v1/targets` (src/sandbox/cluster/). */
    readonly fabioUi: string; readonly prometheus: string;
  };
  /** What the cluster reads of `drover cluster check` answer (src/sandbox/cluster/shape.ts); also `GET|PUT /_sandbox/cluster`. */
  readonly cluster: Pick<ClusterOverlay, 'shape' | 'set' | 'reset'>;
  /** Simulated application instances and Fabio: scripted answers, synthetic traffic, the route table. */
  readonly fabio: SandboxFabio;
  readonly admin: SandboxAdmin;
  readonly clock: ControlledClock;
  /** The Vault dev root token (export as VAULT_TOKEN). */
  readonly vaultToken: string;
  close(): Promise<void>;
}


/**
 * Starts the three simulated services on their own listeners. It is a simulator of the HTTP APIs
 * drover uses, for tests and demos — never a scheduler.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const clock = createSandboxClock({ speed: options.clockSpeed ?? 1 });
  const seed = options.seed ?? 1;
  const faults = new FaultInjector(seed);
  const rootToken = options.vaultToken ?? 'root';
  // Consul sessions and their TTLs stay on wall-clock time when the Nomad clock is sped up: their
  // clients (drover's lock renewal, Fabio) renew on wall-clock time too. A manual clock is shared.
  const consulClock = (options.clockSpeed ?? 1) > 0 ? createSandboxClock({ speed: 1 }) : clock;
  const consul = (options.services?.consul ?? (await loadFactory('consul')) ?? missing('consul'))({ clock: consulClock, rootToken });
  const vault = (options.services?.vault ?? (await loadFactory('vault')) ?? missing('vault'))({ clock, rootToken });
  const nomad = createNomadService({ clock, seed, faults, consul: asConsulSink(consul), ...options.nomad });
  // Apps and Fabio run on wall-clock time whatever the Nomad clock does: Prometheus scrapes in real time.
  const simulation = createTrafficSimulation({ seed, ...(options.onSimulationProblem ? { onProblem: options.onSimulationProblem } : {}) });
  const admin = createAdmin({ clock, faults, nomad, others: [consul, vault], simulation });
  const overlay = createClusterOverlay({
    nomadToken: options.nomad?.aclToken,
    otherNomadToken: options.nomad?.tokenWithoutReadLogs,
    nodes: nomad.nodes,
    setVaultStatus: (status) => (vault as Partial<{ setStatus(s: object): void }>).setStatus?.(status),
    routes: () => simulation.routes(),
  });
  const services: [FaultService, SandboxService, number | undefined][] = [
    ['nomad', nomad, options.ports?.nomad],
    ['consul', consul, options.ports?.consul],
    ['vault', vault, options.ports?.vault],
  ];
  const servers: Server[] = [];
  let simulated: { fabio: string; fabioMetrics: string };
  try {
    for (const [name, service, port] of services) servers.push(await listen(createServer(handler(name, service, { faults, admin, overlay })), port ?? 0));
    servers.push(await listen(createServer((req, res) => overlay.handleFabioUi(req, res, requestUrl(req))), options.ports?.fabioUi ?? 0));
    servers.push(await listen(createServer((req, res) => overlay.handlePrometheus(req, res, requestUrl(req))), options.ports?.prometheus ?? 0));
    // servers[1] is Consul's listener (the order of `services`).
    const consulAddress = `http://${SANDBOX_HOST}:${(servers[1]!.address() as AddressInfo).port}`;
    simulated = await simulation.start({ consul: consulAddress, ports: { proxy: options.ports?.fabio ?? 0, metrics: options.ports?.fabioMetrics ?? 0 } });
  } catch (error) {
    await simulation.close();
    for (const [, service] of services) service.close();
    clock.close();
    await Promise.all(servers.map(closeServer));
    throw error;
  }
  const [n, c, v, fabioUi, prometheus] = servers.map((s) => `http://${SANDBOX_HOST}:${(s.address() as AddressInfo).port}`) as [string, string, string, string, string];
  return {
    addresses: { nomad: n, consul: c, vault: v, ...simulated, fabioUi, prometheus },
    cluster: overlay,
    admin,
    clock,
    fabio: simulation,
    vaultToken: rootToken,
    close: async () => {
      // The simulation first: its blocking reads end by abort, not by waiting on Consul (a manual
      // clock never times them out).
      await simulation.close();
      for (const [, service] of services) service.close();
      clock.close();
      await Promise.all(servers.map(closeServer));
    },
  };
}

function handler(name: FaultService, service: SandboxService, ctx: { faults: FaultInjector; admin: SandboxAdmin; overlay: ClusterOverlay }) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      const body = await readBody(req);
      const url = requestUrl(req);
      if (name === 'nomad' && url.pathname === '/_sandbox/cluster') return clusterAdmin(ctx.overlay, req, res, body);
      if (name === 'nomad' && url.pathname === '/_sandbox/reset') ctx.overlay.reset();
      if (name === 'nomad' && (url.pathname === '/_sandbox' || url.pathname.startsWith('/_sandbox/'))) return await ctx.admin.handle(req, res, url, body);
      // The simulation's own Consul reads skip faults: those are meant for the code under test.
      if (req.headers[SIMULATION_HEADER] === undefined && (await ctx.faults.apply(name, req, res, url))) return;
      if (ctx.overlay.handle(name, req, res, url, body)) return;
      await service.handle(req, res, url, body);
    } catch (error) {
      if (res.headersSent) return void res.destroy();
      sendText(res, 500, `sandbox internal error: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    }
  };
}

function requestUrl(req: IncomingMessage): URL {
  return new URL(req.url ?? '/', `http://${req.headers.host ?? SANDBOX_HOST}`);
}

/** `GET /_sandbox/cluster` → the shape; `PUT` with a partial shape → the new shape. */
function clusterAdmin(overlay: ClusterOverlay, req: IncomingMessage, res: ServerResponse, body: Buffer): void {
  if (req.method === 'GET') return sendJson(res, 200, overlay.shape());
  if (req.method !== 'PUT' && req.method !== 'POST') return sendJson(res, 405, { error: `no admin endpoint ${req.method} /_sandbox/cluster` });
  let patch: unknown;
  try {
    patch = JSON.parse(body.toString('utf8') || '{}');
  } catch {
    return sendJson(res, 400, { error: 'the body is not JSON' });
  }
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return sendJson(res, 400, { error: 'send an object with parts of the cluster shape' });
  sendJson(res, 200, overlay.set(patch as SandboxClusterPatch));
}

/** Loads `createConsulService` / `createVaultService` from the sibling module when it exists. */
async function loadFactory(name: 'consul' | 'vault'): Promise<SandboxServiceFactory | undefined> {
  const url = new URL(`./${name}/index.ts`, import.meta.url);
  if (!existsSync(fileURLToPath(url))) return undefined;
  // Literal specifiers, so that the compiled CLI (bin/compiled-cli.mjs) bundles them: it runs without a TypeScript loader.
  const module = (await (name === 'consul' ? import('./consul/index.ts') : import('./vault/index.ts'))) as Record<string, unknown>;
  const factory = module[name === 'consul' ? 'createConsulService' : 'createVaultService'];
  return typeof factory === 'function' ? (factory as SandboxServiceFactory) : undefined;
}

/** A stand-in that answers every call with 501 until the real module exists. */
function missing(name: 'consul' | 'vault'): SandboxServiceFactory {
  return () => ({
    name,
    handle: (_req, res) => sendText(res, 501, `drover sandbox: the ${name} simulator (src/sandbox/${name}/index.ts) is not available`),
    close: () => {},
  });
}

function asConsulSink(service: SandboxService): ConsulSink | undefined {
  const candidate = service as Partial<ConsulSink>;
  return typeof candidate.registerService === 'function' && typeof candidate.deregisterService === 'function' ? (candidate as ConsulSink) : undefined;
}
