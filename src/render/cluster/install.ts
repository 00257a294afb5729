import type { Cluster, SecretSource } from '../../config/cluster.ts';
import type { Environment } from '../../config/environment.ts';
import { runsOn, storeNames, type Role } from './roles.ts';
import type { UnitView } from './units.ts';

/** What `install.sh.hbs` needs for one kind of machine. */
export interface InstallView {
  readonly packages: readonly string[];
  readonly users: readonly string[];
  readonly dirs: readonly { path: string; owner: string; mode: string }[];
  readonly installs: readonly string[];
  readonly gossip: readonly { from: SecretSource['from']; where: string; file: string; format: string; group: string }[];
  readonly vaultEnv: { file: string; prefix: string; api: number; cluster: number; group: string } | null;
  readonly pki: { url: string; mount: string; role: string; ttl: string; tokenFile: string; dir: string; certs: { agent: string; names: string; group: string }[] } | null;
  readonly units: readonly string[];
}

/** Packages, users, directories, binaries, boot-time secrets and units of one kind of machine. */
export function installView(cluster: Cluster, env: Environment, role: Role, units: readonly UnitView[]): InstallView {
  const store = storeNames(cluster);
  const on = runsOn(cluster, role);
  const drivers = role.server ? [] : role.pool.drivers;
  const usesSsm = cluster.gossip.consul.from === 'aws-ssm' || (role.server && cluster.gossip.nomad.from === 'aws-ssm');
  const packages = [...(drivers.includes('docker') ? ['docker.io'] : []), ...(drivers.includes('java') ? ['default-jre-headless'] : []), ...(usesSsm ? ['awscli'] : [])];
  const installs = [
    `install_hashicorp consul ${cluster.versions.consul}`,
    `install_hashicorp nomad ${cluster.versions.nomad}`,
    ...(role.server ? [store.product === 'openbao' ? `install_openbao ${store.version}` : `install_hashicorp vault ${store.version}`] : []),
    ...(on.fabio ? [`install_fabio ${cluster.versions.fabio}`] : []),
    ...(on.nodeExporter ? [`install_prometheus_release node_exporter node_exporter ${cluster.versions.nodeExporter}`] : []),
    ...(on.prometheus ? [`install_prometheus_release prometheus prometheus ${cluster.versions.prometheus}`] : []),
  ];
  const users = units.flatMap((u) => (u.user ? [u.user] : []));
  const dirs = [
    { path: '/opt/consul/data', owner: 'consul', mode: '0750' },
    { path: '/opt/nomad/data', owner: 'root', mode: '0700' },
    ...(role.server ? [{ path: `/opt/${store.product}/data`, owner: store.user, mode: '0750' }] : []),
    ...(on.prometheus ? [{ path: '/opt/prometheus/data', owner: 'prometheus', mode: '0750' }] : []),
    // Read-only volumes are someone else's directory (Nomad's alloc dir): never re-created or re-permissioned.
    ...(role.server ? [] : Object.values(role.pool.hostVolumes).filter((v) => !v.readOnly).map((v) => ({ path: v.path, owner: 'root', mode: '0755' }))),
  ];
  return { packages, users, dirs, installs, gossip: gossipFiles(cluster, role), vaultEnv: vaultEnv(cluster, role), pki: pki(cluster, env, role), units: units.map((u) => u.name) };
}

function gossipFiles(cluster: Cluster, role: Role): InstallView['gossip'] {
  const where = (source: SecretSource) => (source.from === 'file' ? source.path : source.parameter);
  const consul = { from: cluster.gossip.consul.from, where: where(cluster.gossip.consul), file: '/etc/consul.d/gossip.hcl', format: 'encrypt = "%s"', group: 'consul' };
  const nomad = { from: cluster.gossip.nomad.from, where: where(cluster.gossip.nomad), file: '/etc/nomad.d/gossip.hcl', format: 'server {\\n  encrypt = "%s"\\n}', group: 'root' };
  return role.server ? [consul, nomad] : [consul];
}

function vaultEnv(cluster: Cluster, role: Role): InstallView['vaultEnv'] {
  if (!role.server) return null;
  const store = storeNames(cluster);
  return { file: `${store.configDir}/${store.product}.env`, prefix: store.envPrefix, api: cluster.ports.vault.api, cluster: cluster.ports.vault.cluster, group: store.user };
}

function pki(cluster: Cluster, env: Environment, role: Role): InstallView['pki'] {
  const tls = cluster.tls;
  if (tls.source !== 'vault-pki') return null;
  const region = env.nomad.region;
  const certs = [
    { agent: 'nomad', names: `${role.server ? 'server' : 'client'}.${region}.nomad,localhost`, group: 'root' },
    { agent: 'consul', names: `${role.server ? `server.${role.datacenter}.consul,` : ''}localhost`, group: 'consul' },
    ...(role.server ? [{ agent: 'vault', names: `${new URL(env.vault.address).hostname},localhost`, group: storeNames(cluster).user }] : []),
  ];
  return { url: `${tls.address.replace(/\/$/, '')}/v1/${tls.mount}/issue/${tls.role}`, mount: tls.mount, role: tls.role, ttl: tls.ttl, tokenFile: tls.tokenFile, dir: tls.dir, certs };
}
