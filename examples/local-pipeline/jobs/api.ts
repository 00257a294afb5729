import { defineJob } from '../../../src/index.ts';
import { CHECKOUT_IS_SET, fromCheckout } from './lib/checkout.ts';

/**
 * The shop backend (examples/apps/api), routed at /api, from the checkout. Its database
 * credentials come from Vault through the task's workload identity, its log level and feature
 * flags from Consul; drover up seeds placeholders for both.
 */
export default defineJob((env) => ({
  id: 'api',
  kind: 'service',
  description: 'Shop backend (REST under /api).',
  owner: 'team-shop',
  update: { strategy: 'canary', canaries: 1, maxParallel: 1, minHealthyTime: '5s', healthyDeadline: '1m', progressDeadline: '3m', autoRevert: true },
  // Through Fabio the public path (Fabio strips /api); via Consul the app's own path.
  smoke: [
    { name: 'product list', via: 'fabio', path: '/api/products?limit=1', bodyPattern: '^\\[', maxLatencyMs: 1000 },
    { name: 'ready', via: 'consul', path: '/ready' },
  ],
  groups: [
    {
      name: 'api',
      // prod keeps stable instances beside its canary.
      count: env.is('prod') ? 2 : 1,
      // raw_exec maps no ports: the app listens on the host port Nomad picks (PORT below).
      ports: { http: {} },
      constraints: [CHECKOUT_IS_SET],
      shutdownDelay: '2s',
      services: [
        {
          name: 'api',
          port: 'http',
          tags: ['http', env.name],
          routes: [{ path: '/api', strip: '/api' }],
          checks: [
            { type: 'http', name: 'api-ready', path: '/ready', interval: '5s', timeout: '2s' },
            { type: 'http', name: 'api-live', path: '/healthz', interval: '10s', timeout: '2s', restart: { limit: 3, grace: '30s' } },
          ],
        },
      ],
      tasks: [
        {
          name: 'api',
          ...fromCheckout('api'),
          // The example app only checks that the database settings are there; it never connects.
          env: { PORT: '${NOMAD_PORT_http}', DATABASE_HOST: 'postgres.service.consul', DATABASE_NAME: 'shop' },
          secrets: [
            { env: 'DATABASE_USER', path: 'shop/api/database', key: 'username' },
            { env: 'DATABASE_PASSWORD', path: 'shop/api/database', key: 'password' },
          ],
          config: [
            { env: 'LOG_LEVEL', key: 'shop/api/log_level' },
            { env: 'FEATURE_FLAGS', key: 'shop/api/feature_flags' },
          ],
          resources: { cpu: 200, memoryMb: 256 },
          killTimeout: '20s',
        },
      ],
    },
  ],
}));
