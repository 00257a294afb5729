import { defineJob } from '../src/index.ts';
import { renderFabioProperties } from '../src/render/fabio-properties.ts';

/**
 * Fabio, the Consul-driven load balancer, on every client; configured by
 * fabio/fabio.<env>.properties (embedded). Fleets download the release binary into an isolated
 * exec task; a dev agent (raw_exec only, often offline) runs the `fabio` on its own PATH.
 *
 * Its Consul token is the task's workload identity, never a value in the properties: under Consul
 * ACLs Nomad logs the task in (consulIdentity) and sets CONSUL_HTTP_TOKEN, which Fabio's Consul
 * client reads while `registry.consul.token` is unset; Consul's binding rule for this job
 * (terraform/modules/consul-nomad-workloads, role drover-fabio) lets it read the catalog, its KV
 * prefix and the agent, and register itself. Without ACLs (dev) Nomad gives no token.
 */
export default defineJob((env) => ({
  id: 'fabio',
  kind: 'system',
  description: 'Fabio HTTP router (reads urlprefix- tags from Consul).',
  owner: 'team-platform',
  priority: 90,
  update: { strategy: 'rolling', maxParallel: 1, minHealthyTime: '10s', healthyDeadline: '2m', progressDeadline: '5m', autoRevert: true },
  groups: [
    {
      name: 'fabio',
      ports: {
        proxy: { static: env.fabio.proxyPort },
        ui: { static: env.fabio.uiPort },
        metrics: { static: env.fabio.metricsPort },
      },
      shutdownDelay: '5s',
      services: [
        {
          name: 'fabio-metrics',
          port: 'metrics',
          tags: ['metrics', 'prometheus'],
          checks: [{ type: 'tcp', interval: '10s', timeout: '2s' }],
        },
      ],
      tasks: [
        {
          name: 'fabio',
          ...(env.is('dev') ? { driver: 'raw_exec' as const, command: 'fabio' } : { driver: 'exec' as const, command: 'local/fabio' }),
          args: ['-cfg', 'local/fabio.properties'],
          consulIdentity: true,
          artifacts: env.is('dev')
            ? undefined
            : [
                {
                  source: 'https://github.com/fabiolb/fabio/releases/download/v1.7.3/fabio-1.7.3-linux_amd64',
                  destination: 'local/fabio',
                  mode: 'file',
                },
              ],
          // The same text as the committed fabio/fabio.<env>.properties, so admins and the job agree.
          templates: [{ destination: 'local/fabio.properties', data: renderFabioProperties(env), onChange: { mode: 'restart' } }],
          resources: { cpu: 200, memoryMb: 128 },
        },
      ],
    },
  ],
}));
