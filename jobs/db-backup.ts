import { defineJob } from '../src/index.ts';

/** Nightly logical backup of the shop database to object storage (a Kubernetes CronJob). */
export default defineJob((env) => ({
  id: 'db-backup',
  kind: 'batch',
  description: 'Nightly pg_dump of the shop database.',
  owner: 'team-data',
  // Not env.pick: the job is excluded from dev, so it has no dev value to give.
  periodic: { crons: [env.is('prod') ? '15 2 * * *' : '30 4 * * 1'], timeZone: 'Europe/Berlin', prohibitOverlap: true },
  groups: [
    {
      name: 'backup',
      count: 1,
      restart: { attempts: 2, interval: '30m', delay: '1m', mode: 'fail' },
      reschedule: { attempts: 1, interval: '1h', delay: '5m', delayFunction: 'constant', unlimited: false },
      tasks: [
        {
          name: 'pg-dump',
          image: 'ghcr.io/example-shop/pg-backup:2.1.0',
          args: ['--database', 'shop', '--target', `s3://shop-backups-${env.name}/postgres/`],
          env: { DATABASE_HOST: 'postgres.service.consul' },
          secrets: [
            { env: 'PGPASSWORD', path: 'shop/postgres', key: 'password' },
            { env: 'AWS_SECRET_ACCESS_KEY', path: 'shop/backup/s3', key: 'secret_access_key' },
            { env: 'AWS_ACCESS_KEY_ID', path: 'shop/backup/s3', key: 'access_key_id' },
          ],
          resources: { cpu: 500, memoryMb: 512 },
        },
      ],
    },
  ],
}), {
  excludeFrom: { dev: 'backs up postgres, which does not run in dev, with a docker image' },
});
