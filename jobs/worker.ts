import { defineJob } from '../src/index.ts';

/** Queue consumer: no inbound traffic, liveness through a script check. */
export default defineJob((env) => ({
  id: 'worker',
  kind: 'service',
  description: 'Order queue consumer.',
  owner: 'team-shop',
  dependsOn: ['postgres'],
  update: { strategy: 'rolling', maxParallel: 1, minHealthyTime: '10s', healthyDeadline: '3m', progressDeadline: '6m', autoRevert: true },
  groups: [
    {
      name: 'worker',
      count: env.pick({ qa: 1, prod: 3 }),
      ports: { metrics: { to: 9102 } },
      reschedule: { delay: '30s', delayFunction: 'exponential', maxDelay: '10m', unlimited: true },
      services: [
        {
          name: 'worker',
          port: 'metrics',
          tags: ['metrics', env.name],
          checks: [
            { type: 'http', path: '/metrics', interval: '15s', timeout: '3s' },
            { type: 'script', name: 'worker-queue', command: '/app/bin/healthcheck', args: ['--queue'], task: 'worker', interval: '30s', timeout: '5s', restart: { limit: 3, grace: '1m' } },
          ],
        },
      ],
      tasks: [
        {
          name: 'worker',
          image: 'ghcr.io/example-shop/worker:1.8.2',
          args: ['--concurrency', env.pick({ qa: '2', prod: '8' })],
          env: { QUEUE_NAME: 'orders' },
          secrets: [{ env: 'DATABASE_PASSWORD', path: 'shop/worker/database', key: 'password' }],
          resources: env.pick({ qa: { cpu: 200, memoryMb: 256 }, prod: { cpu: 800, memoryMb: 512, memoryMaxMb: 768 } }),
          killTimeout: '45s',
        },
      ],
    },
  ],
}));
