/**
 * The committed least-privilege policies, applied to the sandbox's Vault as Terraform would, grant
 * each job's token exactly the secrets its tasks reference — and the deployer token none of them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import qa from '../../environments/qa.ts';
import type { RunningSandbox } from '../../src/sandbox/server.ts';
import { deriveVaultAccess, type VaultAccess } from '../../src/secrets/derive.ts';
import { buildExampleJobs } from '../support/example-jobs.ts';
import { sandboxFor } from '../support/sandbox.ts';
import { seedSandboxVault, vaultAdmin, type SeededVault } from '../support/seed-vault.ts';
import { SENTINELS } from '../support/sentinels.ts';

describe('generated Vault policies against the sandbox', () => {
  let sandbox: RunningSandbox;
  let seeded: SeededVault;
  let accesses: VaultAccess[];
  beforeAll(async () => {
    sandbox = await sandboxFor('qa', { vaultToken: SENTINELS.VAULT_TOKEN });
    seeded = await seedSandboxVault(sandbox, qa);
    // A neighbour of api's secret that api does not reference.
    await vaultAdmin(sandbox)('POST', 'secret/data/shop/api/other', { data: { token: 'sentinel-value:not-for-api' } });
    accesses = (await buildExampleJobs(qa)).map((j) => deriveVaultAccess(j, qa)).filter((a): a is VaultAccess => a !== undefined);
  });
  afterAll(async () => sandbox?.close());

  /** A token holding only `policy` (not even `default`), as a task of that job would get. */
  const tokenWith = async (policy: string) =>
    ((await vaultAdmin(sandbox)('POST', 'auth/token/create', { policies: [policy], no_default_policy: true })) as { auth: { client_token: string } }).auth.client_token;
  const status = async (token: string, path: string) => (await fetch(`${sandbox.addresses.vault}/v1/${path}`, { headers: { 'X-Vault-Token': token } })).status;

  it('lets a drover-api token read secret/data/shop/api/database and nothing next to it', async () => {
    const token = await tokenWith('drover-api');
    expect(await status(token, 'secret/data/shop/api/database')).toBe(200);
    expect(await status(token, 'secret/data/shop/api/other')).toBe(403);
    expect(await status(token, 'secret/metadata/shop/api/database')).toBe(403);
    expect(await status(token, 'secret/data/shop/postgres')).toBe(403);
  });

  it('grants every job exactly its referenced paths: each readable, every other job’s path denied', async () => {
    const allPaths = [...new Set(accesses.flatMap((a) => a.dataPaths)), 'secret/data/shop/api/other'];
    for (const access of accesses) {
      const token = await tokenWith(access.policyName);
      const readable: string[] = [];
      for (const path of allPaths) if ((await status(token, path)) === 200) readable.push(path);
      expect(readable, access.jobId).toEqual(access.dataPaths);
    }
  });

  it('gives the deployer token metadata and key names but never a value', async () => {
    const token = seeded.deployerToken;
    expect(await status(token, 'secret/metadata/shop/api/database')).toBe(200);
    expect(await status(token, 'secret/subkeys/shop/api/database')).toBe(200);
    expect(await status(token, 'sys/policies/acl/drover-api')).toBe(200);
    expect(await status(token, 'auth/jwt-nomad/role/drover-api')).toBe(200);
    for (const path of accesses.flatMap((a) => a.dataPaths)) expect(await status(token, path), path).toBe(403);
    const subkeys = await fetch(`${sandbox.addresses.vault}/v1/secret/subkeys/shop/api/database`, { headers: { 'X-Vault-Token': token } });
    const text = await subkeys.text();
    for (const value of Object.values(seeded.values)) expect(text).not.toContain(value);
  });
});
