/**
 * drover's secrets preflight against a real OpenBao (or Vault) dev server: a job reading two keys
 * of a KV v2 secret, its policy and JWT role rendered by `drover render` into vault-policies/real/.
 * First nothing is in Vault, then part of it, then all of it (applied as the Terraform module
 * would: jwt-nomad auth, drover-<job> policy and role, the secret, a drover-deployer token).
 * Then, with a real Nomad and Consul, the job is deployed and its task logs in to Vault with its
 * workload identity (JWT auth trusting Nomad's JWKS) and gets the secret. Skipped, loudly,
 * without bao/vault (and without nomad/consul for the last test).
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PREFLIGHT_POLICY, PREFLIGHT_ROLE, PREFLIGHT_SECRET } from '../../src/secrets/preflight.ts';
import { seedSandboxVault, type SeededVault } from '../../src/cli/seed-vault.ts';
import { consulAvailability, getJson, sendJson, startRealConsul, startRealNomad, startRealVault, type ConsulAgent, type RealNomad, type RealVault } from '../support/real-cluster.ts';
import { findOnPath, missingBinaries, tail } from '../support/real-process.ts';
import { loadRealProject, realProject, runDrover, tinyServiceJob, type RealProject, type RealTargets } from '../support/real-project.ts';
import { SENTINELS } from '../support/sentinels.ts';

const SUITE = 'test/integration/vault-preflight-real.test.ts';
const missing = missingBinaries(SUITE, [], findOnPath('vault') || findOnPath('bao') ? [] : ['vault or bao']);
const noCluster = missing.length === 0 && missingBinaries(`${SUITE} (workload identity)`, ['nomad'], consulAvailability().available ? [] : ['consul']).length > 0;
// OpenBao refuses Vault's token prefixes (`hvs.`, `s.`) in a custom root token ID.
const ROOT = SENTINELS.VAULT_TOKEN.replace(/^hvs\./, '');
const SHA = ['--git-sha', '8888888888888888888888888888888888888888'];
const SECRETS = [
  { env: 'DATABASE_USER', path: 'shop/vaulted/database', key: 'username' },
  { env: 'DATABASE_PASSWORD', path: 'shop/vaulted/database', key: 'password' },
];

describe.skipIf(missing.length > 0)('drover secrets preflight and workload identity against a real OpenBao', { timeout: 90_000 }, () => {
  let vault: RealVault | undefined;
  let project: RealProject | undefined;
  let targets: RealTargets;
  let seeded: SeededVault | undefined;

  beforeAll(async () => {
    vault = await startRealVault(ROOT);
    project = await realProject();
    await project.writeJob(tinyServiceJob({ id: 'vaulted', version: 'v1', secrets: SECRETS }));
    targets = { nomad: 'http://127.0.0.1:1', consul: 'http://127.0.0.1:1', vault: vault.address, vaultToken: ROOT };
    const rendered = await runDrover(project, targets, ['render', 'real', ...SHA], { ndjson: false });
    if (rendered.code !== 0) throw new Error(`drover render real: ${rendered.stderr}`);
  }, 60_000);

  afterAll(async () => {
    await vault?.stop();
    await project?.cleanup();
  }, 30_000);

  const check = (token: string) => runDrover(project!, { ...targets, vaultToken: token }, ['secrets', 'check', 'real'], { ndjson: false });
  const root = (method: string, path: string, body?: unknown) => sendJson(method, `${vault!.address}/v1/${path}`, body, { 'X-Vault-Token': ROOT });
  /** Rule ids and first message lines of the diagnostics `drover secrets check` printed. */
  const diagnostics = (stderr: string) => [...stderr.matchAll(/^✖ (\S+)(?: › (\S+))?\s+\[([^\]]+)\]\n\s+(.*)$/gm)].map((m) => ({ file: m[1], at: m[2], rule: m[3], message: m[4] }));

  it('reports the missing policy, role and secret at once, and exits 4', async () => {
    const result = await check(ROOT);
    expect(result.code, result.stderr).toBe(4);
    expect(diagnostics(result.stderr)).toEqual([
      { file: 'vault-policies/real/vaulted.hcl', at: undefined, rule: PREFLIGHT_POLICY, message: expect.stringContaining('Policy drover-vaulted does not exist in Vault') },
      { file: 'vault-policies/real/roles/vaulted.json', at: undefined, rule: PREFLIGHT_ROLE, message: expect.stringContaining('JWT role drover-vaulted does not exist in Vault (auth/jwt-nomad)') },
      { file: 'jobs/vaulted.ts', at: 'groups[0].tasks[0].secrets[0]', rule: PREFLIGHT_SECRET, message: expect.stringContaining('Secret secret/shop/vaulted/database does not exist in Vault') },
    ]);
    expect(result.stderr).toContain('✖ Vault is not ready for the jobs in real: 3 problems');
  });

  it('names the one key missing from a secret that exists', async () => {
    expect((await root('POST', 'secret/data/shop/vaulted/database', { data: { username: SENTINELS.DATABASE_PASSWORD.slice(0, 8) } })).status).toBe(200);
    const result = await check(ROOT);
    expect(result.code).toBe(4);
    expect(diagnostics(result.stderr).filter((d) => d.rule === PREFLIGHT_SECRET)).toEqual([
      { file: 'jobs/vaulted.ts', at: 'groups[0].tasks[0].secrets[1]', rule: PREFLIGHT_SECRET, message: 'Secret secret/shop/vaulted/database (version 1) has no key "password"; task vaulted reads DATABASE_PASSWORD from key "password"' },
    ]);
  });

  it('passes with a read-only deployer token once policies, roles and the secret are in place, and never prints a value', async () => {
    expect((await root('POST', 'sys/auth/jwt-nomad', { type: 'jwt' })).status).toBe(204);
    const { env, jobs } = await loadRealProject(project!);
    seeded = await seedSandboxVault({ addresses: { vault: vault!.address }, vaultToken: ROOT }, env, { jobs, root: project!.dir, valueFor: (_mount, _path, key) => (key === 'password' ? SENTINELS.DATABASE_PASSWORD : 'shop') });
    const result = await check(seeded.deployerToken);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('is ready for real: policies, roles and secrets of vaulted are in place.');
    const plan = await runDrover(project!, { ...targets, vaultToken: seeded.deployerToken }, ['secrets', 'plan', 'real'], { ndjson: false });
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain("✔ No changes: Vault's policies and roles match vault-policies/real/.");
    for (const output of [result, plan]) expect(output.stdout + output.stderr).not.toContain(SENTINELS.DATABASE_PASSWORD);
    // The deployer token may check metadata and key names, never read the value.
    expect((await sendJson('GET', `${vault!.address}/v1/secret/data/shop/vaulted/database`, undefined, { 'X-Vault-Token': seeded.deployerToken })).status).toBe(403);
  });

  it('refuses an unknown token once, with the request and OpenBao\'s answer', async () => {
    const result = await check(SENTINELS.CONSUL_HTTP_TOKEN);
    expect(result.code).toBe(77);
    // OpenBao answers {"errors":["permission denied"]}; Vault ≥ 1.17 adds "invalid token".
    expect(result.stderr).toMatch(/✖ Vault at \S+ \(from [^)]+\) refused the token in VAULT_TOKEN \(real\)\n\s+request\s+GET \/v1\/auth\/token\/lookup-self\n\s+response\s+permission denied\n/);
    expect(result.stderr).not.toContain(SENTINELS.CONSUL_HTTP_TOKEN);
  });

  describe.skipIf(noCluster)('with a real Nomad whose workload identities Vault trusts', () => {
    let consul: ConsulAgent | undefined;
    let nomad: RealNomad | undefined;

    beforeAll(async () => {
      consul = await startRealConsul();
      nomad = await startRealNomad({ consul: consul.address, vault: { address: vault!.address, jwtAuthPath: 'jwt-nomad', audience: 'vault.io' } });
      // What terraform/modules/vault-nomad-workloads configures: Nomad's JWKS, both its algorithms.
      const configured = await root('POST', 'auth/jwt-nomad/config', { jwks_url: nomad.jwksUrl, jwt_supported_algs: ['RS256', 'EdDSA'] });
      if (configured.status !== 204) throw new Error(`jwt config: ${configured.status} ${configured.text}`);
    }, 90_000);

    afterAll(async () => {
      await nomad?.stop();
      await consul?.stop();
    }, 30_000);

    it('deploys the job after the preflight, and its task reads the secret through its workload identity', async () => {
      const result = await runDrover(project!, { nomad: nomad!.address, consul: consul!.address, vault: vault!.address, vaultToken: seeded!.deployerToken }, ['deploy', 'real', ...SHA]);
      expect(result.code, `${result.stderr}\n${result.stdout.slice(-3000)}\n${tail(nomad!.process)}`).toBe(0);
      expect(result.stdout + result.stderr).not.toContain(SENTINELS.DATABASE_PASSWORD);
      const [instance] = (await getJson(`${consul!.address}/v1/catalog/service/vaulted`)) as { ServiceAddress: string; ServicePort: number }[];
      const digest = await (await fetch(`http://${instance!.ServiceAddress}:${instance!.ServicePort}/digest/DATABASE_PASSWORD`)).text();
      expect(digest).toBe(createHash('sha256').update(SENTINELS.DATABASE_PASSWORD).digest('hex'));
    });
  });
});
