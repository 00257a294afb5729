/**
 * The real Terraform on terraform/, where it is installed (it is not a package CI installs, so
 * everything here skips loudly without it): `terraform fmt -check`, `validate` of both cluster
 * modules, their `terraform test` files, and a plan of prod's cluster root. All offline: the
 * on-prem module needs no provider, and the AWS one runs only when the hashicorp/aws provider is
 * in a local plugin folder (DROVER_TF_PLUGIN_DIR, default /opt/tf-plugins), with a mocked
 * provider. The Vault module's provider is never installed here, so the roots are planned
 * without their main.tf. Each run works in a temp copy of terraform/, cluster/ and prometheus/,
 * so no .terraform/ or lock file lands in the repository.
 */
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { missingBinaries } from '../support/real-process.ts';
import { repoRoot } from '../support/run-cli.ts';

const SUITE = 'test/integration/terraform-real.test.ts';
const terraform = missingBinaries(`${SUITE} (terraform fmt, validate, test, plan)`, ['terraform']).length === 0;
const pluginDir = process.env.DROVER_TF_PLUGIN_DIR ?? '/opt/tf-plugins';
const awsProvider = existsSync(join(pluginDir, 'registry.terraform.io/hashicorp/aws'));
if (terraform && !awsProvider) {
  console.warn(`\n!!!!!!!!!! SKIPPED: ${SUITE} (nomad-cluster-aws validate and test) — no hashicorp/aws provider under ${pluginDir}; the AWS module was NOT checked by terraform !!!!!!!!!!\n`);
}

const scratch = mkdtempSync(join(tmpdir(), 'drover-terraform-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const cliConfig = join(scratch, 'terraformrc');
writeFileSync(cliConfig, '');

/** A copy of what the roots and modules read, laid out as in the repository. */
function workspace(name: string): string {
  const root = join(scratch, name);
  for (const dir of ['terraform', 'cluster', 'prometheus']) cpSync(join(repoRoot, dir), join(root, dir), { recursive: true, filter: (src) => !src.includes('.terraform') });
  return root;
}

function tf(cwd: string, ...args: string[]): SpawnSyncReturns<string> {
  return spawnSync('terraform', args, {
    cwd,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', TF_INPUT: '0', TF_CLI_CONFIG_FILE: cliConfig, NO_COLOR: '1' },
  });
}

function ok(result: SpawnSyncReturns<string>): string {
  expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
  return result.stdout;
}

describe.skipIf(!terraform)('terraform (real binary)', () => {
  it('keeps every file of terraform/ in terraform fmt style', () => {
    ok(tf(repoRoot, 'fmt', '-check', '-recursive', '-diff', 'terraform'));
  });

  it('validates nomad-cluster-onprem and passes its terraform test against cluster/prod', { timeout: 180_000 }, () => {
    const dir = join(workspace('onprem'), 'terraform/modules/nomad-cluster-onprem');
    ok(tf(dir, 'init', '-backend=false', '-input=false'));
    expect(ok(tf(dir, 'validate', '-no-color'))).toContain('The configuration is valid');
    const test = ok(tf(dir, 'test', '-no-color'));
    expect(test).toMatch(/Success! 2 passed, 0 failed/);
  });

  it('plans prod\'s hosts, servers chained, with only hashes of the secret files', { timeout: 180_000 }, () => {
    const root = workspace('prod');
    const dir = join(root, 'terraform/envs/prod');
    // The Vault and Consul modules' providers are not installed here.
    for (const file of ['main.tf', 'consul.tf']) rmSync(join(dir, file));
    const secrets = join(root, 'admin-secrets');
    for (const kind of ['server', 'client', 'gossip']) mkdirSync(join(secrets, kind), { recursive: true });
    for (const name of ['ca.pem', 'nomad.pem', 'nomad-key.pem', 'consul.pem', 'consul-key.pem', 'vault.pem', 'vault-key.pem']) {
      for (const kind of ['server', 'client']) writeFileSync(join(secrets, kind, name), `SECRET-${kind}-${name}\n`);
    }
    for (const key of ['consul', 'nomad']) writeFileSync(join(secrets, 'gossip', `${key}.key`), `SECRET-gossip-${key}\n`);
    ok(tf(dir, 'init', '-backend=false', '-input=false'));
    ok(tf(dir, 'plan', '-input=false', '-no-color', `-var=secrets_dir=${secrets}`, '-out=prod.tfplan'));
    const plan = ok(tf(dir, 'show', '-json', 'prod.tfplan'));
    const changes = (JSON.parse(plan).resource_changes as { address: string; change: { actions: string[] } }[]).filter((c) => c.change.actions.includes('create'));
    expect(changes.map((c) => c.address).sort()).toEqual([
      ...['prod1-client-1', 'prod1-client-2', 'prod1-client-3', 'prod1-db-1', 'prod2-client-1', 'prod2-client-2', 'prod2-client-3'].map((h) => `module.cluster.module.client["${h}"].terraform_data.provision`),
      ...[1, 2, 3].map((n) => `module.cluster.module.server_${n}[0].terraform_data.provision`),
    ]);
    const everything = plan + ok(tf(dir, 'show', '-no-color', 'prod.tfplan')) + readFileSync(join(dir, 'prod.tfplan')).toString('latin1');
    expect(everything).not.toContain('SECRET-');
    expect(everything).not.toContain(Buffer.from('SECRET-gossip-consul\n').toString('base64'));
  });

  describe.skipIf(!awsProvider)('with the hashicorp/aws provider (mocked in tests)', () => {
    it('validates nomad-cluster-aws and passes its terraform test against cluster/qa', { timeout: 180_000 }, () => {
      const dir = join(workspace('aws'), 'terraform/modules/nomad-cluster-aws');
      ok(tf(dir, 'init', '-backend=false', '-input=false', `-plugin-dir=${pluginDir}`));
      expect(ok(tf(dir, 'validate', '-no-color'))).toContain('The configuration is valid');
      expect(ok(tf(dir, 'test', '-no-color'))).toMatch(/Success! 3 passed, 0 failed/);
    });

    it('validates qa\'s cluster root', { timeout: 180_000 }, () => {
      const dir = join(workspace('qa'), 'terraform/envs/qa');
      for (const file of ['main.tf', 'consul.tf']) rmSync(join(dir, file));
      writeFileSync(join(dir, 'versions.tf'), 'terraform {\n  required_providers {\n    aws = {\n      source  = "hashicorp/aws"\n      version = ">= 5.0.0, < 6.0.0"\n    }\n  }\n}\n');
      ok(tf(dir, 'init', '-backend=false', '-input=false', `-plugin-dir=${pluginDir}`));
      expect(ok(tf(dir, 'validate', '-no-color'))).toContain('The configuration is valid');
    });
  });
});
