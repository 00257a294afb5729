/**
 * JWT auth roles and config over HTTP, as `nomad setup vault` writes them: round trips with Vault's
 * defaults filled in, the plugin's validations and its `role_type` quirk.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSandboxClock } from '../../src/sandbox/clock.ts';
import { createVaultService } from '../../src/sandbox/vault/index.ts';
import { recorded } from '../support/recorded.ts';
import { call, serve, type Answer, type ServedService } from '../support/serve-sandbox-service.ts';

const ROOT = 'root-token';
let served: ServedService;

beforeEach(async () => {
  served = await serve(createVaultService({ clock: createSandboxClock({ speed: 0 }), rootToken: ROOT }));
});

afterEach(() => served.close());

const v = (method: string, path: string, body?: unknown): Promise<Answer> =>
  call(served.address, method, `/v1/${path}`, { headers: { 'X-Vault-Token': ROOT }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
const dataOf = (answer: Answer): Record<string, unknown> => (answer.json as { data: Record<string, unknown> }).data;

/** Nomad's default workload-identity role, as `nomad setup vault` writes it. */
const NOMAD_ROLE = {
  role_type: 'jwt',
  bound_audiences: 'vault.io',
  user_claim: '/nomad_job_id',
  user_claim_json_pointer: true,
  claim_mappings: { nomad_namespace: 'nomad_namespace', nomad_job_id: 'nomad_job_id', nomad_task: 'nomad_task' },
  token_type: 'service',
  token_period: '30m',
  token_policies: ['nomad-workloads'],
};

describe('JWT roles', () => {
  it('round-trips Nomad’s default role with every default filled in', async () => {
    expect((await v('POST', 'auth/jwt-nomad/role/Nomad-Workloads', NOMAD_ROLE)).status).toBe(204);
    const read = await v('GET', 'auth/jwt-nomad/role/nomad-workloads');
    expect(read.json).toMatchObject({ mount_type: 'jwt', lease_duration: 0, auth: null });
    expect(dataOf(read)).toEqual({
      role_type: 'jwt',
      bound_audiences: ['vault.io'],
      bound_subject: '',
      bound_claims_type: 'string',
      bound_claims: null,
      claim_mappings: NOMAD_ROLE.claim_mappings,
      oauth2_metadata: null,
      user_claim: '/nomad_job_id',
      user_claim_json_pointer: true,
      groups_claim: '',
      allowed_redirect_uris: null,
      oidc_scopes: null,
      verbose_oidc_logging: false,
      max_age: 0,
      expiration_leeway: 0,
      not_before_leeway: 0,
      clock_skew_leeway: 0,
      token_bound_cidrs: [],
      token_explicit_max_ttl: 0,
      token_max_ttl: 0,
      token_no_default_policy: false,
      token_num_uses: 0,
      token_period: 1800,
      token_policies: ['nomad-workloads'],
      token_ttl: 0,
      token_type: 'service',
    });
  });

  it('answers the role writes a real server answered, with its status and message', async () => {
    expect(recorded('vault', 'post_auth_jwt_role_name').request.body).toEqual(NOMAD_ROLE);
    for (const name of ['post_auth_jwt_role_name', 'post_auth_jwt_role_name.oidc_default']) {
      const { request, status, body } = recorded('vault', name);
      const answer = await v(request.method, request.path.replace(/^\/v1\//, ''), request.body);
      expect({ name, status: answer.status, body: answer.json ?? null }).toEqual({ name, status, body });
    }
  });

  it('stores bound claims, glob matching and legacy fields, reading legacy fields back only when written', async () => {
    const body = { role_type: 'jwt', user_claim: 'sub', bound_claims_type: 'glob', bound_claims: { nomad_job_id: 'shop-*' }, policies: 'a,b', ttl: '1h' };
    expect((await v('POST', 'auth/jwt-nomad/role/legacy', body)).status).toBe(204);
    expect(dataOf(await v('GET', 'auth/jwt-nomad/role/legacy'))).toMatchObject({
      bound_claims_type: 'glob',
      bound_claims: { nomad_job_id: 'shop-*' },
      policies: ['a', 'b'],
      token_policies: ['a', 'b'],
      ttl: 3600,
      token_ttl: 3600,
    });
  });

  it('rejects roles the plugin rejects, with its messages', async () => {
    const bad = async (body: object): Promise<unknown> => (await v('POST', 'auth/jwt-nomad/role/bad', body)).json;
    expect(await bad({ user_claim: 'sub', bound_audiences: 'x' })).toEqual({ errors: ["'allowed_redirect_uris' must be set if 'role_type' is 'oidc' or unspecified."] });
    expect(await bad({ role_type: 'jwt', bound_audiences: 'x' })).toEqual({ errors: ['a user claim must be defined on the role'] });
    expect(await bad({ role_type: 'jwt', user_claim: 'sub' })).toEqual({ errors: ['must have at least one bound constraint when creating/updating a role'] });
    expect(await bad({ role_type: 'saml', user_claim: 'sub' })).toEqual({ errors: ["invalid 'role_type': saml"] });
    expect(await bad({ ...NOMAD_ROLE, token_type: 'bogus' })).toEqual({ errors: ['invalid \'token_type\' value "bogus"'] });
    expect(await bad({ ...NOMAD_ROLE, policies: ['a'] })).toEqual({ errors: ['Cannot specify both "policies" and "token_policies"'] });
    expect(await bad({ ...NOMAD_ROLE, token_ttl: '2h', token_max_ttl: '1h' })).toEqual({ errors: ["'token_ttl' cannot be greater than 'token_max_ttl'"] });
  });

  it('resets role_type to oidc when an update omits it, as the plugin does', async () => {
    await v('POST', 'auth/jwt-nomad/role/r', NOMAD_ROLE);
    expect((await v('POST', 'auth/jwt-nomad/role/r', { token_ttl: 60 })).json).toEqual({
      errors: ["'allowed_redirect_uris' must be set if 'role_type' is 'oidc' or unspecified."],
    });
    expect((await v('POST', 'auth/jwt-nomad/role/r', { role_type: 'jwt', token_ttl: 60 })).status).toBe(204);
    expect(dataOf(await v('GET', 'auth/jwt-nomad/role/r'))).toMatchObject({ token_ttl: 60, token_period: 1800, bound_audiences: ['vault.io'] });
  });

  it('lists and deletes roles', async () => {
    expect(await v('GET', 'auth/jwt-nomad/role?list=true')).toMatchObject({ status: 404, json: { errors: [] } });
    await v('POST', 'auth/jwt-nomad/role/b', NOMAD_ROLE);
    await v('POST', 'auth/jwt-nomad/role/a', NOMAD_ROLE);
    expect(dataOf(await v('GET', 'auth/jwt-nomad/role?list=true')).keys).toEqual(['a', 'b']);
    expect((await v('DELETE', 'auth/jwt-nomad/role/a')).status).toBe(204);
    expect((await v('GET', 'auth/jwt-nomad/role/a')).status).toBe(404);
  });
});

describe('JWT config and mounts', () => {
  it('round-trips Nomad’s auth method config', async () => {
    expect((await v('GET', 'auth/jwt-nomad/config')).status).toBe(404);
    const config = { jwks_url: 'http://127.0.0.1:4646/.well-known/jwks.json', jwt_supported_algs: ['EdDSA', 'RS256'], default_role: 'nomad-workloads' };
    expect((await v('POST', 'auth/jwt-nomad/config', config)).status).toBe(204);
    expect(dataOf(await v('GET', 'auth/jwt-nomad/config'))).toMatchObject({ ...config, bound_issuer: '', oidc_discovery_url: '', jwt_validation_pubkeys: [] });
  });

  it('requires exactly one key source and known algorithms', async () => {
    expect((await v('POST', 'auth/jwt-nomad/config', { default_role: 'x' })).json).toEqual({
      errors: ["exactly one of 'jwt_validation_pubkeys', 'jwks_url' or 'oidc_discovery_url' must be set"],
    });
    expect((await v('POST', 'auth/jwt-nomad/config', { jwks_url: 'http://x', jwt_supported_algs: 'HS256' })).json).toEqual({ errors: ['Invalid supported algorithm: HS256'] });
  });

  it('enables a JWT mount through sys/auth and reports its accessor', async () => {
    expect((await v('POST', 'sys/auth/jwt-qa', { type: 'jwt' })).status).toBe(204);
    expect((await v('POST', 'sys/auth/jwt-qa', { type: 'jwt' })).json).toEqual({ errors: ['path is already in use at auth/jwt-qa/'] });
    expect(dataOf(await v('GET', 'sys/auth/jwt-qa'))).toMatchObject({ type: 'jwt', accessor: expect.stringMatching(/^auth_jwt_[0-9a-f]{8}$/) });
    expect((await v('POST', 'auth/jwt-qa/role/r', NOMAD_ROLE)).status).toBe(204);
    expect(await v('GET', 'auth/unknown/role/r')).toMatchObject({ status: 404, json: { errors: ['no handler for route "auth/unknown/role/r". route entry not found.'] } });
  });
});
