/** The worker example app: its consumer's outcomes in /metrics, and a shutdown that finishes the order in progress. */
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../examples/apps/worker/app.ts';
import { OrderQueue } from '../../examples/apps/worker/queue.ts';
import { workerConfig, PASSWORD } from './fixtures.ts';
import { eventually, metric, request, serveApp, type ServedApp } from './harness.ts';

const jobs = (outcome: string) => `worker_jobs_total{queue="orders",outcome="${outcome}"}`;

describe('the worker example app', () => {
  let served: ServedApp | undefined;
  afterEach(async () => {
    await served?.server.shutdown('test over');
    served = undefined;
  });

  it('processes queued orders on its lanes and counts them by outcome, failing the chaos share', async () => {
    const queue = new OrderQueue();
    served = await serveApp((log) => createApp(workerConfig({ EXAMPLE_ERROR_RATIO: '0.25', WORKER_JOB_MS: '5' }, ['--concurrency', '2']), { log, queue }));
    const { url } = served;
    expect(await metric(url, jobs('failed'))).toBe(0);
    for (let id = 1; id <= 8; id++) queue.push({ id, items: 1 });
    // Both counters settle together: done can reach 6 while the last failing order is still in progress.
    await eventually(async () => expect([(await metric(url, jobs('done'))) ?? 0, (await metric(url, jobs('failed'))) ?? 0]).toEqual([6, 2]));
    expect(await metric(url, 'worker_queue_depth{queue="orders"}')).toBe(0);
    expect(await metric(url, 'worker_job_duration_seconds_count{queue="orders"}')).toBe(8);
    expect(served.lines.filter((l) => l.includes('"order failed"'))).toHaveLength(2);
  });

  it('serves /metrics (the job\'s check), /ready and /healthz and counts the health requests', async () => {
    served = await serveApp((log) => createApp(workerConfig(), { log }));
    expect((await request(`${served.url}/ready`)).status).toBe(200);
    const metrics = await request(`${served.url}/metrics`);
    expect([metrics.status, metrics.headers['content-type']]).toEqual([200, 'text/plain; version=0.0.4; charset=utf-8']);
    expect(metrics.body).toContain('http_requests_total{code="200",route="ready",method="GET"} 1');
    expect(metrics.body).not.toContain(PASSWORD);
  });

  it('on shutdown takes no new order and finishes the one in progress', async () => {
    const queue = new OrderQueue();
    served = await serveApp((log) => createApp(workerConfig({ WORKER_JOB_MS: '300' }), { log, queue }));
    const { url } = served;
    queue.push({ id: 1, items: 2 });
    queue.push({ id: 2, items: 3 });
    await eventually(async () => expect(await metric(url, 'worker_jobs_in_progress{queue="orders"}')).toBe(1));
    const shutdown = served.server.shutdown('SIGTERM');
    expect(await shutdown).toBe('drained');
    expect(queue.depth).toBe(1); // order 2 was never taken
    expect(served.lines.map((l) => JSON.parse(l) as { msg: string; order?: number }).filter((l) => l.msg.startsWith('order')).map((l) => [l.msg, l.order])).toEqual([['order done', 1]]);
  });

  it('abandons the order in progress when the shutdown bound passes', async () => {
    const queue = new OrderQueue();
    served = await serveApp((log) => createApp(workerConfig({ WORKER_JOB_MS: '5000' }), { log, queue }), 100);
    queue.push({ id: 1, items: 1 });
    await eventually(async () => expect(await metric(served!.url, 'worker_jobs_in_progress{queue="orders"}')).toBe(1));
    const started = Date.now();
    expect(await served.server.shutdown('SIGTERM')).toBe('timed-out');
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(served.lines.some((l) => l.includes('"order abandoned"'))).toBe(true);
  });
});
