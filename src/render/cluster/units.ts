import type { Cluster } from '../../config/cluster.ts';
import { runsOn, storeNames, type Role } from './roles.ts';

/** What `unit.service.hbs` needs for one systemd unit. */
export interface UnitView {
  readonly name: string;
  readonly description: string;
  readonly documentation: string;
  readonly after: readonly string[];
  readonly condition: string | null;
  readonly user: string | null;
  readonly environmentFile: string | null;
  readonly execStart: string;
  readonly reload: boolean;
  readonly killSignal: string;
  readonly memlock: boolean;
}

const unit = (fields: Partial<UnitView> & Pick<UnitView, 'name' | 'description' | 'documentation' | 'execStart'>): UnitView => ({
  after: [], condition: null, user: null, environmentFile: null, reload: false, killSignal: 'SIGTERM', memlock: false, ...fields,
});

/**
 * The systemd units of one kind of machine, in start order: Consul first (Nomad registers
 * through it), then the secrets store, Nomad, and the add-ons. Nomad runs as root, which its
 * exec and docker drivers need on clients.
 */
export function unitsFor(cluster: Cluster, role: Role, fabioConfig: string): UnitView[] {
  const store = storeNames(cluster);
  const on = runsOn(cluster, role);
  const units: UnitView[] = [
    unit({ name: 'consul', description: 'Consul agent', documentation: 'https://developer.hashicorp.com/consul/docs', user: 'consul', execStart: '/usr/local/bin/consul agent -config-dir=/etc/consul.d', reload: true, condition: '/etc/consul.d/consul.hcl' }),
  ];
  if (role.server) {
    units.push(unit({
      name: store.product, description: `${store.title} server`, documentation: store.product === 'openbao' ? 'https://openbao.org/docs/' : 'https://developer.hashicorp.com/vault/docs',
      user: store.user, environmentFile: `${store.configDir}/${store.product}.env`, execStart: `${store.binary} server -config=${store.configDir}/${store.product}.hcl`,
      reload: true, killSignal: 'SIGINT', memlock: store.product === 'vault', after: ['consul.service'], condition: `${store.configDir}/${store.product}.hcl`,
    }));
  }
  units.push(unit({
    name: 'nomad', description: 'Nomad agent', documentation: 'https://developer.hashicorp.com/nomad/docs', environmentFile: '/etc/nomad.d/nomad.env',
    execStart: '/usr/local/bin/nomad agent -config=/etc/nomad.d', reload: true, killSignal: 'SIGINT', after: ['consul.service'], condition: '/etc/nomad.d/nomad.hcl',
  }));
  if (on.fabio) {
    units.push(unit({ name: 'fabio', description: 'Fabio HTTP router', documentation: 'https://fabiolb.net/', user: 'fabio', execStart: `/usr/local/bin/fabio -cfg ${fabioConfig}`, after: ['consul.service'], condition: fabioConfig }));
  }
  if (on.nodeExporter) {
    units.push(unit({ name: 'node-exporter', description: 'Prometheus node exporter', documentation: 'https://github.com/prometheus/node_exporter', user: 'node_exporter', execStart: `/usr/local/bin/node_exporter --web.listen-address=:${cluster.ports.nodeExporter}` }));
  }
  if (on.prometheus) {
    units.push(unit({
      name: 'prometheus', description: 'Prometheus', documentation: 'https://prometheus.io/docs/', user: 'prometheus', reload: true, condition: '/etc/prometheus/prometheus.yml',
      execStart: `/usr/local/bin/prometheus --config.file=/etc/prometheus/prometheus.yml --storage.tsdb.path=/opt/prometheus/data --web.listen-address=:${cluster.ports.prometheus}`,
    }));
  }
  return units;
}
