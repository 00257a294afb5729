/**
 * The shop's backend (jobs/api.ts): the product catalog as JSON under the paths the app sees
 * after Fabio strips `/api`, plus the feature flags read from Consul.
 */
import { json } from '../shared/answers.ts';
import { type AppDeps, createHttpApp, type ExampleApp } from '../shared/http-app.ts';
import { CATALOG, listProducts, productById } from './catalog.ts';
import type { ApiConfig } from './config.ts';

/** The api as a request handler; `main.ts` gives it a socket, the sandbox a simulated instance. */
export function createApp(config: ApiConfig, deps: AppDeps = {}): ExampleApp {
  return createHttpApp({
    ...deps,
    name: 'api',
    chaos: config.chaos,
    routes: [
      { name: 'products', path: '/products', respond: ({ url }) => listProducts(CATALOG, url.searchParams.get('limit')) },
      { name: 'product', path: /^\/products\/([^/]+)$/, respond: ({ params }) => productById(CATALOG, params[0]) },
      { name: 'features', path: '/features', respond: () => json(200, { flags: config.featureFlags }) },
    ],
  });
}
