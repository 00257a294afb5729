import type { JobSpec } from '../src/model/job.ts';
import type { Environment } from '../src/config/environment.ts';
import type { LoadedJob } from '../src/model/loaded-job.ts';

/**
 * `count` realistic, valid, distinct service jobs: routed HTTP services with readiness and
 * liveness checks, Vault secrets, Consul KV config, canary updates, autoscaling, and a dependency
 * on the previous job in a chain of ten.
 */
export function generateJobs(count: number, env: Environment): LoadedJob[] {
  return Array.from({ length: count }, (_, i) => ({ file: `jobs/svc-${i}.ts`, spec: generatedJob(i, env) }));
}

function generatedJob(i: number, env: Environment): JobSpec {
  const id = `svc-${i}`;
  return {
    id,
    kind: 'service',
    owner: `team-${i % 17}`,
    description: `Generated service ${i}`,
    dependsOn: i % 10 === 0 ? [] : [`svc-${i - 1}`],
    update: { strategy: 'canary', canaries: 1, promotion: 'auto', minHealthyTime: '10s', healthyDeadline: '3m', progressDeadline: '8m' },
    groups: [
      {
        name: 'app',
        scaling: { min: 2, max: 6, target: { kind: 'cpu', percent: 60 } },
        ports: { http: { to: 8080 }, metrics: { to: 9102 } },
        services: [
          {
            name: id,
            port: 'http',
            tags: ['http', env.name],
            routes: [{ host: `${id}.${env.fabio.domain}`, path: '/' }, { path: `/${id}`, strip: `/${id}` }],
            checks: [
              { type: 'http', path: '/ready', interval: '5s', timeout: '2s' },
              { type: 'http', path: '/healthz', interval: '10s', timeout: '2s', restart: { limit: 3, grace: '30s' } },
            ],
          },
          { name: `${id}-metrics`, port: 'metrics', checks: [{ type: 'tcp', interval: '15s', timeout: '3s' }] },
        ],
        tasks: [
          {
            name: 'app',
            image: `ghcr.io/example/${id}:1.${i}.0`,
            env: { PORT: '8080', SERVICE_NAME: id },
            secrets: [
              { env: 'DATABASE_PASSWORD', path: `${id}/database`, key: 'password' },
              { env: 'API_SIGNING_KEY', path: `${id}/signing`, key: 'key' },
            ],
            config: [{ env: 'LOG_LEVEL', key: `${id}/log_level` }],
            resources: { cpu: 200 + (i % 5) * 100, memoryMb: 256, memoryMaxMb: 512 },
            logs: { maxFiles: 5, maxFileSizeMb: 10 },
          },
        ],
      },
    ],
  };
}
