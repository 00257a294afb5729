import { parse } from '@cdktf/hcl2json';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import qa from '../../environments/qa.ts';
import { deriveVaultAccess, roleBody, type VaultAccess } from '../../src/secrets/derive.ts';
import { buildExampleJobs } from '../support/example-jobs.ts';

/**
 * The Terraform and Vault policy files are HCL that no TypeScript compiles: parse each with
 * HashiCorp's parser and assert the structure drover relies on. hcl2json returns blocks as
 * `{ type: { label: [ { ...attributes } ] } }` and expressions as `"${...}"` strings.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MODULE = 'terraform/modules/vault-nomad-workloads';

function filesUnder(dir: string, suffix: string): string[] {
  const abs = join(ROOT, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs, { recursive: true, encoding: 'utf8' })
    .map((name) => `${dir}/${name.split('\\').join('/')}`)
    .filter((path) => path.endsWith(suffix) && statSync(join(ROOT, path)).isFile() && !path.includes('/.terraform/'))
    .sort();
}

type Hcl = Record<string, any>;
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const hcl = async (path: string): Promise<Hcl> => parse(path, read(path));
/** The single body of a labeled block, e.g. `resource "vault_policy" "workload"`. */
const body = (doc: Hcl, ...labels: string[]): Hcl => labels.reduce((node: Hcl, label) => node?.[label], doc)?.[0];

const tfFiles = filesUnder('terraform', '.tf');
const policyFiles = filesUnder('vault-policies', '.hcl');

describe('HCL files parse with HashiCorp\'s parser', () => {
  it('finds the module, both environment roots and the deployer policy', () => {
    expect(tfFiles).toEqual(expect.arrayContaining([`${MODULE}/main.tf`, `${MODULE}/variables.tf`, `${MODULE}/outputs.tf`, `${MODULE}/versions.tf`, 'terraform/envs/qa/main.tf', 'terraform/envs/prod/main.tf']));
    expect(policyFiles).toContain('vault-policies/drover-deployer.hcl');
  });

  it.each([...tfFiles, ...policyFiles])('%s', async (path) => {
    await expect(parse(path, read(path))).resolves.toBeTypeOf('object');
  });
});

describe('module vault-nomad-workloads', async () => {
  const main = await hcl(`${MODULE}/main.tf`);
  const variables = await hcl(`${MODULE}/variables.tf`);
  const locals = main.locals?.[0] as Hcl;

  it('trusts Nomad\'s JWKS at the configured address', () => {
    const backend = body(main, 'resource', 'vault_jwt_auth_backend', 'nomad');
    expect(backend).toMatchObject({ type: 'jwt', path: '${var.jwt_auth_path}', jwks_ca_pem: '${var.jwks_ca_pem}', jwt_supported_algs: ['RS256', 'EdDSA'] });
    expect(backend.jwks_url).toMatch(/var\.nomad_address.*\/\.well-known\/jwks\.json"?$/);
    expect(body(variables, 'variable', 'jwt_auth_path').default).toBe('jwt-nomad');
    expect(body(variables, 'variable', 'jwks_ca_pem').default).toBeNull();
  });

  it('applies every rendered policy and role with for_each over fileset()', () => {
    expect(locals.policies).toContain('fileset(var.policies_dir, "*.hcl")');
    expect(locals.roles).toContain('fileset(var.policies_dir, "roles/*.json")');
    expect(locals.roles).toContain('jsondecode(file(');
    // File names become drover-<job>: the name the job's vault block and token_policies use.
    expect(locals.policies).toContain('${var.name_prefix}${trimsuffix(file, ".hcl")}');
    expect(body(variables, 'variable', 'name_prefix').default).toBe('drover-');
    expect(body(main, 'resource', 'vault_policy', 'workload')).toMatchObject({ for_each: '${local.policies}', name: '${each.key}' });
    expect(body(main, 'resource', 'vault_jwt_auth_backend_role', 'workload')).toMatchObject({
      for_each: '${local.roles}',
      role_name: '${each.key}',
      backend: '${vault_jwt_auth_backend.nomad.path}',
    });
    expect(body(main, 'resource', 'vault_policy', 'deployer')).toMatchObject({ name: '${var.deployer_policy_name}' });
  });

  it('maps every field drover writes into a role file onto the role resource', async () => {
    const api = (await buildExampleJobs(qa)).find((j) => j.spec.id === 'api');
    const role = roleBody((deriveVaultAccess(api!, qa) as VaultAccess).role);
    const resource = body(main, 'resource', 'vault_jwt_auth_backend_role', 'workload');
    for (const field of Object.keys(role)) expect(resource[field], field).toBe(`\${each.value.${field}}`);
  });

  it('refuses a role that grants anything but its own policy', () => {
    const precondition = body(main, 'resource', 'vault_jwt_auth_backend_role', 'workload').lifecycle[0].precondition[0];
    expect(precondition.condition).toContain('each.value.token_policies[0] == each.key');
    expect(precondition.condition).toContain('contains(keys(local.policies), each.key)');
  });
});

describe.each(['qa', 'prod'])('environment root %s', async (env) => {
  const root = await hcl(`terraform/envs/${env}/main.tf`);
  const module = body(root, 'module', 'vault_nomad_workloads');

  it('uses the module with the environment\'s rendered folder', () => {
    expect(module.source).toBe('../../modules/vault-nomad-workloads');
    expect(module.policies_dir).toBe(`\${path.root}/../../../vault-policies/${env}`);
    const dir = resolve(ROOT, `terraform/envs/${env}`, `../../../vault-policies/${env}`);
    expect(relative(ROOT, dir)).toBe(`vault-policies/${env}`);
    const deployer = resolve(ROOT, `terraform/envs/${env}`, String(module.deployer_policy_file).replace('${path.root}/', ''));
    expect(existsSync(deployer)).toBe(true);
  });

  it('configures the provider from variables, never with a token', () => {
    const provider = body(root, 'provider', 'vault');
    expect(provider.address).toBe('${var.vault_address}');
    expect(Object.keys(provider)).not.toContain('token');
  });
});

describe('no credentials in terraform/ or vault-policies/', () => {
  const everything = [...filesUnder('terraform', ''), ...filesUnder('vault-policies', '')];
  it.each(everything)('%s', (path) => {
    const text = read(path);
    expect(text).not.toMatch(/\btoken\s*=\s*"/);
    expect(text).not.toMatch(/\b(hvs|hvb|hvr)\.[A-Za-z0-9_-]{20,}/);
    expect(text).not.toMatch(/\bs\.[A-Za-z0-9]{24}\b/);
    expect(text).not.toMatch(/[A-Z_]*TOKEN\s*=\s*['"]?[A-Za-z0-9._-]{8,}/);
    expect(text).not.toMatch(/[a-z][a-z0-9+.-]*:\/\/[^/\s"@]+:[^/\s"@]+@/i);
    expect(text).not.toMatch(/-----BEGIN [A-Z ]*PRIVATE KEY-----/);
  });
});
