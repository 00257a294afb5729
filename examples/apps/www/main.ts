/** Runs the storefront: `node --import tsx examples/apps/www/main.ts` (variables in examples/apps/README.md). */
import { runExample } from '../shared/main.ts';
import { createApp } from './app.ts';
import { loadWwwConfig } from './config.ts';

process.exitCode = await runExample({
  name: 'www',
  loadConfig: loadWwwConfig,
  createApp,
  describe: (config) => ({ port: config.port, apiBaseUrl: config.apiBaseUrl }),
});
