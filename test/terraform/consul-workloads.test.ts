import { describe, expect, it } from 'vitest';
import prod from '../../environments/prod.ts';
import qa from '../../environments/qa.ts';
import { NOMAD_CONSUL_AUDIENCE, NOMAD_CONSUL_AUTH_METHOD } from '../../src/config/cluster.ts';
import type { Environment } from '../../src/config/environment.ts';
import fabioJob from '../../jobs/fabio.ts';
import { FABIO_KV_PATH, renderFabioProperties } from '../../src/render/fabio-properties.ts';
import { renderJob } from '../../src/render/job.ts';
import { aContext } from '../support/environments.ts';
import { buildExampleJobs } from '../support/example-jobs.ts';
import { filesUnder, type Hcl, parseHcl, readText } from './tf-model.ts';

/**
 * terraform/modules/consul-nomad-workloads against what the rendered Nomad agents send: the
 * audiences of nomad.hcl's consul.service_identity / task_identity, the auth method name Nomad
 * logs in with (its default, nomad-workloads, since the rendered consul blocks name none), the
 * claims Nomad puts in service and task identities, and per environment the namespace and the
 * Consul keys its jobs read.
 */
const MODULE = 'terraform/modules/consul-nomad-workloads';

async function merged(dir: string): Promise<Hcl> {
  const docs = await Promise.all(filesUnder(dir, '.tf').filter((f) => !f.slice(dir.length + 1).includes('/')).map(parseHcl));
  const out: Hcl = {};
  for (const doc of docs) for (const [key, value] of Object.entries(doc)) out[key] = Array.isArray(value) ? [...(out[key] ?? []), ...value] : { ...out[key], ...value };
  return out;
}

const module = await merged(MODULE);
const resource = (type: string, name: string): Hcl => module.resource[type][name][0];
const locals: Hcl = Object.assign({}, ...(module.locals as Hcl[]));

describe('module consul-nomad-workloads', () => {
  it('names the auth method as the rendered Nomad agents log in and consul/jwt-nomad looks for (Nomad\'s default, NOMAD_CONSUL_AUTH_METHOD)', () => {
    expect(module.variable.auth_method_name[0].default).toBe(NOMAD_CONSUL_AUTH_METHOD);
    for (const env of ['qa', 'prod']) for (const file of filesUnder(`cluster/${env}`, 'nomad.hcl')) expect(readText(file), file).not.toMatch(/(service|task)_auth_method/);
  });

  it.each(['qa', 'prod'])('accepts exactly the audiences cluster/%s/server/nomad.hcl gives service and task identities', async (env) => {
    const nomad = await parseHcl(`cluster/${env}/server/nomad.hcl`);
    const consul = nomad.consul[0];
    const audiences = [...consul.service_identity[0].aud, ...consul.task_identity[0].aud];
    expect(audiences.length).toBeGreaterThan(0);
    expect([...new Set(audiences)]).toEqual(module.variable.audiences[0].default);
  });

  it('defaults to the audience drover renders and cluster check consul/jwt-nomad requires (NOMAD_CONSUL_AUDIENCE)', () => {
    expect(module.variable.audiences[0].default).toEqual([NOMAD_CONSUL_AUDIENCE]);
  });

  it('is a jwt auth method on Nomad\'s JWKS, mapping the claims the binding rules read', () => {
    const method = resource('consul_acl_auth_method', 'nomad');
    expect(method.type).toBe('jwt');
    expect(method.config_json).toMatch(/JWKSURL\s+= "\$\{trimsuffix\(var\.nomad_address, "\/"\)\}\/\.well-known\/jwks\.json"/);
    expect(method.config_json).toMatch(/BoundAudiences\s+= var\.audiences\n/);
    expect(method.config_json).toMatch(/JWTSupportedAlgs\s+= \["RS256"\]/);
    expect(method.config_json).toContain('JWKSCACert = var.jwks_ca_pem');
    // Nomad 2.0.5 logs a workload in once per allocation (client/allocrunner/consul_hook.go Prerun):
    // a capped token would expire under a running task, e.g. Fabio, and under service registrations.
    expect(method.max_token_ttl).toBeUndefined();
    expect(Object.keys(locals.claim_mappings).sort()).toEqual(['nomad_job_id', 'nomad_namespace', 'nomad_service', 'nomad_task']);
    for (const [claim, name] of Object.entries(locals.claim_mappings)) expect(name).toBe(claim);
  });

  it('gives services a service identity and tasks their namespace\'s role, never both to one JWT', () => {
    const services = resource('consul_acl_binding_rule', 'services');
    const tasks = resource('consul_acl_binding_rule', 'tasks');
    expect(services).toMatchObject({ bind_type: 'service', selector: '"nomad_service" in value' });
    expect(services.bind_name).toMatch(/^\$?\$\{value\.nomad_service\}$/);
    expect(tasks).toMatchObject({ bind_type: 'role', selector: '"nomad_service" not in value' });
    expect(tasks.bind_name).toMatch(/^\$\{var\.name_prefix\}tasks-\$?\$\{value\.nomad_namespace\}$/);
    // The role the rule names is the role the module creates for the namespace.
    expect(locals.task_role_name).toBe('${var.name_prefix}tasks-${var.nomad_namespace}');
    expect(resource('consul_acl_role', 'tasks').name).toBe('${local.task_role_name}');
    expect(resource('consul_acl_binding_rule', 'fabio').selector).toContain('"nomad_service" not in value');
  });

  it('lets tasks read the catalog and exactly the listed keys, never a key prefix or a write', () => {
    const rules: string = resource('consul_acl_policy', 'tasks').rules;
    expect(rules).toContain('key \\"${key}\\"');
    expect(rules).not.toMatch(/key_prefix|write/);
    const fabio: string = resource('consul_acl_policy', 'fabio').rules;
    expect(fabio).toContain('key_prefix \\"${var.fabio_kv_prefix}\\"');
    expect(fabio).toContain('service \\"${var.fabio_service_name}\\" {\\n  policy = \\"write\\"');
  });
});

describe('module consul-nomad-workloads and the fabio job', () => {
  const fabioRules: string = resource('consul_acl_policy', 'fabio').rules;
  const grants = (rule: string, policy: 'read' | 'write'): string => `${rule} {\\n  policy = \\"${policy}\\"`;

  it.each([
    ['qa', qa],
    ['prod', prod],
  ] as const)('binds Fabio\'s role to the job that logs in to Consul with its task identity in %s', (_name, env) => {
    const job = renderJob(fabioJob.build(env), aContext(env));
    expect(job.ID).toBe(module.variable.fabio_job_id[0].default);
    expect(job.Namespace).toBe(env.nomad.namespace);
    // Without the task consul block Nomad adds no consul_default identity, and the task gets no token.
    for (const task of job.TaskGroups.flatMap((g) => g.Tasks)) expect(task.Consul, task.Name).toEqual({ Cluster: 'default' });
    const fabio = resource('consul_acl_binding_rule', 'fabio');
    expect(fabio.bind_type).toBe('role');
    expect(fabio.bind_name).toBe('${local.fabio_role_name}');
    expect(fabio.selector).toContain('value.nomad_job_id == "${var.fabio_job_id}"');
    expect(fabio.selector).toContain('value.nomad_namespace == "${var.nomad_namespace}"');
    expect(resource('consul_acl_role', 'fabio').name).toBe('${local.fabio_role_name}');
  });

  it('grants what Fabio 1.7.3 calls, by the names its properties give', () => {
    const properties = renderFabioProperties(qa);
    const property = (key: string): string | undefined => properties.match(new RegExp(`^${key.replaceAll('.', '\\.')} = (.*)$`, 'm'))?.[1];
    // GET /v1/agent/self at start (it exits without), /v1/health/state/any and /v1/catalog/service/<name>.
    expect(fabioRules).toContain(grants('agent_prefix \\"\\"', 'read'));
    expect(fabioRules).toContain(grants('service_prefix \\"\\"', 'read'));
    expect(fabioRules).toContain(grants('node_prefix \\"\\"', 'read'));
    // Its KV path (route overrides, drover's canary weights) and the default noroute page, /fabio/noroute.html.
    const prefix: string = module.variable.fabio_kv_prefix[0].default;
    expect(fabioRules).toContain(grants('key_prefix \\"${var.fabio_kv_prefix}\\"', 'read'));
    expect(property('registry.consul.kvpath')).toBe(FABIO_KV_PATH);
    for (const path of [FABIO_KV_PATH, '/fabio/noroute.html']) expect(path.slice(1).startsWith(prefix), path).toBe(true);
    // ui.access = ro: Fabio never writes its KV; it registers (and TTL-checks) only itself.
    expect(property('ui.access')).toBe('ro');
    expect(fabioRules).not.toMatch(/key_prefix[^}]*write/);
    expect(property('registry.consul.register.name')).toBe(module.variable.fabio_service_name[0].default);
    expect(fabioRules).toContain(grants('service \\"${var.fabio_service_name}\\"', 'write'));
    // The token comes from the task's identity (CONSUL_HTTP_TOKEN), never from the properties.
    expect(property('registry.consul.token')).toBeUndefined();
  });
});

/** The Consul keys an environment's jobs read (config[].key), as `drover up` seeds them. */
async function consulKeys(env: Environment): Promise<string[]> {
  const jobs = await buildExampleJobs(env);
  return [...new Set(jobs.flatMap((job) => job.spec.groups.flatMap((group) => group.tasks.flatMap((task) => (task.config ?? []).map((ref) => ref.key)))))].sort();
}

describe.each([
  ['qa', qa],
  ['prod', prod],
] as const)('terraform/envs/%s module.consul_nomad_workloads', (name, env) => {
  it('trusts the Nomad Vault trusts, for the environment\'s namespace, with the keys its jobs read', async () => {
    const root = await merged(`terraform/envs/${name}`);
    const call: Hcl = root.module.consul_nomad_workloads[0];
    expect(call.source).toBe('../../modules/consul-nomad-workloads');
    expect(call.nomad_address).toBe(root.module.vault_nomad_workloads[0].nomad_address);
    expect(call.nomad_namespace).toBe(env.nomad.namespace);
    const keys = await consulKeys(env);
    expect(keys.length).toBeGreaterThan(0);
    expect([...call.kv_read_keys].sort()).toEqual(keys);
    // The role is only used by tasks that log in: every task reading a key has a consul block.
    for (const { spec } of await buildExampleJobs(env)) {
      const readers = spec.groups.flatMap((g) => g.tasks).filter((t) => t.config?.length).map((t) => t.name);
      const rendered = renderJob(spec, aContext(env)).TaskGroups.flatMap((g) => g.Tasks);
      for (const name of readers) expect(rendered.find((t) => t.Name === name)?.Consul, `${spec.id}/${name}`).toEqual({ Cluster: 'default' });
    }
    expect(`https://${root.variable.consul_address[0].default}`).toBe(env.consul.address);
    expect(root.terraform[0].required_providers[0].consul.source).toBe('hashicorp/consul');
  });
});

describe('documentation', () => {
  it('the module README documents every input and output', () => {
    const readme = readText(`${MODULE}/README.md`);
    const names = [...Object.keys(module.variable), ...Object.keys(module.output)];
    expect(names.length).toBeGreaterThan(10);
    expect(names.filter((name) => !readme.includes(`\`${name}\``))).toEqual([]);
  });

  it('terraform/README.md applies it after the cluster, with a Consul token from the shell, and destroys it first', () => {
    const readme = readText('terraform/README.md');
    for (const phrase of ['consul-nomad-workloads', 'export CONSUL_HTTP_TOKEN', '-target=module.consul_nomad_workloads', '`consul_address`']) expect(readme, phrase).toContain(phrase);
  });
});
