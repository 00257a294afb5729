import { defineJob, type TaskSpec } from '../src/index.ts';
import { CHECKOUT_IS_SET, fromCheckout } from './lib/checkout.ts';

/** The image's nginx, configured by a template; dev runs examples/apps/www instead. */
const nginx: TaskSpec = {
  name: 'nginx',
  image: 'ghcr.io/example-shop/www:3.2.0',
  env: { API_BASE_URL: '/api' },
  templates: [
    {
      destination: 'local/nginx/default.conf',
      onChange: { mode: 'signal', signal: 'SIGHUP' },
      data: [
        'server {',
        '  listen 80;',
        '  location /healthz { return 200 "ok"; }',
        '  location / { root /usr/share/nginx/html; try_files $uri /index.html; }',
        '}',
        '',
      ].join('\n'),
    },
  ],
  extra: { volumes: ['local/nginx:/etc/nginx/conf.d'] },
  resources: { cpu: 100, memoryMb: 64, memoryMaxMb: 128 },
};

/**
 * The storefront: static frontend at / on the environment's domain, served by nginx from the
 * image. In dev examples/apps/www serves it, from the agent's checkout with raw_exec.
 */
export default defineJob((env) => ({
  id: 'www',
  kind: 'service',
  description: 'Storefront web frontend.',
  owner: 'team-web',
  dependsOn: ['api'],
  update: { strategy: 'rolling', maxParallel: 2, minHealthyTime: '10s', healthyDeadline: '2m', progressDeadline: '5m', autoRevert: true },
  // Run in QA before a release counts as verified: once through Fabio as shoppers arrive, once straight at an instance.
  smoke: [
    { name: 'home page', via: 'fabio', path: '/', host: `www.${env.fabio.domain}`, bodyPattern: '<html', maxLatencyMs: 2000 },
    { name: 'health', via: 'consul', path: '/healthz', bodyPattern: '^ok$' },
  ],
  groups: [
    {
      name: 'web',
      count: env.pick({ dev: 1, qa: 1, prod: 4 }),
      // raw_exec maps no ports: in dev the app listens on the host port, NOMAD_PORT_http.
      ports: { http: env.is('dev') ? {} : { to: 80 } },
      constraints: env.is('dev') ? [CHECKOUT_IS_SET] : undefined,
      // Consul (and so Fabio) stops routing to an instance this long before its tasks are told to stop.
      shutdownDelay: '5s',
      services: [
        {
          name: 'www',
          port: 'http',
          tags: ['http', env.name],
          routes: [{ host: `www.${env.fabio.domain}`, path: '/' }, { path: '/' }],
          checks: [{ type: 'http', path: '/healthz', interval: '10s', timeout: '2s' }],
        },
      ],
      tasks: [
        env.is('dev') ? { name: 'www', ...fromCheckout('www'), env: { API_BASE_URL: '/api' }, resources: { cpu: 100, memoryMb: 256 } } : nginx,
      ],
    },
  ],
}));
