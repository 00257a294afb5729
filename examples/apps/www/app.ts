/** The storefront (jobs/www.ts): its page at `/`, the script at `/app.js`. */
import { type AppDeps, createHttpApp, type ExampleApp } from '../shared/http-app.ts';
import type { WwwConfig } from './config.ts';
import { APP_SCRIPT, indexPage } from './pages.ts';

/** The storefront as a request handler; `main.ts` gives it a socket, the sandbox a simulated instance. */
export function createApp(config: WwwConfig, deps: AppDeps = {}): ExampleApp {
  const page = indexPage(config.apiBaseUrl);
  return createHttpApp({
    ...deps,
    name: 'www',
    chaos: config.chaos,
    routes: [
      { name: 'index', path: '/', respond: () => page },
      { name: 'script', path: '/app.js', respond: () => APP_SCRIPT },
    ],
  });
}
