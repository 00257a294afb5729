/**
 * The secrets preflight end to end: `drover deploy`, `drover secrets check` and `drover secrets
 * plan` against the sandbox, whose Vault is seeded as an operator would (tokens and secret values
 * are sentinels, and every run is scanned for them).
 */
import { cp, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import qa from '../../environments/qa.ts';
import type { RunningSandbox } from '../../src/sandbox/server.ts';
import { roleBody } from '../../src/secrets/derive.ts';
import { repoRoot, runCli } from '../support/run-cli.ts';
import { runAgainst, sandboxFor } from '../support/sandbox.ts';
import { seedSandboxVault, vaultAdmin, type SeededVault } from '../support/seed-vault.ts';
import { scanForSentinels } from '../support/sentinel-scan.ts';
import { SENTINELS } from '../support/sentinels.ts';
import { tempProject } from '../support/temp-project.ts';

const SHA = '3333333333333333333333333333333333333333';

describe('secrets preflight against the sandbox', { timeout: 30_000 }, () => {
  let project: { dir: string; cleanup: () => Promise<void> };
  let sandbox: RunningSandbox;
  let seeded: SeededVault;
  beforeAll(async () => {
    project = await tempProject({ environments: 'standalone' });
    // So hints name this project's Terraform, as in the repository.
    await cp(join(repoRoot, 'terraform/envs/qa'), join(project.dir, 'terraform/envs/qa'), { recursive: true });
  });
  afterAll(async () => project.cleanup());
  beforeEach(async () => {
    sandbox = await sandboxFor('qa', { vaultToken: SENTINELS.VAULT_TOKEN, nomad: { aclToken: SENTINELS.NOMAD_TOKEN } });
    seeded = await seedSandboxVault(sandbox, qa, { root: project.dir });
  });
  afterEach(async () => sandbox.close());

  const env = () => ({
    NOMAD_TOKEN: SENTINELS.NOMAD_TOKEN,
    CONSUL_HTTP_TOKEN: SENTINELS.CONSUL_HTTP_TOKEN,
    VAULT_ADDR: sandbox.addresses.vault,
    VAULT_TOKEN: seeded.deployerToken,
  });
  const deploy = (...argv: string[]) => runAgainst(sandbox, ['deploy', 'qa', '--git-sha', SHA, ...argv], { cwd: project.dir, env: env() });
  /** `drover secrets …` in-process, with the environment runAgainst would give plus the tokens. */
  const secrets = async (...argv: string[]) => ({
    ...(await runCli(['secrets', ...argv], { cwd: project.dir, env: { NO_COLOR: '1', CI: 'true', NOMAD_ADDR: sandbox.addresses.nomad, CONSUL_HTTP_ADDR: sandbox.addresses.consul, ...env() } })),
    events: [] as unknown[],
  });
  const shopJobs = async () => {
    const response = await fetch(`${sandbox.addresses.nomad}/v1/jobs?namespace=shop`, { headers: { 'X-Nomad-Token': SENTINELS.NOMAD_TOKEN } });
    return (await response.json()) as unknown[];
  };
  /** Everything drover printed, wrote or stored, scanned for tokens and every seeded value. */
  const leaks = (result: { stdout: string; stderr: string; events: unknown[] }) =>
    scanForSentinels({
      sentinels: { ...SENTINELS, DEPLOYER_TOKEN: seeded.deployerToken, ...seeded.values },
      outputs: { stdout: result.stdout, stderr: result.stderr },
      events: result.events,
      dirs: [project.dir],
      consul: { address: sandbox.addresses.consul },
      nomad: { address: sandbox.addresses.nomad, token: SENTINELS.NOMAD_TOKEN, namespace: 'shop' },
    });

  /** api lost key username, worker's secret is gone, postgres's policy and db-backup's role were changed in Vault. */
  const breakVault = async () => {
    const admin = vaultAdmin(sandbox);
    await admin('POST', 'secret/data/shop/api/database', { data: { password: SENTINELS.DATABASE_PASSWORD } });
    await admin('DELETE', 'secret/metadata/shop/worker/database');
    const postgres = await readFile(join(project.dir, 'vault-policies/qa/postgres.hcl'), 'utf8');
    await admin('POST', 'sys/policies/acl/drover-postgres', { policy: `${postgres}\npath "secret/data/shop/*" {\n  capabilities = ["read", "list"]\n}\n` });
    const backup = roleBody(await readFile(join(project.dir, 'vault-policies/qa/roles/db-backup.json'), 'utf8'));
    await admin('POST', 'auth/jwt-nomad/role/drover-db-backup', { ...backup, token_ttl: 3600 });
  };
  const rulesIn = (text: string) => [...text.matchAll(/^✖ (\S+)(?: › (\S+))?\s+\[(vault\/[\w-]+)\]$/gm)].map((m) => `${m[3]} ${m[1]}${m[2] ? ` ${m[2]}` : ''}`).sort();
  const FOUR_PROBLEMS = [
    'vault/policy-applied vault-policies/qa/postgres.hcl',
    'vault/role-applied vault-policies/qa/roles/db-backup.json',
    'vault/secret-present jobs/api.ts groups[0].tasks[0].secrets[0]',
    'vault/secret-present jobs/worker.ts groups[0].tasks[0].secrets[0]',
  ];

  it('deploys with the preflight on when Vault is ready, leaking nothing', async () => {
    const result = await deploy();
    expect(result.code, result.stderr).toBe(0);
    expect(result.events.filter((e) => e.type === 'job-registered')).toHaveLength(8);
    expect(await leaks(result)).toEqual([]);
  });

  it('reports a missing key, a missing path, an outdated policy and an outdated role in one deploy, and registers nothing', async () => {
    await breakVault();
    const result = await deploy();
    expect(result.code, result.stderr).toBe(4);
    expect(rulesIn(result.stderr)).toEqual(FOUR_PROBLEMS);
    expect(result.stderr).toMatch(/Secret secret\/shop\/api\/database \(version \d+\) has no key "username"; task api reads DATABASE_USER/);
    expect(result.stderr).toContain('vault kv patch -mount=secret shop/api/database username=<value>');
    expect(result.stderr).toContain('Secret secret/shop/worker/database does not exist in Vault; task worker reads DATABASE_PASSWORD');
    expect(result.stderr).toContain('Vault grants secret/data/shop/* [list, read], which the file does not');
    expect(result.stderr).toContain('token_ttl is 3600 in Vault, 1800 in the file');
    expect(result.stderr).toContain('terraform -chdir=terraform/envs/qa apply');
    expect(result.stderr).toMatch(/✖ Vault is not ready for the jobs in qa: 4 problems; nothing was deployed/);
    // Checked under the lock, before any plan or registration; the lock is released again.
    expect(result.events.map((e) => e.type)).toContain('lock-acquired');
    expect(result.events.filter((e) => e.type === 'job-planned' || e.type === 'job-registered')).toEqual([]);
    expect(await shopJobs()).toEqual([]);
    const lock = await fetch(`${sandbox.addresses.consul}/v1/kv/drover/locks/qa`);
    expect(((await lock.json()) as { Session?: string }[])[0]?.Session).toBeUndefined();
    expect(await leaks(result)).toEqual([]);
  });

  it('secrets check reports the same four problems and exits 4; it exits 0 once Vault is ready', async () => {
    const ready = await secrets('check', 'qa');
    expect(ready.code, ready.stderr).toBe(0);
    expect(ready.stdout).toContain('is ready for qa: policies, roles and secrets of api, db-backup, log-shipper, postgres, worker are in place');
    await breakVault();
    const result = await secrets('check', 'qa');
    expect(result.code, result.stderr).toBe(4);
    expect(rulesIn(result.stderr)).toEqual(FOUR_PROBLEMS);
    expect(await leaks(result)).toEqual([]);
    expect(await leaks(ready)).toEqual([]);
  });

  it('secrets plan shows the policy line diff and the role field, exits 1; 0 without differences', async () => {
    const clean = await secrets('plan', 'qa');
    expect(clean.code, clean.stderr).toBe(0);
    expect(clean.stdout).toContain('No changes');
    await breakVault();
    const result = await secrets('plan', 'qa');
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toContain('~ policy drover-postgres (vault-policies/qa/postgres.hcl): update');
    expect(result.stdout).toContain('      - path "secret/data/shop/*" {');
    expect(result.stdout).toContain('      -   capabilities = ["read", "list"]');
    expect(result.stdout).toContain('~ role drover-db-backup (vault-policies/qa/roles/db-backup.json): update\n      ~ token_ttl: 3600 → 1800');
    expect(result.stdout).toMatch(/policy drover-api \(vault-policies\/qa\/api\.hcl\): no changes/);
    expect(result.stdout).toContain("Plan: 2 of 5 jobs' policies or roles differ from vault-policies/qa/.");
    expect(await leaks(result)).toEqual([]);
  });

  it('keeps plan’s 255 for an unreachable Vault (check says 69), naming address and variable, and exits 77 for a refused token', async () => {
    const closed = { VAULT_ADDR: 'http://127.0.0.1:1' };
    const plan = await runCli(['secrets', 'plan', 'qa'], { cwd: project.dir, env: { NO_COLOR: '1', ...env(), ...closed } });
    expect(plan.code, plan.stderr).toBe(255);
    const check = await runCli(['secrets', 'check', 'qa'], { cwd: project.dir, env: { NO_COLOR: '1', ...env(), ...closed } });
    expect(check.code, check.stderr).toBe(69);
    expect(check.stderr).toContain('Vault at http://127.0.0.1:1 (from VAULT_ADDR) refused the connection');
    const refused = await runCli(['secrets', 'plan', 'qa'], { cwd: project.dir, env: { NO_COLOR: '1', ...env(), VAULT_TOKEN: 'hvs.not-a-token' } });
    expect(refused.code, refused.stderr).toBe(77);
    expect(refused.stderr).toContain(`Vault at ${sandbox.addresses.vault} (from VAULT_ADDR) refused the token in VAULT_TOKEN (qa)`);
  });

  it('refuses to deploy a job that reads secrets without VAULT_TOKEN (77, naming the Vault address) but deploys one that reads none', async () => {
    // runCli rather than runAgainst: no helper may slip a Vault address or token in.
    const bare = (job: string) =>
      runCli(['deploy', 'qa', '--git-sha', SHA, '--job', job, '--output', 'ndjson'], {
        cwd: project.dir,
        env: { NO_COLOR: '1', CI: 'true', NOMAD_ADDR: sandbox.addresses.nomad, CONSUL_HTTP_ADDR: sandbox.addresses.consul, NOMAD_TOKEN: SENTINELS.NOMAD_TOKEN },
      });
    const without = await bare('api');
    expect(without.code, without.stderr).toBe(77);
    expect(without.stderr).toContain('VAULT_TOKEN is not set');
    expect(without.stderr).toMatch(/Vault at \S+ \(from environments\/qa\.ts\)/);
    expect(without.stdout).not.toContain('lock-acquired');
    const www = await bare('www');
    expect(www.code, www.stderr).toBe(0);
  });

  it('the scan finds planted sentinels in output, events and Consul KV, so a clean scan means something', async () => {
    const username = seeded.values['secret/shop/api/database#username']!;
    await fetch(`${sandbox.addresses.consul}/v1/kv/planted/leak`, { method: 'PUT', body: `user=${username}` });
    const findings = await scanForSentinels({
      sentinels: { ...SENTINELS, ...seeded.values },
      outputs: { stderr: `oops ${SENTINELS.AWS_SECRET_ACCESS_KEY}` },
      events: [{ token: SENTINELS.VAULT_TOKEN }],
      consul: { address: sandbox.addresses.consul },
    });
    expect(findings).toEqual(['stderr: AWS_SECRET_ACCESS_KEY', 'stderr: secret/shop/backup/s3#secret_access_key', 'events: VAULT_TOKEN', 'consul kv planted/leak: secret/shop/api/database#username']);
  });
});
