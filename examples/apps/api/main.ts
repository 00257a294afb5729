/** Runs the api: `node --import tsx examples/apps/api/main.ts` (variables in examples/apps/README.md). */
import { runExample } from '../shared/main.ts';
import { createApp } from './app.ts';
import { loadApiConfig } from './config.ts';

process.exitCode = await runExample({
  name: 'api',
  loadConfig: loadApiConfig,
  createApp,
  describe: (config) => ({ port: config.port, databaseHost: config.databaseHost, databaseName: config.databaseName, featureFlags: config.featureFlags.join(',') }),
});
