import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ControlledClock } from './clock.ts';
import type { ActiveFault, FaultInjector, FaultRule } from './faults.ts';
import { Router, asObject, parseJsonBody, sendJson } from './http.ts';
import type { NomadSandbox, Scenario } from './nomad/index.ts';
import { parseScenario } from './nomad/scenarios.ts';
import { addTrafficRoutes } from './traffic-admin.ts';
import type { TrafficSimulation } from './traffic-simulation.ts';
import type { SandboxService } from './types.ts';

/** Which job (and optionally which version) a scenario applies to. */
export interface ScenarioTarget {
  readonly jobId: string;
  /** @default "default" */
  readonly namespace?: string;
  /** Only this job version; otherwise every version without its own scenario. */
  readonly version?: number;
}

/**
 * Test and demo controls, programmatic and over HTTP under `/_sandbox/` on the Nomad listener
 * (no real Nomad path starts with `/_sandbox`). Admin requests bypass injected faults.
 */
export interface SandboxAdmin {
  setScenario(target: ScenarioTarget, scenario: Scenario): void;
  clearScenarios(): void;
  injectFault(rule: FaultRule): string;
  clearFaults(id?: string): void;
  listFaults(): ActiveFault[];
  /** Moves sandbox time forward, firing due timers in order. */
  advance(ms: number): Promise<void>;
  /** Sandbox ms per real ms; 0 = manual. */
  setClockSpeed(speed: number): void;
  disconnectEventStreams(): void;
  /** Cuts every open `/v1/client/fs/logs` stream (as if the connection dropped). */
  disconnectLogStreams(): void;
  addNamespace(name: string): void;
  /** Clears all state, scenarios and faults of every service. */
  reset(): void;
  /** Serves `/_sandbox/…`. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer): Promise<void>;
}

/** Parts the admin controls. */
export interface AdminParts {
  readonly clock: ControlledClock;
  readonly faults: FaultInjector;
  readonly nomad: NomadSandbox;
  readonly others: readonly SandboxService[];
  /** Simulated apps and Fabio (`/_sandbox/apps`, `/_sandbox/traffic`, `/_sandbox/fabio`). */
  readonly simulation?: TrafficSimulation;
}

/** Creates the admin controls over the given parts. */
export function createAdmin(parts: AdminParts): SandboxAdmin {
  const { clock, faults, nomad } = parts;
  const admin: Omit<SandboxAdmin, 'handle'> = {
    setScenario: (target, scenario) => nomad.scenarios.set(target, scenario),
    clearScenarios: () => nomad.scenarios.clear(),
    injectFault: (rule) => faults.add(rule),
    clearFaults: (id) => faults.clear(id),
    listFaults: () => faults.list(),
    advance: (ms) => clock.advance(ms),
    setClockSpeed: (speed) => clock.setSpeed(speed),
    disconnectEventStreams: () => nomad.disconnectEventStreams(),
    disconnectLogStreams: () => nomad.disconnectLogStreams(),
    addNamespace: (name) => void nomad.namespaces.add(name),
    reset: () => {
      nomad.reset();
      nomad.scenarios.clear();
      faults.clear();
      for (const service of parts.others) (service as { reset?: () => void }).reset?.();
      parts.simulation?.reset();
    },
  };
  const router = adminRouter(admin, parts);
  return {
    ...admin,
    handle: async (req, res, url, body) => {
      const match = router.match(req.method ?? 'GET', url.pathname.replace(/\/+$/, '') || '/');
      if (match.kind !== 'found') return sendJson(res, match.kind === 'not-found' ? 404 : 405, { error: `no admin endpoint ${req.method} ${url.pathname}` });
      try {
        await match.handler({ req, res, url, body, params: match.params });
      } catch (error) {
        sendJson(res, 400, { error: error instanceof Error ? error.message : String(error) });
      }
    },
  };
}

function adminRouter(admin: Omit<SandboxAdmin, 'handle'>, parts: AdminParts): Router {
  const router = new Router();
  const ok = (res: ServerResponse, value: unknown = { ok: true }): void => sendJson(res, 200, value);
  router.add(['GET'], '/_sandbox', (r) => ok(r.res, describe(admin, parts)));
  router.add(['PUT', 'POST'], '/_sandbox/scenarios', (r) => {
    const body = jsonBody(r.body);
    const scenario = parseScenario(body.scenario);
    if (typeof scenario === 'string') throw new Error(scenario);
    if (typeof body.jobId !== 'string' || !body.jobId) throw new Error('jobId is required');
    const target: ScenarioTarget = { jobId: body.jobId, ...(typeof body.namespace === 'string' ? { namespace: body.namespace } : {}), ...(typeof body.version === 'number' ? { version: body.version } : {}) };
    admin.setScenario(target, scenario);
    ok(r.res);
  });
  router.add(['DELETE'], '/_sandbox/scenarios', (r) => (admin.clearScenarios(), ok(r.res)));
  router.add(['GET'], '/_sandbox/faults', (r) => ok(r.res, admin.listFaults()));
  router.add(['PUT', 'POST'], '/_sandbox/faults', (r) => ok(r.res, { id: admin.injectFault(parseFault(jsonBody(r.body))) }));
  router.add(['DELETE'], '/_sandbox/faults', (r) => (admin.clearFaults(), ok(r.res)));
  router.add(['DELETE'], '/_sandbox/faults/:id', (r) => (admin.clearFaults(r.params.id), ok(r.res)));
  router.add(['GET'], '/_sandbox/clock', (r) => ok(r.res, { now: parts.clock.now(), speed: parts.clock.speed }));
  router.add(['PUT', 'POST'], '/_sandbox/clock/advance', async (r) => {
    const ms = jsonBody(r.body).ms;
    if (typeof ms !== 'number' || ms < 0) throw new Error('ms must be a number ≥ 0');
    await admin.advance(ms);
    ok(r.res, { now: parts.clock.now(), speed: parts.clock.speed });
  });
  router.add(['PUT', 'POST'], '/_sandbox/clock/speed', (r) => {
    const speed = jsonBody(r.body).speed;
    if (typeof speed !== 'number') throw new Error('speed must be a number ≥ 0 (0 = manual)');
    admin.setClockSpeed(speed);
    ok(r.res, { now: parts.clock.now(), speed: parts.clock.speed });
  });
  router.add(['PUT', 'POST'], '/_sandbox/event-stream/disconnect', (r) => (admin.disconnectEventStreams(), ok(r.res)));
  router.add(['PUT', 'POST'], '/_sandbox/log-streams/disconnect', (r) => (admin.disconnectLogStreams(), ok(r.res)));
  router.add(['PUT', 'POST'], '/_sandbox/namespaces', (r) => {
    const name = jsonBody(r.body).name;
    if (typeof name !== 'string' || !name) throw new Error('name is required');
    admin.addNamespace(name);
    ok(r.res);
  });
  router.add(['PUT', 'POST'], '/_sandbox/reset', (r) => (admin.reset(), ok(r.res)));
  if (parts.simulation) addTrafficRoutes(router, parts.simulation);
  return router;
}

function describe(admin: Omit<SandboxAdmin, 'handle'>, parts: AdminParts): unknown {
  return {
    simulator: 'drover sandbox — a simulator of the Nomad/Consul/Vault HTTP APIs drover uses, for tests and demos; not a scheduler',
    clock: { now: parts.clock.now(), speed: parts.clock.speed },
    nodes: parts.nomad.nodes,
    namespaces: [...parts.nomad.namespaces],
    scenarios: parts.nomad.scenarios.list(),
    faults: admin.listFaults(),
    ...(parts.simulation ? { fabio: parts.simulation.describe() } : {}),
  };
}

function jsonBody(body: Buffer): Record<string, unknown> {
  const parsed = parseJsonBody(body);
  const object = parsed.ok ? asObject(parsed.value) : undefined;
  if (!object) throw new Error('body must be a JSON object');
  return object;
}

function parseFault(body: Record<string, unknown>): FaultRule {
  const kinds = ['error', 'latency', 'drop', 'stream-disconnect', 'leader-loss'];
  if (!kinds.includes(String(body.kind))) throw new Error(`kind must be one of: ${kinds.join(', ')}`);
  if (body.kind === 'latency' && typeof body.ms !== 'number') throw new Error('latency faults need ms');
  if (body.pathPattern !== undefined) new RegExp(String(body.pathPattern));
  return body as unknown as FaultRule;
}
