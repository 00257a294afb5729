import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ShapeError } from '../../../src/clients/http/shape.ts';
import * as S from '../../../src/clients/vault/shapes.ts';
import { errorText, vaultError } from '../../../src/clients/vault/transport.ts';
import { ExitCode } from '../../../src/errors.ts';
import { recorded, recordedBody } from '../../support/recorded.ts';
import { SENTINELS } from '../../support/sentinels.ts';

const TOKEN = SENTINELS.VAULT_TOKEN;
const envelope = (data: unknown) => ({ request_id: 'r', lease_id: '', renewable: false, lease_duration: 0, data, wrap_info: null, warnings: null, auth: null, mount_type: 'kv' });

describe('Vault errors', () => {
  it('joins the messages of {"errors": [...]} and trims Go multierror decoration', () => {
    expect(errorText({ errors: ['1 error occurred:\n\t* permission denied\n\n'] })).toBe('permission denied');
    expect(errorText({ errors: ['2 errors occurred:\n\t* permission denied\n\t* invalid token\n\n'] })).toBe('permission denied\ninvalid token');
    expect(errorText({ errors: ['message', 'another message'] })).toBe('message\nanother message');
    expect(errorText({ errors: [] })).toBe('');
    expect(errorText('<html>bad gateway</html>')).toBe('<html>bad gateway</html>');
  });

  it('maps a 403 onto ApiError (exit 77, not allowed) without the token, even when Vault echoes it', () => {
    const error = vaultError({ method: 'GET', path: '/auth/token/lookup-self' }, { status: 403, body: { errors: [`permission denied for ${TOKEN}`] } }, [TOKEN]);
    expect(error).toMatchObject({ service: 'vault', method: 'GET', path: '/v1/auth/token/lookup-self', status: 403, body: 'permission denied for [redacted]' });
    expect(error.exitCode).toBe(ExitCode.noPermission);
    expect(error.hint).toContain('vault token');
    expect(vaultError({ method: 'GET', path: '/sys/health' }, { status: 500, body: { errors: ['internal'] } }, []).exitCode).toBe(ExitCode.deploymentFailed);
    expect([error.message, JSON.stringify(error), error.stack, inspect(error, { depth: 10 })].join()).not.toContain(TOKEN);
  });
});

describe('narrowing Vault responses', () => {
  it('drops the token ID from lookup-self (data.id IS the token)', () => {
    const info = S.tokenInfo(S.dataOf(envelope({ id: TOKEN, accessor: 'acc', policies: ['default'], ttl: 300, type: 'service', expire_time: null, meta: null }), 'x'), 'x');
    expect(info).toMatchObject({ accessor: 'acc', policies: ['default'], ttl: 300, meta: {}, expire_time: null });
    expect(JSON.stringify(info)).not.toContain(TOKEN);
    expect(info).not.toHaveProperty('id');
  });

  it('reads data from the envelope, and sys answers from the top level when data is absent', () => {
    expect(S.aclPolicy(S.dataOf({ name: 'a', policy: 'p', data: { name: 'a', policy: 'p' } }, 'x'), 'x')).toEqual({ name: 'a', policy: 'p' });
    expect(S.aclPolicy(S.dataOf({ name: 'b', policy: 'q' }, 'x'), 'x')).toEqual({ name: 'b', policy: 'q' });
    expect(S.keys({ keys: ['root'], data: { keys: ['default', 'root'] } }, 'x')).toEqual(['default', 'root']);
  });

  it('accepts only keys in a subkeys tree: a value in a leaf is refused', () => {
    const data = { subkeys: { user: null, nested: { a: null } }, metadata: { version: 2, deletion_time: '', destroyed: false, created_time: 't', custom_metadata: null } };
    expect(S.kvSubkeys(data, 'x')).toEqual({ ...data, metadata: { ...data.metadata, custom_metadata: {} } });
    expect(() => S.kvSubkeys({ subkeys: { password: SENTINELS.DATABASE_PASSWORD }, metadata: {} }, 'x')).toThrow(ShapeError);
  });

  it('reads a JWT role whose audiences were written as a string and whose policies use the legacy alias', () => {
    const role = S.jwtRoleOf({ role_type: 'jwt', bound_audiences: 'vault.io', user_claim: '/nomad_job_id', policies: ['p'], token_period: 1800, bound_claims: { nomad_job_id: 'api', nomad_namespace: ['qa', 'prod'] } }, 'x');
    expect(role).toMatchObject({ bound_audiences: ['vault.io'], token_policies: ['p'], token_period: 1800, bound_claims: { nomad_job_id: 'api', nomad_namespace: ['qa', 'prod'] } });
  });

  it('refuses an errors body as a health answer (it must not read as "not initialized")', () => {
    expect(() => S.health({ errors: ['Vault is sealed'] }, 'health')).toThrow(ShapeError);
  });
});

/** What a real Vault-API server answered (test/fixtures/recorded/vault/, see its README). */
describe('narrowing recorded answers', () => {
  const body = (name: string) => recordedBody('vault', name);

  it('reads every recorded answer drover narrows', () => {
    expect(S.tokenInfo(S.dataOf(body('get_auth_token_lookup_self'), 'x'), 'x')).toMatchObject({ policies: ['default', 'deploy'], meta: { user: 'recorder' }, type: 'service' });
    expect(S.kvMetadata(S.dataOf(body('get_mount_metadata_path'), 'x'), 'x')).toMatchObject({ current_version: 2, custom_metadata: { owner: 'team-shop' }, versions: { '2': { destroyed: false } } });
    expect(S.kvSubkeys(S.dataOf(body('get_mount_subkeys_path'), 'x'), 'x').subkeys).toEqual({ greeting: null, nested: { word: null } });
    expect(S.aclPolicy(S.dataOf(body('get_sys_policies_acl_name'), 'x'), 'x')).toMatchObject({ name: 'deploy', policy: expect.stringContaining('secret/data/recorded/*') });
    expect(S.keys(body('list_sys_policies_acl'), 'x')).toEqual(['default', 'deploy', 'root']);
    expect(S.jwtRoleOf(S.dataOf(body('get_auth_jwt_role_name'), 'x'), 'x')).toMatchObject({ token_policies: ['nomad-workloads'], bound_audiences: ['vault.io'], token_period: 1800 });
    expect(S.health(body('get_sys_health'), 'x')).toMatchObject({ initialized: true, standby: false, sealed: false });
    expect(S.sealStatus(body('get_sys_seal_status'), 'x')).toMatchObject({ sealed: false });
  });

  it('holds no token: the recorder scrubbed every one, and lookup-self drops the ID anyway', () => {
    const info = S.tokenInfo(S.dataOf(body('get_auth_token_lookup_self.root'), 'x'), 'x');
    expect(info).not.toHaveProperty('id');
    expect(JSON.stringify(body('get_auth_token_lookup_self.root'))).toContain('<scrubbed-root-token>');
    expect(body('post_auth_token_create').auth.client_token).toBe('<scrubbed-token>');
  });

  it('maps the recorded error answers onto ApiError status and message', () => {
    const denied = recorded('vault', 'get_mount_metadata_path.permission_denied');
    expect(vaultError({ method: 'GET', path: '/secret/metadata/recorded/app' }, { status: denied.status, body: denied.body }, [])).toMatchObject({ status: 403, body: 'permission denied' });
    expect(errorText(body('get_mount_data_path.not_found'))).toBe('');
  });
});
