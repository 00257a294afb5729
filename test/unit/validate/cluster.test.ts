import { describe, expect, it } from 'vitest';
import { defineCluster, type Cluster, type ClusterInput } from '../../../src/config/cluster.ts';
import { defineEnvironment, type Environment } from '../../../src/config/environment.ts';
import type { JobSpec } from '../../../src/model/job.ts';
import { validateClusters } from '../../../src/validate/rules/cluster/index.ts';
import { aGroup, aServiceJob, aTask } from './builders.ts';

const FILE = 'environments/clusters/qa.ts';

function anEnv(overrides: Record<string, unknown> = {}): Environment {
  return defineEnvironment({ name: 'qa', nomad: { address: 'https://n:4646' }, consul: { address: 'https://c:8501' }, vault: { address: 'https://v:8200' }, fabio: { domain: 'qa.internal' }, datacenters: ['qa1'], ...overrides } as never);
}

/** A valid AWS cluster with one general pool running docker and exec; overrides replace top-level keys. */
function aCluster(overrides: Partial<Record<keyof ClusterInput, unknown>> = {}): Cluster {
  return defineCluster({
    env: 'qa',
    platform: { kind: 'aws', region: 'eu-central-1' },
    servers: { datacenter: 'qa1', count: 3, instanceType: 't3.medium' },
    clients: [{ name: 'general', datacenter: 'qa1', count: 2, instanceType: 't3.large', drivers: ['docker', 'exec'] }],
    versions: { nomad: '2.0.5', consul: '1.20.6', openbao: '2.6.2', fabio: '1.7.3' },
    tls: { source: 'files', dir: '/etc/drover/tls' },
    gossip: { consul: { from: 'aws-ssm', parameter: '/drover/qa/consul' }, nomad: { from: 'aws-ssm', parameter: '/drover/qa/nomad' } },
    fabio: { pools: [] },
    nodeExporter: { pools: [] },
    ...overrides,
  } as never);
}

function check(cluster: Cluster, options: { env?: Environment; jobs?: JobSpec[] } = {}) {
  const env = options.env ?? anEnv();
  return validateClusters({ clusters: [{ file: FILE, value: cluster }], env, environments: [env], jobs: (options.jobs ?? []).map((spec) => ({ file: `jobs/${spec.id}.ts`, spec })) });
}

const rules = (diagnostics: ReturnType<typeof check>) => diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.rule} ${d.location.file} ${d.location.path}`);

describe('cluster validation', () => {
  it('accepts a sound cluster and jobs that fit it', () => {
    expect(check(aCluster(), { jobs: [aServiceJob()] })).toEqual([]);
  });

  it('refuses an even number of servers, and fewer than 3 in prod', () => {
    expect(rules(check(aCluster({ servers: { datacenter: 'qa1', count: 4, instanceType: 't3.medium' } })))).toEqual([`cluster/server-count ${FILE} servers.count`]);
    const prodEnv = anEnv({ name: 'prod' });
    const prod = check(aCluster({ env: 'prod', servers: { datacenter: 'qa1', count: 1, instanceType: 't3.medium' } }), { env: prodEnv });
    expect(prod.find((d) => d.rule === 'cluster/quorum')?.message).toMatch(/prod has 1 server: losing one stops Nomad, Consul and Vault/);
  });

  it('reports every problem at once, each located with a hint', () => {
    const found = check(aCluster({
      servers: { datacenter: 'qa1', count: 2, instanceType: 't3.medium' },
      versions: { nomad: 'v2', consul: '1.20.6', fabio: '1.7.3' },
      acls: false,
      gossip: { consul: { from: 'file', path: 'c2VjcmV0LWtleS1ub3QtYS1yZWZlcmVuY2UtYXQtYWxsCg==' }, nomad: { from: 'aws-ssm', parameter: '/x' } },
    }));
    expect(rules(found)).toEqual([
      `cluster/acls ${FILE} acls`,
      `cluster/gossip ${FILE} gossip.consul`,
      `cluster/server-count ${FILE} servers.count`,
      `cluster/versions ${FILE} versions`,
      `cluster/versions ${FILE} versions.nomad`,
    ]);
    expect(found.every((d) => d.hint.length > 10)).toBe(true);
    expect(found.find((d) => d.rule === 'cluster/gossip')?.message).toMatch(/looks like a key, not where to find one/);
  });

  it('refuses ports that collide on one kind of node, agents and static job ports alike', () => {
    const cluster = aCluster({ ports: { vault: { api: 8500 }, prometheus: 4646 } });
    expect(rules(check(cluster))).toEqual([`cluster/ports ${FILE} ports.prometheus`, `cluster/ports ${FILE} ports.vault.api`]);
    const job = aServiceJob({ id: 'grabby', groups: [aGroup({ ports: { http: { static: 8500 } } })] });
    const found = check(aCluster(), { jobs: [job] }).filter((d) => d.rule === 'cluster/ports');
    expect(found.map((d) => `${d.location.file} ${d.location.path}`)).toEqual(['jobs/grabby.ts groups[0].ports.http.static']);
    expect(found[0]?.message).toBe('On pool "general", job grabby (port http) and Consul http both listen on port 8500');
  });

  it('refuses a job whose tasks need a driver or host volume no eligible pool has, naming each pool', () => {
    const rawExec = aServiceJob({ id: 'tool', groups: [aGroup({ tasks: [aTask({ driver: 'raw_exec', command: 'x', image: undefined })] })] });
    const volume = aServiceJob({ id: 'db', groups: [aGroup({ volumes: { data: { type: 'host', source: 'pg' } } })] });
    const found = check(aCluster(), { jobs: [rawExec, volume] }).filter((d) => d.rule === 'cluster/placement');
    expect(found.map((d) => d.location.file)).toEqual(['jobs/db.ts', 'jobs/tool.ts']);
    expect(found[0]?.message).toContain('pool "general": host volume pg is not configured');
    expect(found[1]?.message).toContain('pool "general": driver raw_exec is not enabled');
  });

  it('says so when a job is constrained to a node class or meta value no pool has', () => {
    const job = aServiceJob({ id: 'gpu', groups: [aGroup({ constraints: [{ attribute: '${node.class}', value: 'gpu' }] })] });
    const [found] = check(aCluster(), { jobs: [job] }).filter((d) => d.rule === 'cluster/placement');
    expect(found?.message).toMatch(/^Group "app" of job gpu is constrained to \$\{node\.class\} = gpu, which no client pool of environments\/clusters\/qa\.ts has/);
    const withGpu = aCluster({ clients: [{ name: 'gpu', datacenter: 'qa1', count: 1, instanceType: 'g5.xlarge', drivers: ['docker'], nodeClass: 'gpu' }] });
    expect(check(withGpu, { jobs: [job] }).filter((d) => d.rule === 'cluster/placement')).toEqual([]);
  });

  it('refuses a job in a node pool no client pool belongs to', () => {
    const [found] = check(aCluster(), { env: anEnv({ nodePool: 'batch' }), jobs: [aServiceJob()] }).filter((d) => d.rule === 'cluster/placement');
    expect(found?.message).toContain('its node pool is "default", the job\'s "batch"');
  });

  it('refuses datacenters the environment names but no pool provides', () => {
    const found = check(aCluster(), { env: anEnv({ datacenters: ['qa1', 'qa2'] }) }).filter((d) => d.rule === 'cluster/datacenters');
    expect(found.map((d) => d.message)).toEqual(['Environment qa names datacenter qa2, but no client pool of the cluster is in it']);
  });

  it('wants the add-on jobs it is told run Fabio and node-exporter, on the pools it names', () => {
    const found = check(aCluster({ fabio: { pools: ['general'] } }), { jobs: [aServiceJob()] }).filter((d) => d.rule === 'cluster/addons');
    expect(found.map((d) => `${d.location.path}: ${d.message}`)).toEqual(['fabio.runAs: fabio runs as the Nomad job "fabio", but qa has no such job']);
    const fabioJob = aServiceJob({ id: 'fabio', kind: 'system', groups: [aGroup({ tasks: [aTask({ driver: 'raw_exec', command: 'fabio', image: undefined })] })] });
    const [misfit] = check(aCluster({ fabio: { pools: ['general'] } }), { jobs: [fabioJob] }).filter((d) => d.rule === 'cluster/addons');
    expect(misfit?.message).toBe('Pool "general" should run fabio, but jobs/fabio.ts cannot be placed there: driver raw_exec is not enabled');
  });

  it('refuses OpenBao\'s built-in AWS KMS seal where OpenBao no longer has it, and warns where it is deprecated', () => {
    const seal = { kind: 'awskms', kmsKeyId: 'alias/k' };
    const gone = check(aCluster({ seal, versions: { nomad: '2.0.5', consul: '1.20.6', openbao: '2.7.0', fabio: '1.7.3' } }));
    expect(gone.map((d) => `${d.severity} ${d.rule} ${d.location.path}`)).toEqual(['error cluster/seal seal']);
    const deprecated = check(aCluster({ seal }));
    expect(deprecated.map((d) => `${d.severity} ${d.rule}`)).toEqual(['warning cluster/seal']);
    expect(check(aCluster({ seal, versions: { nomad: '2.0.5', consul: '1.20.6', vault: '1.18.0', fabio: '1.7.3' } }))).toEqual([]);
  });

  it('checks machines against the platform', () => {
    const found = check(aCluster({ platform: { kind: 'onprem', sshUser: 'ops' } }));
    expect(rules(found)).toEqual([`cluster/machines ${FILE} clients[0]`, `cluster/machines ${FILE} servers`]);
  });

  it('finds misspelt keys at any depth, with a suggestion', () => {
    const cluster = { ...aCluster(), clients: [{ ...aCluster().clients[0], hostVolume: {} }] } as unknown as Cluster;
    const [found] = check(cluster).filter((d) => d.rule === 'cluster/unknown-key');
    expect(found?.location.path).toBe('clients[0].hostVolume');
    expect(found?.hint).toBe('Rename "hostVolume" to "hostVolumes".');
  });

  it('reports a second cluster for one environment and a cluster for an unknown one', () => {
    const env = anEnv();
    const found = validateClusters({ clusters: [{ file: FILE, value: aCluster() }, { file: 'environments/clusters/qa2.ts', value: aCluster() }, { file: 'environments/clusters/x.ts', value: aCluster({ env: 'staging' }) }], env, environments: [env], jobs: [] });
    expect(rules(found)).toEqual(['cluster/env environments/clusters/qa2.ts env', 'cluster/env environments/clusters/x.ts env']);
  });

  it('turns a rule tripping over a malformed definition into a diagnostic', () => {
    const broken = { ...aCluster(), ports: undefined } as unknown as Cluster;
    expect(rules(check(broken))).toContain(`cluster/ports ${FILE} `);
  });
});
