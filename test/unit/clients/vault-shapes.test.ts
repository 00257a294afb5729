import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ShapeError } from '../../../src/clients/http/shape.ts';
import * as S from '../../../src/clients/vault/shapes.ts';
import { errorText, vaultError } from '../../../src/clients/vault/transport.ts';
import { ExitCode } from '../../../src/errors.ts';
import { hasReference, readReferenceJson } from '../../support/reference.ts';
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

  it('maps an error answer onto ApiError without the token, even when Vault echoes it', () => {
    const error = vaultError({ method: 'GET', path: '/auth/token/lookup-self' }, { status: 403, body: { errors: [`permission denied for ${TOKEN}`] } }, [TOKEN]);
    expect(error).toMatchObject({ service: 'vault', method: 'GET', path: '/v1/auth/token/lookup-self', status: 403, body: 'permission denied for [redacted]' });
    expect(error.exitCode).toBe(ExitCode.deploymentFailed);
    expect(error.hint).toContain('vault token');
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

describe.skipIf(!hasReference())('narrowing the reference examples', () => {
  it('reads every Vault sample drover uses', () => {
    const sample = (name: string) => readReferenceJson(`examples/vault/${name}`);
    expect(S.tokenInfo(S.dataOf(sample('get_auth_token_lookup_self.response.json'), 'x'), 'x').policies).toEqual(['default', 'testgroup2-policy']);
    expect(S.kvMetadata(S.dataOf(sample('get_mount_metadata_path.response.json'), 'x'), 'x')).toMatchObject({ current_version: 3, versions: { '3': { destroyed: false } } });
    expect(S.kvSubkeys(S.dataOf(sample('get_mount_subkeys_path.response.json'), 'x'), 'x').subkeys).toEqual({ foo: null, bar: { baz: null }, quux: null });
    expect(S.aclPolicy(S.dataOf(sample('get_sys_policies_acl_name.response.json'), 'x'), 'x').name).toBe('deploy');
    expect(S.keys(sample('list_sys_policies_acl.response.json'), 'x')).toEqual(['root', 'my-policy']);
    expect(S.jwtRoleOf(S.dataOf(sample('get_auth_jwt_role_name.response_data_only.json'), 'x'), 'x').token_policies).toEqual(['dev', 'prod']);
    expect(S.health(sample('get_sys_health.response_ce_standby.json'), 'x')).toMatchObject({ standby: true, sealed: false });
    expect(S.sealStatus(sample('get_sys_seal_status.response_sealed.json'), 'x')).toMatchObject({ sealed: true, t: 2, n: 3, progress: 1 });
  });
});
