import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultInjector } from '../faults.ts';
import { Router, sendText } from '../http.ts';
import { createRandom } from '../random.ts';
import type { SandboxClock, SandboxService } from '../types.ts';
import { ClientSim } from './client-sim.ts';
import type { NomadContext } from './context.ts';
import { EventBroker } from './events.ts';
import { LogBook } from './logs.ts';
import type { SimNode } from './model.ts';
import { createNodes } from './placement.ts';
import { addPlanRoute } from './plan.ts';
import { addAllocRoutes } from './routes-allocs.ts';
import { addDeploymentRoutes } from './routes-deployments.ts';
import { addJobWriteRoutes } from './routes-job-writes.ts';
import { addJobReadRoutes } from './routes-jobs.ts';
import { LogStreams } from './routes-logs.ts';
import { addStatusRoutes } from './routes-status.ts';
import type { Runtime } from './runtime.ts';
import type { ConsulSink, SimState } from './runtime-types.ts';
import { ScenarioBook } from './scenarios.ts';
import { Scheduler } from './scheduler.ts';
import { NomadStore } from './store.ts';
import { EventStreams } from './stream.ts';
import { DeploymentWatcher } from './watcher.ts';

export type { Scenario } from './scenarios.ts';

/** Options of {@link createNomadService}. */
export interface NomadServiceOptions {
  readonly clock: SandboxClock;
  /** Seed of IDs, ports and restart jitter. @default 1 */
  readonly seed?: number;
  /** Where running allocations' services are registered (the Consul sandbox). */
  readonly consul?: ConsulSink;
  /** Fault rules (event-stream disconnects are applied by the stream itself). */
  readonly faults?: FaultInjector;
  /** When set, every API call needs this management token (`X-Nomad-Token` or Bearer). */
  readonly aclToken?: string;
  /**
   * With `aclToken`: a second token allowed every call except reading logs, as a policy with
   * `read-job` but not `read-logs` on the namespace (`/v1/client/fs/logs` answers it 403).
   */
  readonly tokenWithoutReadLogs?: string;
  /** Namespaces that exist. @default ["default"] */
  readonly namespaces?: readonly string[];
  /** Datacenters of the three simulated nodes (round-robin). @default ["dc1"] */
  readonly datacenters?: readonly string[];
  /** Node pool of the three simulated nodes. @default "default" */
  readonly nodePool?: string;
  /** Event batches kept for `index` resumes; Nomad's `event_buffer_size` default is 100. @default 100 */
  readonly eventBufferSize?: number;
  /** The scheduler configuration's memory oversubscription (off in Nomad by default: `memory_max` then draws a warning). @default false */
  readonly memoryOversubscription?: boolean;
}

/** The simulated Nomad agent plus the controls the admin API needs. */
export interface NomadSandbox extends SandboxService {
  readonly name: 'nomad';
  readonly scenarios: ScenarioBook;
  readonly namespaces: Set<string>;
  readonly nodes: readonly SimNode[];
  /** Cuts every open event stream (as if the connection dropped). */
  disconnectEventStreams(): void;
  /** Cuts every open log stream (as if the connection dropped). */
  disconnectLogStreams(): void;
  /** Forgets all jobs, evaluations, allocations and deployments. */
  reset(): void;
}

/** Paths readable without a token even with ACLs on. */
const OPEN_PATHS = new Set(['/v1/status/leader', '/v1/status/peers', '/v1/metrics', '/v1/regions']);
/** Handler trees whose unknown sub-paths answer `resource not found` rather than the mux 404. */
const HANDLER_TREES = ['/v1/job/', '/v1/deployment/', '/v1/allocation/', '/v1/evaluation/', '/v1/client/'];

/**
 * Creates the simulated Nomad HTTP API: jobs, plan, versions, deployments, allocations,
 * evaluations, blocking queries, the event stream and a deployment simulator — not a scheduler.
 */
export function createNomadService(options: NomadServiceOptions): NomadSandbox {
  const random = createRandom(options.seed ?? 1);
  const broker = new EventBroker(options.eventBufferSize ?? 100);
  const store = new NomadStore(options.clock, broker);
  const state: SimState = {
    store, clock: options.clock, random, nodes: createNodes(random, options.datacenters ?? ['dc1'], options.nodePool),
    scenarios: new ScenarioBook(), failedAt: new Map<string, number>(), logs: new LogBook(),
  };
  const { scheduler, client, watcher } = createActors(state, options.consul);
  const rt: Runtime = { store, clock: state.clock, random, nodes: state.nodes, memoryOversubscription: options.memoryOversubscription ?? false, scheduler, watcher };
  const ctx: NomadContext = { rt, namespaces: new Set(options.namespaces ?? ['default']), faults: options.faults };
  ctx.namespaces.add('default');
  const streams = new EventStreams(broker, options.clock, options.faults);
  const logStreams = new LogStreams(ctx, { logs: state.logs, mayReadLogs: (req) => options.tokenWithoutReadLogs === undefined || presentedToken(req) !== options.tokenWithoutReadLogs });
  const router = buildRouter(ctx, streams);
  logStreams.addRoute(router);
  const stopSimulation = (): void => {
    scheduler.close();
    client.close();
    watcher.close();
    streams.disconnectAll();
    logStreams.disconnectAll();
  };
  return {
    name: 'nomad',
    scenarios: state.scenarios,
    namespaces: ctx.namespaces,
    nodes: state.nodes,
    handle: (req, res, url, body) => dispatch({ router, streams, aclToken: options.aclToken, otherToken: options.tokenWithoutReadLogs }, { req, res, url, body }),
    close: stopSimulation,
    disconnectEventStreams: () => streams.disconnectAll(),
    disconnectLogStreams: () => logStreams.disconnectAll(),
    reset: () => {
      stopSimulation();
      state.failedAt.clear();
      state.logs.clear();
      store.reset();
    },
  };
}

/**
 * The scheduler, the simulated client and the deployment watcher call each other, as Nomad's
 * server and client do. Each gets only the calls it makes; a peer built after it is reached
 * through a closure, called only once the simulation runs (after all three exist).
 */
function createActors(state: SimState, consul: ConsulSink | undefined): { scheduler: Scheduler; client: ClientSim; watcher: DeploymentWatcher } {
  const scheduler = new Scheduler(state, {
    client: { start: (id) => client.start(id), stop: (id) => client.stop(id), rejoin: (id) => client.rejoin(id) },
    watcher: { watch: (id) => watcher.watch(id) },
  });
  const client = new ClientSim(state, {
    consul,
    scheduler,
    watcher: { isUnpromotedCanary: (alloc) => watcher.isUnpromotedCanary(alloc), onHealth: (alloc) => watcher.onHealth(alloc) },
  });
  const watcher = new DeploymentWatcher(state, { scheduler, client });
  return { scheduler, client, watcher };
}

function buildRouter(ctx: NomadContext, streams: EventStreams): Router {
  const router = new Router();
  addJobReadRoutes(router, ctx);
  addJobWriteRoutes(router, ctx);
  addPlanRoute(router, ctx);
  addDeploymentRoutes(router, ctx);
  addAllocRoutes(router, ctx);
  addStatusRoutes(router, ctx);
  streams.addRoute(router);
  return router;
}

async function dispatch(
  service: { router: Router; streams: EventStreams; aclToken: string | undefined; otherToken: string | undefined },
  request: { req: IncomingMessage; res: ServerResponse; url: URL; body: Buffer },
): Promise<void> {
  const { req, res, url } = request;
  const denied = service.aclToken !== undefined && !OPEN_PATHS.has(url.pathname) ? checkToken(req, service.aclToken, service.otherToken) : undefined;
  if (denied && url.pathname === '/v1/event/stream' && req.method === 'GET') return service.streams.serve({ ...request, params: {} }, true);
  if (denied) return sendText(res, 403, denied);
  const match = service.router.match(req.method ?? 'GET', url.pathname);
  if (match.kind === 'method-not-allowed') return sendText(res, 405, 'Invalid method');
  if (match.kind === 'not-found') {
    return HANDLER_TREES.some((p) => url.pathname.startsWith(p)) ? sendText(res, 404, 'resource not found') : sendText(res, 404, '404 page not found\n');
  }
  await match.handler({ ...request, params: match.params });
}

/** `X-Nomad-Token` wins over `Authorization: Bearer` (scheme case-insensitive). */
function presentedToken(req: IncomingMessage): string | undefined {
  const header = req.headers['x-nomad-token'];
  const bearer = /^bearer\s+(\S+)/i.exec(req.headers.authorization ?? '')?.[1];
  return (Array.isArray(header) ? header[0] : header) ?? bearer;
}

function checkToken(req: IncomingMessage, expected: string, other: string | undefined): string | undefined {
  const token = presentedToken(req);
  if (!token) return 'Permission denied';
  return token === expected || (other !== undefined && token === other) ? undefined : 'ACL token not found';
}
