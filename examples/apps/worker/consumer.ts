/**
 * The worker's consumer: `concurrency` lanes taking orders from the queue, each order counted by
 * outcome. On stop it takes no new order and finishes the ones in progress.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { type Chaos, createErrorSpreader } from '../shared/chaos.ts';
import type { Background } from '../shared/http-app.ts';
import type { Logger } from '../shared/log.ts';
import { DURATION_BUCKETS } from '../shared/metrics.ts';
import { type Order, OrderQueue, startProducer } from './queue.ts';

export interface ConsumerOptions {
  readonly queue: OrderQueue;
  readonly queueName: string;
  readonly concurrency: number;
  /** A synthetic order arrives this often; 0 = none (tests push their own). */
  readonly orderIntervalMs: number;
  readonly jobMs: number;
  /** Fails that share of orders (`failed`) and slows every order. */
  readonly chaos: Chaos;
  /** Where the `worker_*` metrics are registered (the app's registry). */
  readonly registry: Registry;
  readonly log: Logger;
}

/** Registers the consumer's metrics; nothing runs until `start()`. */
export function createConsumer(options: ConsumerOptions): Background {
  const { queue, queueName, log } = options;
  const registers = [options.registry];
  const jobs = new Counter({ name: 'worker_jobs_total', help: 'Orders taken from the queue, by outcome (done, failed, abandoned at shutdown).', labelNames: ['queue', 'outcome'] as const, registers });
  const duration = new Histogram({ name: 'worker_job_duration_seconds', help: 'Time to process one order.', labelNames: ['queue'] as const, buckets: [...DURATION_BUCKETS], registers });
  const inProgress = new Gauge({ name: 'worker_jobs_in_progress', help: 'Orders being processed now.', labelNames: ['queue'] as const, registers });
  new Gauge({ name: 'worker_queue_depth', help: 'Orders waiting in the queue.', labelNames: ['queue'] as const, registers, collect() { this.set({ queue: queueName }, queue.depth); } });
  for (const outcome of ['done', 'failed']) jobs.inc({ queue: queueName, outcome }, 0);
  inProgress.set({ queue: queueName }, 0);

  const failNext = createErrorSpreader(options.chaos.errorRatio);
  const stopping = new AbortController();
  const cutting = new AbortController();
  let lanes: Promise<void>[] | undefined;
  let stopProducer = (): void => {};

  const work = async (order: Order): Promise<void> => {
    const started = performance.now();
    inProgress.inc({ queue: queueName });
    const finished = await delay(options.jobMs + options.chaos.latencyMs, undefined, { signal: cutting.signal }).then(() => true, () => false);
    const outcome = !finished ? 'abandoned' : failNext() ? 'failed' : 'done';
    inProgress.dec({ queue: queueName });
    jobs.inc({ queue: queueName, outcome });
    duration.observe({ queue: queueName }, (performance.now() - started) / 1000);
    if (outcome === 'failed') log.warn('order failed', { order: order.id, cause: 'EXAMPLE_ERROR_RATIO' });
    else log.debug(`order ${outcome}`, { order: order.id, items: order.items });
  };
  const lane = async (): Promise<void> => {
    while (!stopping.signal.aborted) {
      const order = await queue.take(stopping.signal);
      if (order) await work(order);
    }
  };

  return {
    start: () => {
      if (lanes) return;
      stopProducer = startProducer(queue, options.orderIntervalMs);
      lanes = Array.from({ length: options.concurrency }, lane);
    },
    stop: async () => {
      stopProducer();
      stopping.abort();
      await Promise.all(lanes ?? []);
    },
    cut: () => cutting.abort(),
  };
}
