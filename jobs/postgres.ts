import { defineJob } from '../src/index.ts';

/** The shop's database: one stateful instance pinned to the node that holds its host volume. */
export default defineJob((env) => ({
  id: 'postgres',
  kind: 'service',
  description: 'PostgreSQL 16 for the shop (stateful, host volume, not routed).',
  owner: 'team-data',
  groups: [
    {
      name: 'db',
      count: 1,
      ports: { db: { static: 5432, to: 5432 } },
      volumes: { data: { type: 'host', source: 'postgres-data' } },
      constraints: [{ attribute: '${meta.storage}', value: 'ssd' }],
      update: { strategy: 'rolling', maxParallel: 1, minHealthyTime: '20s', healthyDeadline: '3m', progressDeadline: '10m', autoRevert: true },
      restart: { attempts: 3, interval: '10m', delay: '30s', mode: 'fail' },
      shutdownDelay: '5s',
      services: [
        {
          name: 'postgres',
          port: 'db',
          tags: ['db', env.name],
          checks: [{ type: 'tcp', interval: '10s', timeout: '2s' }],
        },
      ],
      tasks: [
        {
          name: 'postgres',
          image: 'docker.io/library/postgres:16.4',
          env: { PGDATA: '/var/lib/postgresql/data/pgdata', POSTGRES_DB: 'shop', POSTGRES_USER: 'shop' },
          secrets: [{ env: 'POSTGRES_PASSWORD', path: 'shop/postgres', key: 'password' }],
          volumeMounts: [{ volume: 'data', destination: '/var/lib/postgresql/data' }],
          // Not env.pick: the job is excluded from dev, so it has no dev value to give.
          resources: env.is('prod') ? { cpu: 2000, memoryMb: 4096, memoryMaxMb: 6144 } : { cpu: 500, memoryMb: 512 },
          killTimeout: '60s',
          killSignal: 'SIGINT',
        },
      ],
    },
  ],
}), {
  excludeFrom: { dev: 'needs docker and the postgres-data host volume; in dev the example apps run without a database' },
});
