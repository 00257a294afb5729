/**
 * The sandbox's traffic side: simulated application instances behind a simulated Fabio, plus a
 * synthetic traffic generator. Runs on wall-clock time whatever the Nomad clock does, because
 * Prometheus scrapes it in real time. Created before the listeners exist (the admin API needs it),
 * started once Consul listens.
 */
import { type AppBehaviour, BehaviourBook, type InstanceSelector, parseAppBehaviour, startApps, type AppListenerState, type AppSimulation } from './apps/index.ts';
import type { SimulationProblem } from './consul-watch.ts';
import { SANDBOX_HOST } from './listen.ts';
import type { ScrapeTargetGroup } from './prometheus-process.ts';
import { startFabio, type FabioRoute, type FabioSimulation, type TrafficRate, type TrafficRoute, type TrafficStream } from './fabio/index.ts';

export type { AppBehaviour, AppResponse, InstanceSelector } from './apps/index.ts';
export type { SimulationProblem } from './consul-watch.ts';
export type { FabioRoute, FabioTarget, TrafficRate, TrafficRoute, TrafficStream } from './fabio/index.ts';

/** Controls of the simulated apps and Fabio (`RunningSandbox.fabio`). */
export interface SandboxFabio {
  /**
   * Scripts what the instances of `service` answer: all of them, or (`behaviour.instances`) only
   * the canaries or only the stable ones; a canary/stable behaviour wins over `all`. Throws
   * RangeError on an invalid behaviour.
   */
  setApp(service: string, behaviour: AppBehaviour): void;
  /** Forgets scripted behaviours: one selector of one service, one service, or all. */
  clearApps(service?: string, instances?: InstanceSelector): void;
  /**
   * Sends `rate.rps` requests per second through the simulated Fabio to `route` (a URL, `host/path`,
   * `/path` or `{ host?, path }`); `rps: 0` stops it. Throws RangeError on a bad route or rate.
   */
  setTraffic(route: string | TrafficRoute, rate: TrafficRate): void;
  /** The simulated Fabio's current routing table, in lookup order. */
  routes(): FabioRoute[];
  /** What the simulation could not do (ports taken, ignored route commands…), newest last. */
  problems(): SimulationProblem[];
  /**
   * The listening app instances as a Prometheus `file_sd` would list them in production through
   * Consul: `instance` = `127.0.0.1:<port>`, labels `service` and `canary` ("true"/"false").
   */
  scrapeTargets(): ScrapeTargetGroup[];
}

/** The sandbox-internal side: start, describe, reset, close. */
export interface TrafficSimulation extends SandboxFabio {
  /** Opens the Fabio listeners and starts watching Consul; answers the two base URLs. */
  start(options: { readonly consul: string; readonly ports?: { readonly proxy?: number; readonly metrics?: number } }): Promise<{ readonly fabio: string; readonly fabioMetrics: string }>;
  /** The state shown by `GET /_sandbox`. */
  describe(): { readonly addresses?: { readonly fabio: string; readonly fabioMetrics: string }; readonly apps: Record<string, AppBehaviour[]>; readonly instances: AppListenerState[]; readonly traffic: TrafficStream[]; readonly routes: FabioRoute[]; readonly problems: SimulationProblem[] };
  /** Forgets behaviours and stops traffic (sandbox reset); instances follow Consul by themselves. */
  reset(): void;
  close(): Promise<void>;
}

const PROBLEMS_KEPT = 50;

/** Creates the simulation; nothing listens until {@link TrafficSimulation.start}. */
export function createTrafficSimulation(options: { readonly seed: number; readonly onProblem?: (problem: SimulationProblem) => void }): TrafficSimulation {
  const book = new BehaviourBook(options.seed);
  const problems: SimulationProblem[] = [];
  const report = (problem: SimulationProblem): void => {
    problems.push(problem);
    if (problems.length > PROBLEMS_KEPT) problems.shift();
    options.onProblem?.(problem);
  };
  let fabio: FabioSimulation | undefined;
  let apps: AppSimulation | undefined;
  const started = (): FabioSimulation => fabio ?? notStarted();
  return {
    setApp: (service, behaviour) => {
      const parsed = parseAppBehaviour(behaviour);
      if ('error' in parsed) throw new RangeError(`invalid behaviour for ${service}: ${parsed.error}`);
      book.set(service, parsed);
    },
    clearApps: (service, instances) => book.clear(service, instances),
    setTraffic: (route, rate) => started().setTraffic(route, rate),
    routes: () => fabio?.routes() ?? [],
    problems: () => [...problems],
    scrapeTargets: () =>
      (apps?.listeners() ?? [])
        .filter((instance) => instance.listening)
        .map((instance) => ({ targets: [`${SANDBOX_HOST}:${instance.port}`], labels: { service: instance.service, canary: String(instance.canary) } })),
    start: async ({ consul, ports }) => {
      fabio = await startFabio({ consul, seed: options.seed, ...(ports ? { ports } : {}), onProblem: (message, source) => report({ source, message }) });
      apps = startApps({ consul, book, onProblem: report });
      return { fabio: fabio.proxyUrl, fabioMetrics: fabio.metricsUrl };
    },
    describe: () => ({ ...(fabio ? { addresses: { fabio: fabio.proxyUrl, fabioMetrics: fabio.metricsUrl } } : {}), apps: book.list(), instances: apps?.listeners() ?? [], traffic: fabio?.traffic() ?? [], routes: fabio?.routes() ?? [], problems: [...problems] }),
    reset: () => {
      book.clear();
      fabio?.clearTraffic();
      problems.length = 0;
    },
    close: async () => {
      await Promise.all([fabio?.close(), apps?.close()]);
    },
  };
}

function notStarted(): never {
  throw new Error('the simulated Fabio is not started yet (it starts with the sandbox)');
}
