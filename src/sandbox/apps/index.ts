/**
 * Simulated application instances: for every service instance in the sandbox's Consul, a real
 * HTTP listener on 127.0.0.1:<Service.Port> answering as scripted (`setApp`): with the real
 * example app's handler when the behaviour names one (examples/apps/), else with scripted
 * answers; either way with `/metrics` of its own. Consul is read over HTTP with blocking queries,
 * as an outside process would; no process is started.
 */
import { consulGet, watchBlocking, type SimulationProblem } from '../consul-watch.ts';
import { type BehaviourBook, CANARY_TAG } from './behaviour.ts';
import { type AppInstance, AppListeners, type AppListenerState } from './listeners.ts';

export type { AppBehaviour, AppResponse, InstanceSelector } from './behaviour.ts';
export { BehaviourBook, parseAppBehaviour } from './behaviour.ts';
export type { AppListenerState } from './listeners.ts';
export { EXAMPLE_APP_NAMES, type ExampleAppName } from './real-apps.ts';
export { SIMULATED_APP_HEADER } from './listeners.ts';

/** The running app simulation. */
export interface AppSimulation {
  /** The instance listeners (including ports that could not be bound). */
  listeners(): AppListenerState[];
  close(): Promise<void>;
}

/** Options of {@link startApps}. */
export interface AppOptions {
  /** Consul base URL. */
  readonly consul: string;
  /** What each service answers; read on every request, so changes apply at once. */
  readonly book: BehaviourBook;
  readonly onProblem: (problem: SimulationProblem) => void;
}

// The Consul agent's own `consul` service (port 8300) is a server, not an app to impersonate.
const NOT_APPS = new Set(['consul']);
const LOCAL_ADDRESSES = new Set(['127.0.0.1', 'localhost']);

/** Starts watching the catalog; listeners follow registrations from the first answer on. */
export function startApps(options: AppOptions): AppSimulation {
  const report = (message: string): void => options.onProblem({ source: 'apps', message });
  const listeners = new AppListeners(options.book, report);
  const controller = new AbortController();
  const skipped = new Set<string>();
  const loop = watchBlocking({
    consul: options.consul,
    path: '/v1/catalog/services',
    signal: controller.signal,
    onProblem: report,
    onChange: async (body) => {
      const names = Object.keys((body ?? {}) as Record<string, unknown>).filter((name) => !NOT_APPS.has(name));
      const instances = (await Promise.all(names.map((name) => readInstances(options.consul, name, controller.signal)))).flat();
      const local = instances.filter((instance) => isSimulable(instance, skipped, report));
      if (!controller.signal.aborted) await listeners.reconcile(local);
    },
  });
  return {
    listeners: () => listeners.list(),
    close: async () => {
      controller.abort();
      await loop;
      await listeners.close();
    },
  };
}

/** Instances of one service from `/v1/catalog/service/<name>`. */
async function readInstances(consul: string, name: string, signal: AbortSignal): Promise<AppInstance[]> {
  const { body } = await consulGet(consul, `/v1/catalog/service/${encodeURIComponent(name)}`, signal);
  const entries = (body ?? []) as { ServiceID: string; ServiceName: string; ServiceAddress: string; Address: string; ServicePort: number; ServiceTags: string[] | null }[];
  return entries.map((e) => ({
    serviceId: e.ServiceID,
    service: e.ServiceName,
    address: e.ServiceAddress || e.Address,
    port: e.ServicePort,
    canary: (e.ServiceTags ?? []).includes(CANARY_TAG),
  }));
}

/** Only loopback instances with a port can be impersonated; the others are reported once. */
function isSimulable(instance: AppInstance, skipped: Set<string>, report: (message: string) => void): boolean {
  if (instance.port > 0 && LOCAL_ADDRESSES.has(instance.address)) return true;
  if (!skipped.has(instance.serviceId)) {
    skipped.add(instance.serviceId);
    report(`instance ${instance.serviceId} of ${instance.service} at ${instance.address}:${instance.port} is not on 127.0.0.1 with a port; not simulated`);
  }
  return false;
}
