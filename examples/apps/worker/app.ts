/**
 * The order queue consumer (jobs/worker.ts). It takes no traffic: its HTTP side is `/metrics`
 * (which the job's check reads), `/ready` and `/healthz`; the consumer runs as background work.
 */
import { createHttpApp, type AppDeps, type ExampleApp } from '../shared/http-app.ts';
import { SILENT_LOGGER } from '../shared/log.ts';
import { createHttpMetrics } from '../shared/metrics.ts';
import type { WorkerConfig } from './config.ts';
import { createConsumer } from './consumer.ts';
import { OrderQueue } from './queue.ts';

/** The worker; `queue` lets a test feed orders itself. */
export function createApp(config: WorkerConfig, deps: AppDeps & { readonly queue?: OrderQueue } = {}): ExampleApp {
  const metrics = deps.metrics ?? createHttpMetrics();
  const background = createConsumer({
    queue: deps.queue ?? new OrderQueue(),
    queueName: config.queueName,
    concurrency: config.concurrency,
    orderIntervalMs: config.orderIntervalMs,
    jobMs: config.jobMs,
    chaos: config.chaos,
    registry: metrics.registry,
    log: deps.log ?? SILENT_LOGGER,
  });
  return createHttpApp({ ...deps, metrics, name: 'worker', chaos: config.chaos, routes: [], background });
}
