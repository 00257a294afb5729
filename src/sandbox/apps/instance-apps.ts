/**
 * What answers on one simulated instance: the example app it runs (examples/apps/), or a scripted
 * stand-in built from the same plumbing, both counting into one `/metrics` of the instance's own.
 * Scripted faults are handed to the app as its fault for the request, so a canary's injected 503s
 * and latency land in the canary's own `http_requests_total` and latency histogram, as a real
 * app's own 503s would.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHttpApp, type ExampleApp, METRICS_PATH } from '../../../examples/apps/shared/http-app.ts';
import { createHttpMetrics, type HttpMetrics } from '../../../examples/apps/shared/metrics.ts';
import type { InstancePlan } from './behaviour.ts';
import { createExampleApp, type ExampleAppName } from './real-apps.ts';

/** How the instance's service is scripted, asked per request. */
export interface InstanceScript {
  /** Decides one request (consumes a turn of the error spread). */
  plan(path: string): InstancePlan;
  /** The app the instance runs now, without deciding a request. */
  app(): ExampleAppName | undefined;
}

/** The apps of one instance; a new instance (new allocation) gets new ones, so its counters start at 0. */
export class InstanceApps {
  private readonly metrics: HttpMetrics = createHttpMetrics();
  private readonly scripted: ExampleApp;
  private readonly real = new Map<ExampleAppName, ExampleApp>();

  constructor(private readonly script: InstanceScript) {
    this.scripted = createHttpApp({ name: 'scripted', routes: [], metrics: this.metrics });
    this.scripted.setReady(true);
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://app').pathname;
    // A scrape decides nothing: it neither takes an error turn nor can be failed by a script.
    if (path === METRICS_PATH) return this.current().handle(req, res);
    const plan = this.script.plan(path);
    const app = plan.kind === 'app' ? this.appFor(plan.app) : this.scripted;
    await app.handle(req, res, { fault: { latencyMs: plan.latencyMs, ...(plan.answer ? { answer: plan.answer } : {}) } });
  }

  /** Cuts answers still waiting out their latency. */
  close(): void {
    this.scripted.close();
    for (const app of this.real.values()) app.close();
  }

  /** The app scripted now; a scrape creates it, so its series are exposed (at 0) before its first request. */
  private current(): ExampleApp {
    const name = this.script.app();
    return name ? this.appFor(name) : this.scripted;
  }

  private appFor(name: ExampleAppName): ExampleApp {
    let app = this.real.get(name);
    if (!app) this.real.set(name, (app = createExampleApp(name, { metrics: this.metrics })));
    return app;
  }
}
