import { defineJob } from '../src/index.ts';

/** The shop's backend: routed at /api, canary updates, autoscaled on CPU, secrets from Vault. */
export default defineJob((env) => ({
  id: 'api',
  kind: 'service',
  description: 'Shop backend (REST under /api).',
  owner: 'team-shop',
  dependsOn: ['postgres'],
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
      scaling: { min: env.pick({ qa: 2, prod: 3 }), max: env.pick({ qa: 5, prod: 10 }), target: { kind: 'cpu', percent: 60 } },
      ports: { http: { to: 8080 } },
      waitFor: [{ service: 'postgres' }],
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
          image: 'ghcr.io/example-shop/api:1.8.2',
          env: { PORT: '8080', DATABASE_HOST: 'postgres.service.consul', DATABASE_NAME: 'shop' },
          secrets: [
            { env: 'DATABASE_USER', path: 'shop/api/database', key: 'username' },
            { env: 'DATABASE_PASSWORD', path: 'shop/api/database', key: 'password' },
          ],
          config: [
            { env: 'LOG_LEVEL', key: 'shop/api/log_level' },
            { env: 'FEATURE_FLAGS', key: 'shop/api/feature_flags' },
          ],
          resources: env.pick({ qa: { cpu: 300, memoryMb: 256, memoryMaxMb: 384 }, prod: { cpu: 1000, memoryMb: 768, memoryMaxMb: 1024 } }),
          logs: { maxFiles: 5, maxFileSizeMb: 20 },
          killTimeout: '20s',
        },
      ],
    },
  ],
}));
