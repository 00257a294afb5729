/**
 * One real HTTP listener per registered instance port, answering as that instance (instance-apps.ts).
 * A port that cannot be bound is reported and left unreachable, as a crashed app would be;
 * nothing throws.
 */
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { closeServer, listen, SANDBOX_HOST } from '../listen.ts';
import type { BehaviourBook } from './behaviour.ts';
import { InstanceApps } from './instance-apps.ts';

/** A service instance as read from Consul's catalog. */
export interface AppInstance {
  readonly serviceId: string;
  readonly service: string;
  /** `ServiceAddress`, or the node's address when the service has none. */
  readonly address: string;
  readonly port: number;
  readonly canary: boolean;
}

/** An open (or failed) listener. */
export interface AppListenerState {
  readonly port: number;
  readonly serviceId: string;
  readonly service: string;
  readonly canary: boolean;
  readonly listening: boolean;
}

/** Header on every simulated answer, so nobody mistakes it for a real application's. */
export const SIMULATED_APP_HEADER = 'X-Drover-Sandbox';


interface Slot {
  instance: AppInstance;
  readonly server: Server;
  listening: boolean;
  /** Replaced when another instance (allocation) takes the port: a new process, new counters. */
  apps: InstanceApps;
}

/** The listeners, reconciled against the catalog by {@link AppListeners.reconcile}. */
export class AppListeners {
  private readonly slots = new Map<number, Slot>();

  constructor(
    private readonly book: BehaviourBook,
    private readonly onProblem: (message: string) => void,
  ) {}

  /**
   * Opens listeners for new instance ports and closes those whose instances are gone. Two
   * registrations on one port (two services on one port label) share it: the first by ID answers.
   */
  async reconcile(instances: readonly AppInstance[]): Promise<void> {
    const wanted = new Map<number, AppInstance>();
    for (const instance of [...instances].sort((a, b) => (a.serviceId < b.serviceId ? -1 : a.serviceId > b.serviceId ? 1 : 0))) {
      if (!wanted.has(instance.port)) wanted.set(instance.port, instance);
    }
    for (const [port, slot] of this.slots) if (!wanted.has(port)) await this.closeSlot(port, slot);
    for (const [port, instance] of wanted) {
      const slot = this.slots.get(port);
      if (!slot) await this.open(instance);
      else if (slot.instance.serviceId === instance.serviceId) slot.instance = instance;
      else {
        slot.apps.close();
        slot.instance = instance;
        slot.apps = this.appsOf(() => slot.instance);
      }
    }
  }

  /** What is open, by port. */
  list(): AppListenerState[] {
    return [...this.slots.values()].map(({ instance, listening }) => ({ port: instance.port, serviceId: instance.serviceId, service: instance.service, canary: instance.canary, listening }));
  }

  /** Closes every listener and cuts answers that are still waiting out their latency. */
  async close(): Promise<void> {
    await Promise.all([...this.slots].map(([port, slot]) => this.closeSlot(port, slot)));
  }

  private async open(instance: AppInstance): Promise<void> {
    const server = createServer((req, res) => void this.answer(slot, req, res));
    const slot: Slot = { instance, server, listening: false, apps: this.appsOf(() => slot.instance) };
    this.slots.set(instance.port, slot);
    // Keep-alive sockets from Fabio's pool would otherwise keep a closed app answering.
    slot.server.keepAliveTimeout = 2_000;
    try {
      await listen(slot.server, instance.port);
      slot.listening = true;
    } catch (error) {
      // The slot stays, not listening, so the failure is reported once, not on every catalog change.
      this.onProblem(`instance ${instance.serviceId} of ${instance.service} cannot listen on ${SANDBOX_HOST}:${instance.port} (${(error as Error).message}); it stays unreachable`);
    }
  }

  /** Apps scripted by what the book says about the instance `current()` is (its canary tag can change). */
  private appsOf(current: () => AppInstance): InstanceApps {
    return new InstanceApps({
      plan: (path) => this.book.plan(current().service, current().canary, path),
      app: () => this.book.appOf(current().service, current().canary),
    });
  }

  private async answer(slot: Slot, req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader(SIMULATED_APP_HEADER, 'simulated-app');
    res.setHeader('X-Drover-Sandbox-Instance', slot.instance.serviceId);
    await slot.apps.handle(req, res);
  }

  private async closeSlot(port: number, slot: Slot): Promise<void> {
    this.slots.delete(port);
    slot.apps.close();
    if (!slot.listening) return;
    await closeServer(slot.server);
  }
}
