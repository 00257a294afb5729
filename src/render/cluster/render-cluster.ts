import { createRequire } from 'node:module';
import type Handlebars from 'handlebars';
import { NOMAD_CONSUL_AUDIENCE, type Cluster } from '../../config/cluster.ts';
import type { Environment } from '../../config/environment.ts';
import { canonicalJson } from '../canonical-json.ts';
import { GENERATED_MARKER } from '../../secrets/derive.ts';
import { renderFabioProperties } from '../fabio-properties.ts';
import type { GeneratedFile } from '../generated-file.ts';
import { advertiseAddress } from './advertise.ts';
import { installView } from './install.ts';
import { clusterRoles, serverJoin, storeNames, type Role } from './roles.ts';
import { unitsFor } from './units.ts';

/** The handlebars templates of src/render/cluster/templates/, by file name without `.hbs`. */
export type ClusterTemplates = Readonly<Record<(typeof CLUSTER_TEMPLATE_NAMES)[number], string>>;
export const CLUSTER_TEMPLATE_NAMES = ['nomad.hcl', 'consul.hcl', 'vault.hcl', 'unit.service', 'install.sh', 'user-data.yaml'] as const;

import { clusterOutputDir } from './output-dir.ts';

export { clusterOutputDir };

/** A file as it goes onto a machine: where, with which mode; `source` is project-relative. */
export interface PlacedFile {
  readonly source: string;
  readonly destination: string;
  readonly mode: string;
}

export interface ClusterRenderInput {
  readonly cluster: Cluster;
  readonly env: Environment;
  /** The cluster's file, named in every header, e.g. `environments/clusters/qa.ts`. */
  readonly source: string;
  readonly templates: ClusterTemplates;
}

const FABIO_CONFIG = '/etc/fabio/fabio.properties';

/**
 * Every agent configuration of an environment's cluster, per kind of machine
 * (`cluster/<env>/server/`, `cluster/<env>/client-<pool>/`): Nomad, Consul and Vault/OpenBao
 * HCL, Fabio properties where Fabio runs from systemd, systemd units, the install script, the
 * cloud-init user-data that writes them all and runs it, and `files.json` (where each file goes,
 * for provisioning over SSH). Pure and deterministic: same definition, same bytes.
 */
export function renderCluster(input: ClusterRenderInput): GeneratedFile[] {
  const hbs = createHandlebars();
  const compiled = Object.fromEntries(CLUSTER_TEMPLATE_NAMES.map((name) => [name, hbs.compile(input.templates[name], { strict: true, noEscape: true })])) as Record<keyof ClusterTemplates, HandlebarsTemplateDelegate>;
  return clusterRoles(input.cluster).flatMap((role) => renderRole(input, role, compiled));
}

function renderRole(input: ClusterRenderInput, role: Role, t: Record<keyof ClusterTemplates, HandlebarsTemplateDelegate>): GeneratedFile[] {
  const { cluster, env } = input;
  const common = { source: input.source, env: env.name, role: role.name, via: `drover cluster render ${env.name}` };
  const store = storeNames(cluster);
  const units = unitsFor(cluster, role, FABIO_CONFIG);
  const files: { name: string; destination: string; mode: string; content: string }[] = [
    { name: 'nomad.hcl', destination: '/etc/nomad.d/nomad.hcl', mode: '0644', content: t['nomad.hcl']({ ...common, ...nomadView(cluster, env, role) }) },
    { name: 'consul.hcl', destination: '/etc/consul.d/consul.hcl', mode: '0644', content: t['consul.hcl']({ ...common, ...consulView(cluster, role) }) },
  ];
  if (role.server) {
    files.push({ name: `${store.product}.hcl`, destination: `${store.configDir}/${store.product}.hcl`, mode: '0644', content: t['vault.hcl']({ ...common, ...vaultView(cluster, env) }) });
  }
  if (units.some((u) => u.name === 'fabio')) files.push({ name: 'fabio.properties', destination: FABIO_CONFIG, mode: '0644', content: renderFabioProperties(env) });
  for (const unit of units) files.push({ name: `systemd/${unit.name}.service`, destination: `/etc/systemd/system/${unit.name}.service`, mode: '0644', content: t['unit.service']({ ...common, ...unit }) });
  files.push({ name: 'install.sh', destination: '/usr/local/sbin/drover-install.sh', mode: '0755', content: t['install.sh']({ ...common, ...installView(cluster, env, role, units) }) });
  const dir = `${clusterOutputDir(env.name)}/${role.name}`;
  const placed: PlacedFile[] = files.map((f) => ({ source: `${dir}/${f.name}`, destination: f.destination, mode: f.mode }));
  // Not rendered by drover: the provisioning copies the project's own Prometheus configuration.
  if (units.some((u) => u.name === 'prometheus')) placed.push({ source: 'prometheus/prometheus.yml', destination: '/etc/prometheus/prometheus.yml', mode: '0644' }, { source: 'prometheus/rules', destination: '/etc/prometheus/rules', mode: '0644' });
  const userData = t['user-data.yaml']({ ...common, files });
  return [
    ...files.map((f) => ({ path: `${dir}/${f.name}`, content: f.content, committed: true })),
    { path: `${dir}/user-data.yaml`, content: userData, committed: true },
    { path: `${dir}/files.json`, content: canonicalJson({ '//': `${GENERATED_MARKER}; source: ${input.source} via drover cluster render ${env.name}`, files: placed }), committed: true },
  ];
}

export function tlsPaths(cluster: Cluster): Record<string, string> {
  const dir = cluster.tls.dir.replace(/\/$/, '');
  return {
    ca: `${dir}/ca.pem`,
    nomadCert: `${dir}/nomad.pem`, nomadKey: `${dir}/nomad-key.pem`,
    consulCert: `${dir}/consul.pem`, consulKey: `${dir}/consul-key.pem`,
    vaultCert: `${dir}/vault.pem`, vaultKey: `${dir}/vault-key.pem`,
  };
}

function telemetryView(cluster: Cluster): Record<string, unknown> {
  return { interval: cluster.telemetry.collectionInterval, prometheus: cluster.telemetry.prometheus, retention: cluster.telemetry.prometheus ? '60s' : '0s' };
}

/** What nomad.hcl.hbs renders for a kind of machine (the dev profile overrides a few fields: dev-profile.ts). */
export function nomadView(cluster: Cluster, env: Environment, role: Role): Record<string, unknown> {
  const pool = role.server ? null : {
    name: role.pool.name,
    nodePool: role.pool.nodePool,
    nodeClass: role.pool.nodeClass ?? null,
    driverList: [...role.pool.drivers].sort().join(','),
    rawExec: role.pool.drivers.includes('raw_exec'),
    meta: Object.entries(role.pool.meta).sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, value]) => ({ key, value })),
    hostVolumes: Object.entries(role.pool.hostVolumes).sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, v]) => ({ name, path: v.path, readOnly: v.readOnly ?? false })),
  };
  const store = storeNames(cluster);
  return {
    version: cluster.versions.nomad, server: role.server, pool, region: env.nomad.region, datacenter: role.datacenter,
    dataDir: '/opt/nomad/data', bindAddr: '0.0.0.0', advertise: advertiseAddress(cluster, role), dev: null, consulAddress: `127.0.0.1:${cluster.ports.consul.https}`,
    ports: cluster.ports.nomad, serverCount: cluster.servers.count, acls: cluster.acls, tls: tlsPaths(cluster),
    retryJoin: serverJoin(cluster, role.server ? cluster.ports.nomad.serf : cluster.ports.nomad.rpc),
    consulHttps: cluster.ports.consul.https, telemetry: telemetryView(cluster),
    // The auth method is Nomad's default (NOMAD_CONSUL_AUTH_METHOD): the rendered consul block names none.
    consulIdentity: { audience: NOMAD_CONSUL_AUDIENCE },
    vault: { product: store.title, address: env.vault.address, audience: env.vault.audience, jwtAuthPath: env.vault.jwtAuthPath },
  };
}

/** What consul.hcl.hbs renders for a kind of machine. */
export function consulView(cluster: Cluster, role: Role): Record<string, unknown> {
  return {
    dataDir: '/opt/consul/data', bindAddr: '0.0.0.0', advertise: advertiseAddress(cluster, role), dev: null,
    version: cluster.versions.consul, server: role.server, poolName: role.server ? null : role.pool.name, datacenter: role.datacenter,
    retryJoin: serverJoin(cluster, cluster.ports.consul.serfLan), serverCount: cluster.servers.count, ports: cluster.ports.consul,
    acls: cluster.acls, aclDefault: cluster.acls ? 'deny' : 'allow', tls: tlsPaths(cluster), telemetry: telemetryView(cluster),
  };
}

/** What vault.hcl.hbs renders for a server. */
export function vaultView(cluster: Cluster, env: Environment): Record<string, unknown> {
  const store = storeNames(cluster);
  const join = cluster.platform.kind === 'aws'
    ? serverJoin(cluster, 0).map((autoJoin) => ({ autoJoin, leaderApiAddr: null }))
    : (cluster.servers.hosts ?? []).map((host) => ({ autoJoin: null, leaderApiAddr: `https://${host.address}:${cluster.ports.vault.api}` }));
  return {
    version: store.version, ports: cluster.ports.vault, dev: null, tls: tlsPaths(cluster), telemetry: telemetryView(cluster), raftJoin: join,
    seal: cluster.seal.kind === 'awskms' ? { kmsKeyId: cluster.seal.kmsKeyId, region: cluster.seal.region ?? null } : null,
    // OpenBao has no mlock at all (and warns about the key); Vault needs it turned off with raft.
    vault: { title: store.title, product: store.product, configDir: store.configDir, envPrefix: store.envPrefix, jwtAuthPath: env.vault.jwtAuthPath, nomadAddress: env.nomad.address, disableMlock: store.product === 'vault' },
  };
}

/** Handlebars with the helpers the cluster templates use; its own instance, so no global state. */
export function createHandlebars(): typeof Handlebars {
  // Loaded on first use: validate imports this module but renders no cluster for a project without one.
  const hbs = (createRequire(import.meta.url)('handlebars') as typeof Handlebars).create();
  // An HCL string literal: JSON escapes, and template sequences (`${`, `%{`) doubled so HCL reads them literally.
  hbs.registerHelper('q', (value: unknown) => JSON.stringify(String(value)).replace(/\$\{/g, '$${').replace(/%\{/g, '%%{'));
  hbs.registerHelper('list', (values: readonly unknown[]) => `[${values.map((v) => hbs.helpers.q?.(v)).join(', ')}]`);
  hbs.registerHelper('indent', (text: string, width: number) => text.replace(/\n$/, '').split('\n').map((line) => (line ? `${' '.repeat(width)}${line}` : '')).join('\n'));
  return hbs;
}
