/**
 * terraform/modules/consul-nomad-workloads against a real Consul (1.8.7 in CI, installed by
 * pretest): its auth method and binding rules, taken from the module's HCL, are created in a
 * Consul with ACLs denying by default, and JWTs shaped like Nomad's workload identities log in:
 * a service's gets its service identity, a task's its namespace's role (Fabio's also Fabio's),
 * a task of another namespace and a JWT for another audience are refused. Nomad's JWKS is served
 * by this test on 127.0.0.1 (Consul 1.8.7 fetches it when the auth method is created). Skipped
 * loudly without a consul binary.
 */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consulAvailability, startConsulAgent, warnConsulSkipped, type ConsulAgent } from '../support/consul-agent.ts';
import { type Hcl, parseHcl } from '../terraform/tf-model.ts';

const SUITE = 'test/integration/consul-nomad-workloads.test.ts';
const availability = consulAvailability();
warnConsulSkipped(SUITE, availability);

const MODULE = 'terraform/modules/consul-nomad-workloads';
const MASTER = '6f1d2c3b-4a59-4e8d-9c7b-1a2b3c4d5e6f';
/** The values the module's variables take in terraform/envs/qa/consul.tf (and their defaults). */
const VARS: Record<string, string> = { 'var.name_prefix': 'drover-', 'var.nomad_namespace': 'shop', 'var.fabio_job_id': 'fabio', 'local.fabio_role_name': 'drover-fabio' };

/** A module string as Terraform evaluates it: `${var.x}` substituted, `$${` unescaped to a literal `${`. */
function evaluate(text: string): string {
  return text.replace(/(?<!\$)\$\{([a-z_.]+)\}/g, (_m, ref: string) => {
    const value = VARS[ref];
    if (value === undefined) throw new Error(`no value for ${ref} in ${text}`);
    return value;
  }).replaceAll('$${', '${');
}

describe.skipIf(!availability.available)('consul-nomad-workloads in a real Consul', { timeout: 60_000 }, () => {
  let consul: ConsulAgent;
  let jwks: Server;
  let key: KeyObject;
  let methodName: string;
  const admin = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${consul.address}/v1/${path}`, { method, headers: { 'X-Consul-Token': MASTER }, ...(body ? { body: JSON.stringify(body) } : {}) });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return JSON.parse(text) as Record<string, unknown>;
  };

  beforeAll(async () => {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    key = pair.privateKey;
    const jwk = { ...pair.publicKey.export({ format: 'jwk' }), kid: 'nomad-key-1', use: 'sig', alg: 'RS256' };
    jwks = createServer((req, res) => {
      res.writeHead(req.url === '/.well-known/jwks.json' ? 200 : 404, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    consul = await startConsulAgent({ aclDefaultPolicy: 'deny', hcl: [`acl { tokens { master = "${MASTER}" } }`] });

    const [main, variables] = await Promise.all([parseHcl(`${MODULE}/main.tf`), parseHcl(`${MODULE}/variables.tf`)]);
    const method: Hcl = main.resource.consul_acl_auth_method.nomad[0];
    const locals: Hcl = Object.assign({}, ...(main.locals as Hcl[]));
    methodName = variables.variable.auth_method_name[0].default;
    const nomad = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}`;
    expect(method.config_json).toContain('JWTSupportedAlgs = ["RS256"]');
    await admin('PUT', 'acl/auth-method', {
      Name: methodName, Type: method.type, DisplayName: method.display_name, MaxTokenTTL: method.max_token_ttl, TokenLocality: method.token_locality,
      Config: { JWKSURL: `${nomad}/.well-known/jwks.json`, JWTSupportedAlgs: ['RS256'], BoundAudiences: variables.variable.audiences[0].default, ClaimMappings: locals.claim_mappings },
    });
    for (const name of ['services', 'tasks', 'fabio']) {
      const rule: Hcl = main.resource.consul_acl_binding_rule[name][0];
      await admin('PUT', 'acl/binding-rule', { AuthMethod: methodName, Selector: evaluate(rule.selector), BindType: rule.bind_type, BindName: evaluate(rule.bind_name) });
    }
    // The roles the rules name (their policies' rules are the module's business, checked in test/terraform).
    for (const role of ['drover-tasks-shop', 'drover-fabio']) {
      const policy = await admin('PUT', 'acl/policy', { Name: role, Rules: 'node_prefix "" {\n  policy = "read"\n}' });
      await admin('PUT', 'acl/role', { Name: role, Policies: [{ ID: policy['ID'] }] });
    }
  }, 60_000);

  afterAll(async () => {
    await consul?.stop();
    await new Promise((resolve) => jwks?.close(resolve));
  });

  /** A JWT as Nomad signs a workload identity: RS256, its key id, audience and nomad_* claims. */
  const identity = (claims: Record<string, string>, aud = ['consul.io']) => {
    const now = Math.floor(Date.now() / 1000);
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const signed = `${part({ alg: 'RS256', kid: 'nomad-key-1', typ: 'JWT' })}.${part({ aud, iat: now, nbf: now, exp: now + 600, sub: 'global:shop:x', nomad_allocation_id: 'a1', ...claims })}`;
    return `${signed}.${sign('sha256', Buffer.from(signed), key).toString('base64url')}`;
  };
  const login = async (token: string) => {
    const response = await fetch(`${consul.address}/v1/acl/login`, { method: 'POST', body: JSON.stringify({ AuthMethod: methodName, BearerToken: token }) });
    if (!response.ok) return { status: response.status, roles: [], services: [] };
    const body = (await response.json()) as { Roles?: { Name: string }[]; ServiceIdentities?: { ServiceName: string }[] };
    return { status: response.status, roles: (body.Roles ?? []).map((r) => r.Name).sort(), services: (body.ServiceIdentities ?? []).map((s) => s.ServiceName) };
  };

  it('gives a service\'s identity a service identity named after the service, and no role', async () => {
    expect(await login(identity({ nomad_namespace: 'shop', nomad_job_id: 'api', nomad_service: 'api' }))).toEqual({ status: 200, roles: [], services: ['api'] });
  });

  it('gives a task\'s identity its namespace\'s role; Fabio\'s tasks also Fabio\'s', async () => {
    expect(await login(identity({ nomad_namespace: 'shop', nomad_job_id: 'api', nomad_task: 'api' }))).toEqual({ status: 200, roles: ['drover-tasks-shop'], services: [] });
    expect(await login(identity({ nomad_namespace: 'shop', nomad_job_id: 'fabio', nomad_task: 'fabio' }))).toEqual({ status: 200, roles: ['drover-fabio', 'drover-tasks-shop'], services: [] });
  });

  it('refuses a task of another namespace and a JWT meant for another audience', async () => {
    expect((await login(identity({ nomad_namespace: 'other', nomad_job_id: 'x', nomad_task: 'x' }))).status).toBe(403);
    expect((await login(identity({ nomad_namespace: 'shop', nomad_job_id: 'api', nomad_service: 'api' }, ['vault.io']))).status).not.toBe(200);
  });
});
