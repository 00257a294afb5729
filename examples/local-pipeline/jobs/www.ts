import { defineJob } from '../../../src/index.ts';
import { CHECKOUT_IS_SET, fromCheckout } from './lib/checkout.ts';

/** The storefront (examples/apps/www): an HTML page at / on www.localhost, from the checkout. */
export default defineJob((env) => ({
  id: 'www',
  kind: 'service',
  description: 'Storefront web frontend.',
  owner: 'team-web',
  dependsOn: ['api'],
  update: { strategy: 'canary', canaries: 1, maxParallel: 1, minHealthyTime: '5s', healthyDeadline: '1m', progressDeadline: '3m', autoRevert: true },
  // Run in QA before a release counts as verified: once through Fabio, once straight at an instance.
  smoke: [
    { name: 'home page', via: 'fabio', path: '/', host: `www.${env.fabio.domain}`, bodyPattern: '<html', maxLatencyMs: 2000 },
    { name: 'health', via: 'consul', path: '/healthz', bodyPattern: '^ok$' },
  ],
  groups: [
    {
      name: 'web',
      // prod keeps stable instances beside its canary.
      count: env.is('prod') ? 2 : 1,
      // raw_exec maps no ports: the app listens on the host port Nomad picks, NOMAD_PORT_http.
      ports: { http: {} },
      constraints: [CHECKOUT_IS_SET],
      shutdownDelay: '2s',
      services: [
        {
          name: 'www',
          port: 'http',
          tags: ['http', env.name],
          routes: [{ host: `www.${env.fabio.domain}`, path: '/' }],
          checks: [{ type: 'http', path: '/healthz', interval: '5s', timeout: '2s' }],
        },
      ],
      tasks: [{ name: 'www', ...fromCheckout('www'), env: { API_BASE_URL: '/api' }, resources: { cpu: 100, memoryMb: 256 } }],
    },
  ],
}));
