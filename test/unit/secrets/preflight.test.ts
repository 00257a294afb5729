import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import qa from '../../../environments/qa.ts';
import { ApiError } from '../../../src/clients/api-error.ts';
import type { VaultClient } from '../../../src/clients/vault/types.ts';
import { DroverError, ExitCode } from '../../../src/errors.ts';
import { deriveVaultAccess, roleBody } from '../../../src/secrets/derive.ts';
import { assertVaultReady, checkVaultState, PREFLIGHT_DENIED, PREFLIGHT_FILE, PREFLIGHT_POLICY, PREFLIGHT_ROLE, PREFLIGHT_SECRET, VaultNotReadyError, vaultStateExitCode } from '../../../src/secrets/preflight.ts';
import { hasVaultChanges, planVaultChanges } from '../../../src/secrets/vault-state-plan.ts';
import type { Diagnostic } from '../../../src/validate/diagnostic.ts';
import type { VaultJwtRoleRead } from '../../../src/wire/vault.ts';
import { buildExampleJobs } from '../../support/example-jobs.ts';
import { repoRoot } from '../../support/run-cli.ts';

const jobs = await buildExampleJobs(qa);
const accesses = jobs.map((j) => deriveVaultAccess(j, qa)).filter((a) => a !== undefined);
const root = await mkdtemp(join(tmpdir(), 'drover-preflight-'));
await cp(join(repoRoot, 'vault-policies'), join(root, 'vault-policies'), { recursive: true });
afterAll(() => rm(root, { recursive: true, force: true }));

/** Vault's world for the fake: secrets by `mount/path`, policies and roles by name, 403s by request prefix. */
interface World {
  secrets: Map<string, { version: number; state: 'live' | 'deleted' | 'destroyed'; keys: string[] }>;
  policies: Map<string, string>;
  roles: Map<string, VaultJwtRoleRead>;
  denied: string[];
  calls: string[];
}

/** A Vault exactly as `vault-policies/qa/` and the example jobs want it. */
function readyWorld(): World {
  const secrets = new Map<string, { version: number; state: 'live'; keys: string[] }>();
  for (const ref of accesses.flatMap((a) => a.references)) {
    const id = `${ref.mount}/${ref.path}`;
    secrets.set(id, { version: 1, state: 'live', keys: [...(secrets.get(id)?.keys ?? []), ref.key] });
  }
  const policies = new Map(accesses.map((a) => [a.policyName, a.policyHcl]));
  const roles = new Map(accesses.map((a) => [a.policyName, readBack(roleBody(a.role))]));
  return { secrets, policies, roles, denied: [], calls: [] };
}

function readBack(written: Record<string, unknown>): VaultJwtRoleRead {
  return {
    role_type: 'oidc', bound_audiences: [], bound_subject: '', bound_claims: {}, bound_claims_type: 'string', user_claim: '', user_claim_json_pointer: false,
    claim_mappings: {}, groups_claim: '', token_policies: [], token_type: 'default', token_ttl: 0, token_max_ttl: 0, token_period: 0,
    token_explicit_max_ttl: 0, token_no_default_policy: false, token_num_uses: 0, ...(written as Partial<VaultJwtRoleRead>),
  };
}

/** Only the reads the preflight may make; anything else fails the test. */
function fakeVault(world: World): VaultClient {
  const guard = <T>(request: string, answer: () => T): Promise<T> => {
    world.calls.push(request);
    if (world.denied.some((d) => request.startsWith(d))) return Promise.reject(new ApiError({ service: 'vault', method: 'GET', path: `/v1/${request}`, status: 403, body: 'permission denied' }));
    return Promise.resolve(answer());
  };
  const forbidden = () => Promise.reject(new Error('the preflight must not call this'));
  const version = (v: { version: number; state: string }) => ({ created_time: '', deletion_time: v.state === 'deleted' ? '2030-01-01T00:00:00Z' : '', destroyed: v.state === 'destroyed' });
  return {
    token: { lookupSelf: () => guard('auth/token/lookup-self', () => ({}) as never) },
    kv: {
      metadata: (mount, path) =>
        guard(`${mount}/metadata/${path}`, () => {
          const s = world.secrets.get(`${mount}/${path}`);
          return s ? ({ current_version: s.version, versions: { [String(s.version)]: version(s) } } as never) : null;
        }),
      subkeys: (mount, path, opts) =>
        guard(`${mount}/subkeys/${path}?version=${opts?.version}`, () => {
          const s = world.secrets.get(`${mount}/${path}`);
          if (!s) return null;
          return { subkeys: s.state === 'live' ? Object.fromEntries(s.keys.map((k) => [k, null])) : null, metadata: { ...version(s), version: s.version, custom_metadata: {} } };
        }),
    },
    policies: { read: (name) => guard(`sys/policies/acl/${name}`, () => (world.policies.has(name) ? { name, policy: world.policies.get(name)! } : null)), write: forbidden, list: forbidden },
    jwt: { readRole: (mount, name) => guard(`auth/${mount}/role/${name}`, () => world.roles.get(name) ?? null), writeRole: forbidden, listRoles: forbidden, readConfig: forbidden },
    sys: { health: forbidden, sealStatus: forbidden },
  };
}

const check = async (world: World, over = root) => (await checkVaultState({ vault: fakeVault(world), env: qa, jobs, root: over })).diagnostics;
const brief = (ds: readonly Diagnostic[]) => ds.map((d) => `${d.severity} ${d.rule} ${d.location.file}${d.location.path ? ` ${d.location.path}` : ''}`);

describe('checkVaultState', () => {
  it('finds nothing when Vault holds the committed policies and roles and every referenced key', async () => {
    const world = readyWorld();
    expect(await check(world)).toEqual([]);
  });

  it('reads only token, metadata, subkeys, policies and roles — never secret data', async () => {
    const world = readyWorld();
    await check(world);
    expect(world.calls.filter((c) => !/^(auth\/token\/lookup-self|secret\/(metadata|subkeys)\/|sys\/policies\/acl\/drover-|auth\/jwt-nomad\/role\/drover-)/.test(c))).toEqual([]);
    expect(world.calls).toContain('secret/subkeys/shop/api/database?version=1');
  });

  it('collects every problem of every job in one pass', async () => {
    const world = readyWorld();
    world.secrets.set('secret/shop/api/database', { version: 2, state: 'live', keys: ['password'] });
    world.secrets.delete('secret/shop/worker/database');
    world.secrets.set('secret/shop/backup/s3', { version: 4, state: 'deleted', keys: [] });
    world.policies.delete('drover-postgres');
    world.roles.set('drover-db-backup', { ...world.roles.get('drover-db-backup')!, token_policies: ['drover-db-backup', 'admin'] });
    const found = await check(world);
    expect(brief(found)).toEqual([
      `error ${PREFLIGHT_SECRET} jobs/api.ts groups[0].tasks[0].secrets[0]`,
      `error ${PREFLIGHT_ROLE} vault-policies/qa/roles/db-backup.json`,
      `error ${PREFLIGHT_SECRET} jobs/db-backup.ts groups[0].tasks[0].secrets[1]`,
      `error ${PREFLIGHT_POLICY} vault-policies/qa/postgres.hcl`,
      `error ${PREFLIGHT_SECRET} jobs/worker.ts groups[0].tasks[0].secrets[0]`,
    ]);
    const text = found.map((d) => `${d.message} → ${d.hint}`).join('\n');
    expect(text).toContain('has no key "username"; task api reads DATABASE_USER');
    expect(text).toContain('vault kv patch -mount=secret shop/api/database username=<value>');
    expect(text).toContain('token_policies is ["drover-db-backup","admin"] in Vault, ["drover-db-backup"] in the file');
    expect(text).toContain('The current version (4) of secret secret/shop/backup/s3 is deleted; task pg-dump reads AWS_SECRET_ACCESS_KEY');
    expect(text).toContain('vault kv undelete -mount=secret -versions=4 shop/backup/s3');
    expect(text).toContain('Policy drover-postgres does not exist in Vault');
    expect(text).toContain('vault kv put -mount=secret shop/worker/database password=<value>');
  });

  it('says a destroyed current version needs a new one', async () => {
    const world = readyWorld();
    world.secrets.set('secret/shop/postgres', { version: 3, state: 'destroyed', keys: [] });
    const found = await check(world);
    expect(found.map((d) => d.message)).toEqual([
      'The current version (3) of secret secret/shop/postgres is destroyed; task pg-dump reads PGPASSWORD from key "password"',
      'The current version (3) of secret secret/shop/postgres is destroyed; task postgres reads POSTGRES_PASSWORD from key "password"',
    ]);
    expect(found[0]!.hint).toBe('Write a new version: `vault kv put -mount=secret shop/postgres password=<value>`.');
  });

  it('warns, without failing, when Vault’s policy differs only in comments; fails when it grants more', async () => {
    const world = readyWorld();
    world.policies.set('drover-api', `# edited by hand\n${world.policies.get('drover-api')!.replace(/^#.*$/gm, '')}`);
    expect(brief(await check(world))).toEqual([`warning ${PREFLIGHT_POLICY} vault-policies/qa/api.hcl`]);
    world.policies.set('drover-api', `${world.policies.get('drover-api')}\npath "secret/metadata/shop/*" { capabilities = ["list"] }\n`);
    const [error] = await check(world);
    expect(error?.message).toContain('Vault grants secret/metadata/shop/* [list], which the file does not');
  });

  it('reports what the token may not read instead of guessing', async () => {
    const world = readyWorld();
    world.denied.push('secret/metadata/shop/backup', 'auth/jwt-nomad/role/drover-api');
    expect(brief(await check(world))).toEqual([`error ${PREFLIGHT_DENIED} vault-policies/qa/roles/api.json`, `error ${PREFLIGHT_DENIED} jobs/db-backup.ts groups[0].tasks[0].secrets[1]`]);
  });

  it('exits 77 when the token was denied a check, 65 when a committed file is at fault as well, else 4', () => {
    const diagnostic = (rule: string): Diagnostic => ({ rule, severity: 'error', message: 'm', location: { file: 'f', path: '' }, hint: 'h' });
    expect(vaultStateExitCode([diagnostic(PREFLIGHT_POLICY), diagnostic(PREFLIGHT_DENIED)])).toBe(ExitCode.noPermission);
    expect(vaultStateExitCode([diagnostic(PREFLIGHT_DENIED), diagnostic(PREFLIGHT_FILE)])).toBe(ExitCode.validation);
    expect(vaultStateExitCode([diagnostic(PREFLIGHT_POLICY), diagnostic(PREFLIGHT_SECRET)])).toBe(ExitCode.refused);
  });

  it('refuses once, not once per check, when the token itself is rejected', async () => {
    const world = readyWorld();
    world.denied.push('auth/token/lookup-self');
    const error = await check(world).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DroverError);
    expect(error).toMatchObject({ exitCode: 77, message: 'Vault refused the token in VAULT_TOKEN (qa)' });
    expect(world.calls).toEqual(['auth/token/lookup-self']);
  });

  it('blames a stale committed file (65) and still compares Vault with it', async () => {
    const stale = await mkdtemp(join(tmpdir(), 'drover-preflight-stale-'));
    try {
      await cp(join(root, 'vault-policies'), join(stale, 'vault-policies'), { recursive: true });
      await writeFile(join(stale, 'vault-policies/qa/roles/api.json'), JSON.stringify({ ...roleBody(accesses[0]!.role), token_ttl: 60 }));
      await rm(join(stale, 'vault-policies/qa/worker.hcl'));
      const found = await check(readyWorld(), stale);
      expect(brief(found)).toEqual([
        `error ${PREFLIGHT_FILE} vault-policies/qa/roles/api.json`,
        `error ${PREFLIGHT_ROLE} vault-policies/qa/roles/api.json`,
        `error ${PREFLIGHT_FILE} vault-policies/qa/worker.hcl`,
      ]);
      const error = await assertVaultReady({ vault: fakeVault(readyWorld()), env: qa, jobs, root: stale }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(VaultNotReadyError);
      expect(error).toMatchObject({ exitCode: 65 });
    } finally {
      await rm(stale, { recursive: true, force: true });
    }
  });
});

describe('assertVaultReady', () => {
  it('throws one error carrying every problem, exit 4 when only Vault is behind', async () => {
    const world = readyWorld();
    world.policies.delete('drover-api');
    world.roles.delete('drover-worker');
    const error = (await assertVaultReady({ vault: fakeVault(world), env: qa, jobs, root, address: 'https://vault.test:8200' }, 'nothing was deployed').catch((e: unknown) => e)) as VaultNotReadyError;
    expect(error).toBeInstanceOf(VaultNotReadyError);
    expect(error.exitCode).toBe(4);
    expect(error.message).toBe('Vault is not ready for the jobs in qa: 2 problems; nothing was deployed');
    expect(error.context).toEqual({ env: 'qa', vault: 'https://vault.test:8200', jobs: 'api, db-backup, log-shipper, postgres, worker' });
    expect(error.diagnostics).toHaveLength(2);
  });

  it('returns the warnings when nothing is wrong', async () => {
    expect(await assertVaultReady({ vault: fakeVault(readyWorld()), env: qa, jobs, root })).toEqual([]);
  });
});

describe('planVaultChanges', () => {
  it('plans a create, an access update, a comment-only update and role field changes', async () => {
    const world = readyWorld();
    world.policies.delete('drover-api');
    world.policies.set('drover-worker', `${world.policies.get('drover-worker')}\n# note\n`);
    world.policies.set('drover-postgres', 'path "secret/data/shop/*" {\n  capabilities = ["read"]\n}\n');
    world.roles.set('drover-db-backup', { ...world.roles.get('drover-db-backup')!, token_period: 60 });
    const plans = planVaultChanges((await checkVaultState({ vault: fakeVault(world), env: qa, jobs, root })).states);
    const byJob = new Map(plans.map((p) => [p.jobId, p]));
    expect(byJob.get('api')?.policy).toMatchObject({ action: 'create', changesAccess: true });
    expect(byJob.get('api')?.policy.lines.every((l) => l.op === '+')).toBe(true);
    expect(byJob.get('worker')?.policy).toMatchObject({ action: 'update', changesAccess: false, lines: expect.arrayContaining([{ op: '-', text: '# note' }]) });
    expect(byJob.get('postgres')?.policy).toMatchObject({ action: 'update', changesAccess: true });
    expect(byJob.get('db-backup')?.role).toMatchObject({ action: 'update', fields: [{ field: 'token_period', vault: 60, file: 1800 }] });
    expect(hasVaultChanges(plans)).toBe(true);
    expect(hasVaultChanges(planVaultChanges((await checkVaultState({ vault: fakeVault(readyWorld()), env: qa, jobs, root })).states))).toBe(false);
  });
});
