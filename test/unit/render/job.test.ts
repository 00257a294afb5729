import { describe, expect, it } from 'vitest';
import dev from '../../../environments/dev.ts';
import prod from '../../../environments/prod.ts';
import qa from '../../../environments/qa.ts';
import api from '../../../jobs/api.ts';
import dbBackup from '../../../jobs/db-backup.ts';
import fabio from '../../../jobs/fabio.ts';
import nodeExporter from '../../../jobs/node-exporter.ts';
import postgres from '../../../jobs/postgres.ts';
import www from '../../../jobs/www.ts';
import type { JobSpec } from '../../../src/model/job.ts';
import { canonicalJson } from '../../../src/render/canonical-json.ts';
import { renderJob } from '../../../src/render/job.ts';
import type { NomadJob, NomadTask } from '../../../src/wire/nomad-job.ts';
import { aContext } from '../../support/environments.ts';

const SECOND = 1_000_000_000;

function task(job: NomadJob, name: string): NomadTask {
  const found = job.TaskGroups.flatMap((g) => g.Tasks).find((t) => t.Name === name);
  if (!found) throw new Error(`no task ${name}`);
  return found;
}

describe('renderJob', () => {
  it('writes ownership meta so the Nomad UI shows where a job came from', () => {
    const job = renderJob(api.build(qa), aContext(qa, { gitSha: 'abc123', release: 'r-42' }));
    expect(job.Meta).toMatchObject({
      'drover.project': 'drover',
      'drover.env': 'qa',
      'drover.git_sha': 'abc123',
      'drover.release': 'r-42',
      'drover.owner': 'team-shop',
      'drover.depends_on': 'postgres',
    });
    expect(job.Meta?.['drover.spec_hash']).toMatch(/^[0-9a-f]{16}$/);
  });

  it('encodes every duration as integer nanoseconds', () => {
    const job = renderJob(api.build(qa), aContext());
    const group = job.TaskGroups[0]!;
    expect(group.Update).toMatchObject({ MinHealthyTime: 15 * SECOND, HealthyDeadline: 180 * SECOND, ProgressDeadline: 480 * SECOND });
    expect(group.ShutdownDelay).toBe(5 * SECOND);
    expect(task(job, 'api').KillTimeout).toBe(20 * SECOND);
    const live = group.Services![0]!.Checks!.find((c) => c.Name === 'api-live')!;
    expect(live).toMatchObject({ Interval: 10 * SECOND, Timeout: 2 * SECOND, CheckRestart: { Limit: 3, Grace: 30 * SECOND, IgnoreWarnings: false } });
  });

  it('renders Vault references as an env template plus a workload-identity vault block, never values', () => {
    const apiTask = task(renderJob(api.build(qa), aContext()), 'api');
    expect(apiTask.Vault).toEqual({ Role: 'drover-api', ChangeMode: 'noop', Env: false });
    const vaultEnv = apiTask.Templates!.find((t) => t.DestPath === 'secrets/vault.env')!;
    expect(vaultEnv).toMatchObject({ Envvars: true, ErrMissingKey: true, ChangeMode: 'restart', Perms: '0400' });
    expect(vaultEnv.EmbeddedTmpl).toBe(
      '{{ with secret "secret/data/shop/api/database" }}\n' +
        'DATABASE_PASSWORD={{ .Data.data.password | toJSON }}\n' +
        'DATABASE_USER={{ .Data.data.username | toJSON }}\n' +
        '{{ end }}\n',
    );
  });

  it('renders Consul KV configuration as an env template', () => {
    const consulEnv = task(renderJob(api.build(qa), aContext()), 'api').Templates!.find((t) => t.DestPath === 'local/consul-kv.env')!;
    expect(consulEnv.EmbeddedTmpl).toBe('FEATURE_FLAGS={{ key "shop/api/feature_flags" | toJSON }}\nLOG_LEVEL={{ key "shop/api/log_level" | toJSON }}\n');
    expect(consulEnv).toMatchObject({ Envvars: true, ErrMissingKey: true });
  });

  it('logs a task that reads Consul KV in to Consul with its workload identity', () => {
    expect(task(renderJob(api.build(qa), aContext()), 'api').Consul).toEqual({ Cluster: 'default' });
    expect(task(renderJob(www.build(qa), aContext()), 'nginx').Consul).toBeUndefined();
  });

  it('gives Fabio a Consul workload identity in every environment, and no token in its spec', () => {
    for (const env of [dev, qa, prod]) {
      const job = renderJob(fabio.build(env), aContext(env));
      const fabioTask = task(job, 'fabio');
      expect(fabioTask.Consul).toEqual({ Cluster: 'default' });
      expect(fabioTask.Env).toBeUndefined();
      expect(canonicalJson(job)).not.toMatch(/token/i);
    }
  });

  it('lets a task opt out of, or into, a Consul workload identity', () => {
    const spec = api.build(qa);
    const withTask = (consulIdentity: boolean): JobSpec => ({
      ...spec,
      groups: spec.groups.map((g) => ({ ...g, tasks: g.tasks.map((t) => (t.name === 'api' ? { ...t, consulIdentity } : t)) })),
    });
    expect(task(renderJob(withTask(false), aContext()), 'api').Consul).toBeUndefined();
    expect(task(renderJob(withTask(true), aContext()), 'api').Consul).toEqual({ Cluster: 'default' });
  });

  it('routes through Fabio tags, and tags canaries so weighted routes can select them', () => {
    const service = renderJob(api.build(qa), aContext()).TaskGroups[0]!.Services![0]!;
    expect(service.Tags).toEqual(['http', 'qa', 'urlprefix-/api strip=/api']);
    expect(service.CanaryTags).toEqual(['http', 'qa', 'urlprefix-/api strip=/api', 'canary']);
    expect(service.Provider).toBe('consul');
    // The labels prometheus/prometheus.yml keeps (job, group, namespace, node pool, datacenter, owner).
    expect(service.Meta).toEqual({
      drover_datacenter: '${node.datacenter}', drover_env: 'qa', drover_group: 'api', drover_job: 'api', drover_namespace: qa.nomad.namespace,
      drover_node_pool: qa.nodePool, drover_owner: 'team-shop', drover_project: 'drover',
    });
  });

  it('takes canary promotion from the environment unless the job says otherwise', () => {
    expect(renderJob(api.build(qa), aContext(qa)).TaskGroups[0]!.Update).toMatchObject({ Canary: 1, AutoPromote: true, AutoRevert: true });
    expect(renderJob(api.build(prod), aContext(prod)).TaskGroups[0]!.Update).toMatchObject({ Canary: 1, AutoPromote: false });
  });

  it('holds canaries for a promotion when asked (deploy --stop-at-canary), even where the environment promotes automatically', () => {
    const held = renderJob(api.build(qa), aContext(qa, { holdCanaries: true }));
    const auto = renderJob(api.build(qa), aContext(qa));
    expect(held.TaskGroups[0]!.Update).toMatchObject({ Canary: 1, AutoPromote: false });
    // The job Nomad holds differs, so its spec hash does too: a later deploy without the flag registers it again.
    expect(held.Meta?.['drover.spec_hash']).not.toBe(auto.Meta?.['drover.spec_hash']);
    // Groups without canaries are untouched.
    expect(renderJob(www.build(qa), aContext(qa, { holdCanaries: true }))).toEqual(renderJob(www.build(qa), aContext(qa)));
  });

  it('starts autoscaled groups at the scaling minimum with a Nomad Autoscaler CPU policy', () => {
    const group = renderJob(api.build(prod), aContext(prod)).TaskGroups[0]!;
    expect(group.Count).toBe(3);
    expect(group.Scaling).toEqual({
      Min: 3,
      Max: 10,
      Enabled: true,
      Policy: {
        cooldown: '1m',
        evaluation_interval: '30s',
        check: [{ avg_cpu: [{ source: 'nomad-apm', query: 'avg_cpu-allocated', strategy: [{ 'target-value': [{ target: 60 }] }] }] }],
      },
    });
  });

  it('waits for upstream services in a prestart task ahead of the main task', () => {
    const tasks = renderJob(api.build(qa), aContext()).TaskGroups[0]!.Tasks;
    expect(tasks.map((t) => t.Name)).toEqual(['await-postgres', 'api']);
    expect(tasks[0]!.Lifecycle).toEqual({ Hook: 'prestart', Sidecar: false });
    expect(tasks[0]!.Templates![0]!.EmbeddedTmpl).toContain('{{ range service "postgres" }}');
  });

  it('maps static ports to ReservedPorts and dynamic ones to DynamicPorts', () => {
    expect(renderJob(postgres.build(qa), aContext()).TaskGroups[0]!.Networks).toEqual([{ ReservedPorts: [{ Label: 'db', Value: 5432, To: 5432 }] }]);
    expect(renderJob(www.build(qa), aContext()).TaskGroups[0]!.Networks).toEqual([{ DynamicPorts: [{ Label: 'http', Value: 0, To: 80 }] }]);
  });

  it('renders host volumes and their mounts', () => {
    const job = renderJob(postgres.build(qa), aContext());
    expect(job.TaskGroups[0]!.Volumes).toEqual({ data: { Name: 'data', Type: 'host', Source: 'postgres-data', ReadOnly: false } });
    expect(task(job, 'postgres').VolumeMounts).toEqual([{ Volume: 'data', Destination: '/var/lib/postgresql/data', ReadOnly: false }]);
  });

  it('renders periodic batch jobs without an update block', () => {
    const job = renderJob(dbBackup.build(prod), aContext(prod));
    expect(job.Type).toBe('batch');
    // One schedule too goes in Specs: Nomad 2.0.5 warns that the single-schedule Spec is deprecated.
    expect(job.Periodic).toEqual({ Enabled: true, Specs: ['15 2 * * *'], SpecType: 'cron', ProhibitOverlap: true, TimeZone: 'Europe/Berlin' });
    expect(job.TaskGroups[0]!.Update).toBeUndefined();
  });

  it('renders system jobs with count 1 and a rolling update', () => {
    const job = renderJob(nodeExporter.build(prod), aContext(prod));
    expect(job.Type).toBe('system');
    expect(job.TaskGroups[0]!.Count).toBe(1);
    expect(job.TaskGroups[0]!.Update).toMatchObject({ MaxParallel: 5, Canary: 0 });
  });

  it('pins images to the release digests it is given', () => {
    const pinned = 'ghcr.io/example-shop/api:1.8.2@sha256:' + 'a'.repeat(64);
    const job = renderJob(api.build(prod), aContext(prod, { images: { 'ghcr.io/example-shop/api': pinned } }));
    expect(task(job, 'api').Config.image).toBe(pinned);
    expect(task(job, 'await-postgres').Config.image).toBe('busybox:1.36');
  });

  it('is deterministic: the same inputs give byte-identical JSON', () => {
    const render = () => canonicalJson(renderJob(api.build(prod), aContext(prod)));
    expect(render()).toBe(render());
  });

  it('keeps the spec hash when only the release changes, and changes it with the spec', () => {
    const hash = (spec: JobSpec, release: string) => renderJob(spec, aContext(qa, { release, gitSha: release })).Meta!['drover.spec_hash'];
    const spec = api.build(qa);
    expect(hash(spec, 'r-1')).toBe(hash(spec, 'r-2'));
    expect(hash({ ...spec, priority: 70 }, 'r-1')).not.toBe(hash(spec, 'r-1'));
  });
});
