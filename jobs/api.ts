import { defineJob } from '../src/index.ts';
import { CHECKOUT_IS_SET, fromCheckout } from './lib/checkout.ts';

/**
 * The shop's backend: routed at /api, canary updates, autoscaled on CPU, secrets from Vault.
 * In dev it runs examples/apps/api from the agent's checkout with raw_exec (README: "Run the
 * examples on a real dev agent"), without the postgres it waits for elsewhere.
 */
export default defineJob((env) => ({
  id: 'api',
  kind: 'service',
  description: 'Shop backend (REST under /api).',
  owner: 'team-shop',
  dependsOn: env.is('dev') ? [] : ['postgres'],
  links: [{ label: 'Runbook', url: 'https://runbooks.example.internal/shop/api' }],
  update: { strategy: 'canary', canaries: 1, maxParallel: 1, minHealthyTime: '15s', healthyDeadline: '3m', progressDeadline: '8m', autoRevert: true },
  // Through Fabio the public path (Fabio strips /api); via Consul the app's own path.
  smoke: [
    { name: 'product list', via: 'fabio', path: '/api/products?limit=1', bodyPattern: '^\\[', maxLatencyMs: 1000 },
    { name: 'ready', via: 'consul', path: '/ready' },
  ],
  groups: [
    {
      name: 'api',
      scaling: { min: env.pick({ dev: 1, qa: 2, prod: 3 }), max: env.pick({ dev: 2, qa: 5, prod: 10 }), target: { kind: 'cpu', percent: 60 } },
      // raw_exec maps no ports: in dev the app listens on the host port Nomad picks.
      ports: { http: env.is('dev') ? {} : { to: 8080 } },
      constraints: env.is('dev') ? [CHECKOUT_IS_SET] : undefined,
      waitFor: env.is('dev') ? undefined : [{ service: 'postgres' }],
      spreads: env.is('prod') ? [{ attribute: '${node.datacenter}', weight: 100 }] : undefined,
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
      shutdownDelay: '5s',
      tasks: [
        {
          name: 'api',
          ...(env.is('dev') ? fromCheckout('api') : { image: 'ghcr.io/example-shop/api:1.8.2' }),
          // The example app only checks that the database settings are there; it never connects.
          env: { PORT: env.is('dev') ? '${NOMAD_PORT_http}' : '8080', DATABASE_HOST: 'postgres.service.consul', DATABASE_NAME: 'shop' },
          secrets: [
            { env: 'DATABASE_USER', path: 'shop/api/database', key: 'username' },
            { env: 'DATABASE_PASSWORD', path: 'shop/api/database', key: 'password' },
          ],
          config: [
            { env: 'LOG_LEVEL', key: 'shop/api/log_level' },
            { env: 'FEATURE_FLAGS', key: 'shop/api/feature_flags' },
          ],
          resources: env.pick({ dev: { cpu: 200, memoryMb: 256 }, qa: { cpu: 300, memoryMb: 256, memoryMaxMb: 384 }, prod: { cpu: 1000, memoryMb: 768, memoryMaxMb: 1024 } }),
          logs: { maxFiles: 5, maxFileSizeMb: 20 },
          killTimeout: '20s',
        },
      ],
    },
  ],
}));
