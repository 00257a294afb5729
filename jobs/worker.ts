import { defineJob, type Environment, type ServiceCheck } from '../src/index.ts';
import { CHECKOUT_IS_SET, fromCheckout } from './lib/checkout.ts';

/** Runs the image's own queue probe inside the task; a dev checkout has no such program. */
const queueCheck: ServiceCheck = { type: 'script', name: 'worker-queue', command: '/app/bin/healthcheck', args: ['--queue'], task: 'worker', interval: '30s', timeout: '5s', restart: { limit: 3, grace: '1m' } };

const concurrency = (env: Environment) => ['--concurrency', env.pick({ dev: '2', qa: '2', prod: '8' })];

/**
 * Queue consumer: no inbound traffic, liveness through a script check. In dev it runs
 * examples/apps/worker from the agent's checkout with raw_exec, without postgres and without the
 * script check.
 */
export default defineJob((env) => ({
  id: 'worker',
  kind: 'service',
  description: 'Order queue consumer.',
  owner: 'team-shop',
  dependsOn: env.is('dev') ? [] : ['postgres'],
  update: { strategy: 'rolling', maxParallel: 1, minHealthyTime: '10s', healthyDeadline: '3m', progressDeadline: '6m', autoRevert: true },
  groups: [
    {
      name: 'worker',
      count: env.pick({ dev: 1, qa: 1, prod: 3 }),
      // raw_exec maps no ports: in dev the app listens on the host port, NOMAD_PORT_metrics.
      ports: { metrics: env.is('dev') ? {} : { to: 9102 } },
      constraints: env.is('dev') ? [CHECKOUT_IS_SET] : undefined,
      reschedule: { delay: '30s', delayFunction: 'exponential', maxDelay: '10m', unlimited: true },
      shutdownDelay: '5s',
      services: [
        {
          name: 'worker',
          port: 'metrics',
          tags: ['metrics', env.name],
          checks: [{ type: 'http', path: '/metrics', interval: '15s', timeout: '3s' }, ...(env.is('dev') ? [] : [queueCheck])],
        },
      ],
      tasks: [
        {
          name: 'worker',
          ...(env.is('dev') ? fromCheckout('worker', concurrency(env)) : { image: 'ghcr.io/example-shop/worker:1.8.2', args: concurrency(env) }),
          env: { QUEUE_NAME: 'orders' },
          secrets: [{ env: 'DATABASE_PASSWORD', path: 'shop/worker/database', key: 'password' }],
          resources: env.pick({ dev: { cpu: 200, memoryMb: 256 }, qa: { cpu: 200, memoryMb: 256 }, prod: { cpu: 800, memoryMb: 512, memoryMaxMb: 768 } }),
          killTimeout: '45s',
        },
      ],
    },
  ],
}));
