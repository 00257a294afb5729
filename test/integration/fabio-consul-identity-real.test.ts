/**
 * The fabio job (jobs/fabio.ts) under Consul ACLs denying by default, with no token anywhere in
 * its spec: a real Nomad 2.0.5 (`agent -dev`, consul.service_identity / task_identity with
 * audience consul.io, as the rendered qa/prod agents) logs the task in to a real Consul (1.8.7 in
 * CI) at the JWT auth method, binding rules and Fabio policy of
 * terraform/modules/consul-nomad-workloads (taken from its HCL), and Fabio, reading the token
 * Nomad sets (CONSUL_HTTP_TOKEN), starts, registers itself, routes a service from the catalog
 * and reads its KV overrides; its token has no expiry (Nomad never logs it in again). The same
 * Fabio without a token does not start. As `drover up` runs it (Consul without ACLs, Nomad without
 * task_identity), the same job starts with no identity and no token. The job is rendered
 * for dev (raw_exec, `fabio` from PATH) with its ports and Consul address moved; the task's
 * `consul` block, the point here, is the same in every environment (test/unit/render/job.test.ts).
 * Skipped loudly without nomad, fabio or consul.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import dev from '../../environments/dev.ts';
import fabioJob from '../../jobs/fabio.ts';
import type { Environment } from '../../src/config/environment.ts';
import { FABIO_KV_PATH, renderFabioProperties } from '../../src/render/fabio-properties.ts';
import { renderJob } from '../../src/render/job.ts';
import type { NomadJob } from '../../src/wire/nomad-job.ts';
import { consulAvailability, freePorts, startConsulAgent, type ConsulAgent } from '../support/consul-agent.ts';
import { aContext } from '../support/environments.ts';
import { getJson, sendJson, startRealNomad, type RealNomad } from '../support/real-cluster.ts';
import { findOnPath, missingBinaries, spawnReal, tail, waitFor } from '../support/real-process.ts';
import { type Hcl, parseHcl } from '../terraform/tf-model.ts';

const SUITE = 'test/integration/fabio-consul-identity-real.test.ts';
const consulBinary = consulAvailability();
const missing = missingBinaries(SUITE, ['nomad', 'fabio'], consulBinary.available ? [] : ['consul']);

const MODULE = 'terraform/modules/consul-nomad-workloads';
const MASTER = '3e9b1f0a-5c27-4d8e-b6a1-9f0e2d4c7b58';
const AUDIENCE = 'consul.io';
/** The module's variables as terraform/envs/<env>/consul.tf would set them, for Nomad -dev's namespace. */
const VARS: Record<string, string> = {
  'var.name_prefix': 'drover-', 'var.nomad_namespace': 'default', 'var.fabio_job_id': 'fabio', 'local.fabio_role_name': 'drover-fabio',
  'local.task_role_name': 'drover-tasks-default', 'var.fabio_kv_prefix': 'fabio/', 'var.fabio_service_name': 'fabio',
};
// As root (containers), Fabio 1.7 refuses to start without -insecure (a flag, so also FABIO_INSECURE).
const ROOT_ENV: Record<string, string> = process.getuid?.() === 0 ? { FABIO_INSECURE: 'true' } : {};

/** A module string as Terraform evaluates it: `${var.x}` substituted, `$${` unescaped to a literal `${`. */
function evaluate(text: string): string {
  return text.replace(/(?<!\$)\$\{([a-z_.]+)\}/g, (_m, ref: string) => {
    const value = VARS[ref];
    if (value === undefined) throw new Error(`no value for ${ref} in ${text}`);
    return value;
  }).replaceAll('$${', '${');
}

/** The rule strings of a policy's `join("\n", [ "…", … ])`, evaluated; `for` expressions (per key) left out. */
function policyRules(expression: string): string {
  const literals = [...expression.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => JSON.parse(`"${m[1]}"`) as string);
  return literals.filter((rule) => rule.includes('policy =') && !rule.includes('${key}')).map(evaluate).join('\n');
}

/**
 * Stops Fabio through Nomad and has the client collect the allocation: that unmounts the task's
 * secrets/ and private/ tmpfs, without which the agent's temp dir cannot be removed.
 */
async function collectFabio(nomad: RealNomad): Promise<void> {
  await sendJson('DELETE', `${nomad.address}/v1/job/fabio?purge=true`);
  const allocDir = join(nomad.dataDir, 'alloc');
  await waitFor('the fabio allocation collected', async () => {
    await sendJson('PUT', `${nomad.address}/v1/client/gc`);
    return readdirSync(allocDir).length === 0 ? true : undefined;
  }, { timeoutMs: 30_000 }).catch((error: Error) => console.warn(`${SUITE}: ${error.message}`));
}

describe.skipIf(missing.length > 0)('the fabio job under Consul ACLs, with its workload identity, on real Nomad, Consul and Fabio', { timeout: 120_000 }, () => {
  let consul: ConsulAgent;
  let nomad: RealNomad;
  let env: Environment;
  let job: NomadJob;
  const admin = async (method: string, path: string, body?: unknown): Promise<Record<string, unknown>> => {
    const { status, text } = await sendJson(method, `${consul.address}/v1/${path}`, body, { 'X-Consul-Token': MASTER });
    if (status >= 300) throw new Error(`${method} ${path}: ${status} ${text}`);
    return (text ? JSON.parse(text) : {}) as Record<string, unknown>;
  };

  beforeAll(async () => {
    consul = await startConsulAgent({ aclDefaultPolicy: 'deny', hcl: [`acl { tokens { master = "${MASTER}" } }`], readyTimeoutMs: 60_000 });
    nomad = await startRealNomad({ consul: consul.address, consulAcl: { token: MASTER, audience: AUDIENCE } });

    // Consul's side, as the module creates it: auth method on this Nomad's JWKS, binding rules, policies, roles.
    const [main, variables] = await Promise.all([parseHcl(`${MODULE}/main.tf`), parseHcl(`${MODULE}/variables.tf`)]);
    const method: Hcl = main.resource.consul_acl_auth_method.nomad[0];
    const methodName: string = variables.variable.auth_method_name[0].default;
    const locals: Hcl = Object.assign({}, ...(main.locals as Hcl[]));
    expect(variables.variable.audiences[0].default).toEqual([AUDIENCE]);
    await admin('PUT', 'acl/auth-method', {
      Name: methodName, Type: method.type, MaxTokenTTL: method.max_token_ttl, TokenLocality: method.token_locality,
      Config: { JWKSURL: nomad.jwksUrl, JWTSupportedAlgs: ['RS256'], BoundAudiences: [AUDIENCE], ClaimMappings: locals.claim_mappings },
    });
    for (const name of ['services', 'tasks', 'fabio']) {
      const rule: Hcl = main.resource.consul_acl_binding_rule[name][0];
      await admin('PUT', 'acl/binding-rule', { AuthMethod: methodName, Selector: evaluate(rule.selector), BindType: rule.bind_type, BindName: evaluate(rule.bind_name) });
    }
    for (const name of ['tasks', 'fabio']) {
      const policy: Hcl = main.resource.consul_acl_policy[name][0];
      const created = await admin('PUT', 'acl/policy', { Name: evaluate(policy.name), Rules: policyRules(policy.rules) });
      await admin('PUT', 'acl/role', { Name: evaluate(main.resource.consul_acl_role[name][0].name), Policies: [{ ID: created['ID'] }] });
    }

    const [proxyPort, uiPort, metricsPort] = (await freePorts(3)) as [number, number, number];
    env = { ...dev, fabio: { ...dev.fabio, proxyPort, uiPort, metricsPort, consulAddress: consul.address.replace(/^http:\/\//, '') } };
    job = renderJob(fabioJob.build(env), aContext(env));
    const task = job.TaskGroups[0]!.Tasks[0]!;
    task.Env = { ...task.Env, ...ROOT_ENV };
    const registered = await sendJson('POST', `${nomad.address}/v1/jobs`, { Job: job });
    expect(registered.status, registered.text).toBe(200);
  }, 120_000);

  afterAll(async () => {
    if (nomad) await collectFabio(nomad);
    await nomad?.stop();
    await consul?.stop();
  }, 60_000);

  const fabioInstances = async () => (await getJson(`${consul.address}/v1/catalog/service/fabio`, { 'X-Consul-Token': MASTER })) as { ServiceTags: string[] }[];
  const routes = async () => ((await getJson(`http://127.0.0.1:${env.fabio.uiPort}/api/routes`)) as { service: string; src: string }[] | null) ?? [];

  it('sends no token to Nomad: the task has a consul block and nothing else about Consul', () => {
    const text = JSON.stringify(job);
    expect(text).not.toContain(MASTER);
    expect(text).not.toMatch(/token/i);
    expect(job.TaskGroups[0]!.Tasks[0]!.Consul).toEqual({ Cluster: 'default' });
  });

  it('starts Fabio with a token from its identity, which registers Fabio in Consul', async () => {
    const registered = await waitFor('Fabio registered in Consul', async () => ((await fabioInstances()).length > 0 ? true : undefined), { timeoutMs: 60_000 }).catch((error: Error) => {
      throw new Error(`${error.message}\n${tail(nomad.process, 2500)}`);
    });
    expect(registered).toBe(true);
    expect((await fabioInstances())[0]!.ServiceTags).toEqual(['dev']);
    // The token Nomad wrote for the task: logged in at the auth method, holding the module's two roles.
    const allocs = readdirSync(join(nomad.dataDir, 'alloc'));
    const token = allocs.map((id) => join(nomad.dataDir, 'alloc', id, 'fabio', 'secrets', 'consul_token')).map((file) => readFileSync(file, 'utf8'))[0]!;
    const self = (await getJson(`${consul.address}/v1/acl/token/self`, { 'X-Consul-Token': token })) as { AuthMethod: string; Roles: { Name: string }[]; ExpirationTime?: string };
    expect(self.AuthMethod).toBe('nomad-workloads');
    expect(self.Roles.map((r) => r.Name).sort()).toEqual(['drover-fabio', 'drover-tasks-default']);
    // Nomad never logs the task in again while it runs: a token that expired would leave Fabio blind.
    expect(self.ExpirationTime).toBeUndefined();
  });

  it('routes a service it can only see with its token, and reads its KV overrides', async () => {
    await admin('PUT', 'agent/service/register', {
      Name: 'web', ID: 'web-1', Address: '127.0.0.1', Port: 1, Tags: ['urlprefix-/web'], Check: { TTL: '60s', Status: 'passing' },
    });
    const anonymous = await fetch(`${consul.address}/v1/catalog/service/web`);
    expect(await anonymous.json()).toEqual([]);
    await waitFor('Fabio routing /web', async () => ((await routes()).some((r) => r.service === 'web' && r.src === '/web') ? true : undefined), { timeoutMs: 30_000 });
    await admin('PUT', `kv${FABIO_KV_PATH}`, 'route add manual /manual http://127.0.0.1:2/');
    await waitFor('Fabio routing /manual from its KV', async () => ((await routes()).some((r) => r.service === 'manual' && r.src === '/manual') ? true : undefined), { timeoutMs: 30_000 });
  });

  it('does not start without a token (what the job did before it had a consul block)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'drover-fabio-anonymous-'));
    const [proxyPort, uiPort, metricsPort] = (await freePorts(3)) as [number, number, number];
    writeFileSync(join(dir, 'fabio.properties'), renderFabioProperties({ ...env, fabio: { ...env.fabio, proxyPort, uiPort, metricsPort } }));
    const environment = { ...process.env, ...ROOT_ENV, CONSUL_HTTP_TOKEN: '', CONSUL_TOKEN: '', CONSUL_HTTP_TOKEN_FILE: '' };
    const anonymous = spawnReal('fabio', findOnPath('fabio')!, ['-cfg', join(dir, 'fabio.properties')], { dir, env: environment });
    try {
      // It retries until registry.timeout, then exits; its first failure says why.
      const failure = await waitFor('Fabio without a token to fail', async () => anonymous.output().match(/Error initializing backend.*/)?.[0], { timeoutMs: 20_000 });
      expect(failure).toMatch(/403/);
      expect(anonymous.output()).not.toContain('Registered fabio');
    } finally {
      await anonymous.stop();
    }
  });
});

describe.skipIf(missing.length > 0)('the fabio job as drover up runs it: Consul without ACLs, Nomad without task_identity', { timeout: 120_000 }, () => {
  let consul: ConsulAgent | undefined;
  let nomad: RealNomad | undefined;

  afterAll(async () => {
    if (nomad) await collectFabio(nomad);
    await nomad?.stop();
    await consul?.stop();
  }, 60_000);

  it('starts Fabio with the same consul block and no token: Nomad adds no identity', async () => {
    consul = await startConsulAgent({ readyTimeoutMs: 60_000 });
    nomad = await startRealNomad({ consul: consul.address });
    const [proxyPort, uiPort, metricsPort] = (await freePorts(3)) as [number, number, number];
    const env: Environment = { ...dev, fabio: { ...dev.fabio, proxyPort, uiPort, metricsPort, consulAddress: consul.address.replace(/^http:\/\//, '') } };
    const job = renderJob(fabioJob.build(env), aContext(env));
    const task = job.TaskGroups[0]!.Tasks[0]!;
    expect(task.Consul).toEqual({ Cluster: 'default' });
    task.Env = { ...task.Env, ...ROOT_ENV };
    const registered = await sendJson('POST', `${nomad.address}/v1/jobs`, { Job: job });
    expect(registered.status, registered.text).toBe(200);
    await waitFor('Fabio registered in Consul', async () => (((await getJson(`${consul!.address}/v1/catalog/service/fabio`)) as unknown[]).length > 0 ? true : undefined), { timeoutMs: 60_000 });
    const stored = (await getJson(`${nomad.address}/v1/job/fabio`)) as { TaskGroups: { Tasks: { Identities: unknown[] | null }[] }[] };
    expect(stored.TaskGroups[0]!.Tasks[0]!.Identities).toBeNull();
    const allocs = readdirSync(join(nomad.dataDir, 'alloc'));
    expect(allocs.flatMap((id) => readdirSync(join(nomad!.dataDir, 'alloc', id, 'fabio', 'secrets')))).not.toContain('consul_token');
  });
});
