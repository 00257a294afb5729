/**
 * Every Vault client call against the sandbox's Vault (src/sandbox/vault) over real HTTP on
 * 127.0.0.1. The sandbox is started with the sentinel as its root token, so any leak of the token
 * into an error, a retry event or a result would show.
 */
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RetryEvent } from '../../src/clients/retry.ts';
import { createVaultClient, type VaultClient } from '../../src/clients/vault/index.ts';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/server.ts';
import { createVaultService, type VaultSandbox } from '../../src/sandbox/vault/index.ts';
import { SENTINELS } from '../support/sentinels.ts';

const TOKEN = SENTINELS.VAULT_TOKEN;

describe('vault client against the sandbox', () => {
  let sandbox: RunningSandbox;
  let service: VaultSandbox;
  let vault: VaultClient;
  const retries: RetryEvent[] = [];
  const clean = (value: unknown) => expect(`${inspect(value, { depth: 20, showHidden: true })}${JSON.stringify(value)}`).not.toContain(TOKEN);

  beforeAll(async () => {
    sandbox = await startSandbox({ clockSpeed: 0, services: { vault: (ctx) => (service = createVaultService({ ...ctx, rootToken: TOKEN })) } });
    vault = createVaultClient({ address: sandbox.addresses.vault, token: TOKEN, retry: { baseDelayMs: 1 }, onRetry: (e) => retries.push(e) });
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  it('looks up its own token without handing back the token ID', async () => {
    const info = await vault.token.lookupSelf();
    expect(info).toMatchObject({ policies: ['root'], path: 'auth/token/root', ttl: 0, expire_time: null });
    expect(info.accessor).not.toBe('');
    clean(info);
  });

  it('reads KV v2 metadata and subkeys, never values, and tells a deleted version from a missing secret', async () => {
    expect(await vault.kv.metadata('secret', 'shop/api/database')).toBeNull();
    expect(await vault.kv.subkeys('secret', 'shop/api/database')).toBeNull();
    service.seedSecret('secret', 'shop/api/database', { username: 'api', password: SENTINELS.DATABASE_PASSWORD, tls: { cert: 'c', key: 'k' } });
    service.seedSecret('secret', 'shop/api/database', { username: 'api', password: SENTINELS.DATABASE_PASSWORD, tls: { cert: 'c2', key: 'k2' } });
    const metadata = await vault.kv.metadata('secret', 'shop/api/database');
    expect(metadata).toMatchObject({ current_version: 2, oldest_version: 0, versions: { '1': { destroyed: false, deletion_time: '' }, '2': { deletion_time: '' } } });
    const subkeys = await vault.kv.subkeys('secret', 'shop/api/database');
    expect(subkeys).toEqual({ subkeys: { username: null, password: null, tls: { cert: null, key: null } }, metadata: expect.objectContaining({ version: 2, destroyed: false }) });
    expect((await vault.kv.subkeys('secret', 'shop/api/database', { depth: 1 }))?.subkeys).toEqual({ username: null, password: null, tls: null });
    expect(JSON.stringify(subkeys)).not.toContain(SENTINELS.DATABASE_PASSWORD);

    const deleted = await fetch(`${sandbox.addresses.vault}/v1/secret/data/shop/api/database`, { method: 'DELETE', headers: { 'X-Vault-Token': TOKEN } });
    expect(deleted.status).toBe(204);
    const afterDelete = await vault.kv.subkeys('secret', 'shop/api/database');
    expect(afterDelete?.subkeys).toBeNull();
    expect(afterDelete?.metadata.deletion_time).not.toBe('');
    expect((await vault.kv.metadata('secret', 'shop/api/database'))?.versions['2']?.deletion_time).not.toBe('');
  });

  it('writes, reads and lists ACL policies', async () => {
    const hcl = 'path "secret/data/shop/api/*" {\n  capabilities = ["read"]\n}\n';
    await vault.policies.write('drover-api', hcl);
    expect(await vault.policies.read('drover-api')).toEqual({ name: 'drover-api', policy: hcl });
    expect(await vault.policies.list()).toEqual(expect.arrayContaining(['default', 'drover-api', 'root']));
    expect(await vault.policies.read('drover-missing')).toBeNull();
    const invalid = await vault.policies.write('drover-bad', 'path "x" { capabilities = ').catch((e: unknown) => e);
    expect(invalid).toMatchObject({ service: 'vault', method: 'POST', status: 400 });
    clean(invalid);
  });

  it('writes, reads and lists JWT roles as Nomad workload identity needs them', async () => {
    await vault.jwt.writeRole('jwt-nomad', 'drover-api', {
      role_type: 'jwt', bound_audiences: 'vault.io', user_claim: '/nomad_job_id', user_claim_json_pointer: true,
      bound_claims_type: 'string', bound_claims: { nomad_namespace: 'qa', nomad_job_id: 'api' },
      claim_mappings: { nomad_namespace: 'nomad_namespace', nomad_job_id: 'nomad_job_id', nomad_task: 'nomad_task' },
      token_type: 'service', token_policies: ['drover-api'], token_period: 1800, token_ttl: 1800,
    });
    const role = await vault.jwt.readRole('jwt-nomad', 'drover-api');
    expect(role).toMatchObject({
      role_type: 'jwt', bound_audiences: ['vault.io'], bound_claims: { nomad_namespace: 'qa', nomad_job_id: 'api' }, user_claim_json_pointer: true,
      token_policies: ['drover-api'], token_period: 1800, token_ttl: 1800, token_type: 'service',
    });
    expect(await vault.jwt.listRoles('jwt-nomad')).toContain('drover-api');
    expect(await vault.jwt.readRole('jwt-nomad', 'nope')).toBeNull();
    expect(await vault.jwt.listRoles('jwt-nomad-other')).toEqual([]);
  });

  it('maps seal and standby states from sys/health codes and keeps seal-status readable', async () => {
    expect(await vault.sys.health()).toMatchObject({ status: 'active', code: 200, body: { sealed: false } });
    expect(await vault.sys.sealStatus()).toMatchObject({ sealed: false, initialized: true });
    service.setStatus({ standby: true });
    expect(await vault.sys.health()).toMatchObject({ status: 'standby', code: 429, body: { standby: true } });
    service.setStatus({ standby: false, sealed: true });
    expect(await vault.sys.health()).toMatchObject({ status: 'sealed', code: 503, body: { sealed: true } });
    expect(await vault.sys.sealStatus()).toMatchObject({ sealed: true });
    retries.length = 0;
    const sealed = await vault.token.lookupSelf().catch((e: unknown) => e);
    expect(sealed).toMatchObject({ status: 503, body: 'Vault is sealed' });
    expect(retries.map((r) => r.error.status)).toEqual([503, 503, 503]);
    clean(sealed);
    clean(retries);
    service.setStatus({ sealed: false });
  });

  it('maps a limited or unknown token to 403 without carrying either token', async () => {
    await vault.policies.write('drover-meta-only', 'path "secret/metadata/*" {\n  capabilities = ["read"]\n}\n');
    const limitedToken = service.createToken({ policies: ['drover-meta-only'] });
    const limited = createVaultClient({ address: sandbox.addresses.vault, token: limitedToken });
    service.seedSecret('secret', 'shop/web/api-key', { key: SENTINELS.AWS_SECRET_ACCESS_KEY });
    expect((await limited.kv.metadata('secret', 'shop/web/api-key'))?.current_version).toBe(1);
    const denied = await limited.jwt.readRole('jwt-nomad', 'drover-api').catch((e: unknown) => e);
    expect(denied).toMatchObject({ status: 403, body: expect.stringContaining('permission denied') });
    expect(inspect(denied, { depth: 20 })).not.toContain(limitedToken);
    const unknown = await createVaultClient({ address: sandbox.addresses.vault, token: SENTINELS.CONSUL_HTTP_TOKEN }).token.lookupSelf().catch((e: unknown) => e);
    expect(unknown).toMatchObject({ status: 403 });
    expect(inspect(unknown, { depth: 20 })).not.toContain(SENTINELS.CONSUL_HTTP_TOKEN);
  });

  it('retries reads through injected faults and keeps the token out of the retry events', async () => {
    retries.length = 0;
    sandbox.admin.injectFault({ service: 'vault', method: 'GET', path: '/v1/sys/policies/acl', kind: 'drop', times: 1 });
    sandbox.admin.injectFault({ service: 'vault', method: 'GET', path: '/v1/sys/policies/acl', kind: 'error', status: 502, times: 1 });
    expect(await vault.policies.read('drover-api')).not.toBeNull();
    expect(retries.map((r) => r.error.code ?? r.error.status)).toEqual(['ECONNRESET', 502]);
    clean(retries);
    sandbox.admin.clearFaults();
  });
});
