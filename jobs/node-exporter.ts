import { defineJob } from '../src/index.ts';

/** Prometheus node exporter on every client (a Kubernetes DaemonSet). */
export default defineJob(() => ({
  id: 'node-exporter',
  kind: 'system',
  description: 'Host metrics for Prometheus on every Nomad client.',
  owner: 'team-platform',
  priority: 80,
  update: { strategy: 'rolling', maxParallel: 5, minHealthyTime: '5s', healthyDeadline: '1m', progressDeadline: '3m', autoRevert: true },
  groups: [
    {
      name: 'exporter',
      ports: { metrics: { static: 9100 } },
      shutdownDelay: '5s',
      services: [
        { name: 'node-exporter', port: 'metrics', tags: ['metrics'], checks: [{ type: 'http', path: '/metrics', interval: '30s', timeout: '5s' }] },
      ],
      tasks: [
        {
          name: 'node-exporter',
          driver: 'raw_exec',
          command: 'local/node_exporter-1.8.2.linux-amd64/node_exporter',
          // The textfile directory is where `drover deploy --metrics-file` writes drover.prom
          // (prometheus/README.md): the DroverDeploy* alerts read it through this exporter.
          args: ['--web.listen-address=:9100', '--path.rootfs=/', '--collector.textfile.directory=/var/lib/node-exporter/textfile'],
          artifacts: [
            {
              source: 'https://github.com/prometheus/node_exporter/releases/download/v1.8.2/node_exporter-1.8.2.linux-amd64.tar.gz',
              destination: 'local/',
              options: { checksum: 'sha256:6809dd0b3ec45fd6e992c19071d6b5253aed3ead7bf0686885a51d85c6643c66' },
            },
          ],
          resources: { cpu: 100, memoryMb: 64 },
        },
      ],
    },
  ],
}), {
  excludeFrom: { dev: 'host metrics are for the fleet; on a dev machine the job would download node_exporter from GitHub and hold port 9100' },
});
