/** Runs the worker: `node --import tsx examples/apps/worker/main.ts --concurrency 2` (variables in examples/apps/README.md). */
import { runExample } from '../shared/main.ts';
import { createApp } from './app.ts';
import { loadWorkerConfig } from './config.ts';

process.exitCode = await runExample({
  name: 'worker',
  loadConfig: loadWorkerConfig,
  createApp,
  describe: (config) => ({ port: config.port, queue: config.queueName, concurrency: config.concurrency }),
});
