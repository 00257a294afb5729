import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import prod from '../../../environments/prod.ts';
import qa from '../../../environments/qa.ts';
import type { Environment } from '../../../src/config/environment.ts';
import { checkPolicyFiles } from '../../../src/secrets/check-policies.ts';
import { vaultPolicyFiles } from '../../../src/secrets/derive.ts';
import type { PolicyFile } from '../../../src/secrets/policy-files.ts';
import type { Diagnostic } from '../../../src/validate/diagnostic.ts';
import { buildExampleJobs } from '../../support/example-jobs.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DEPLOYER = 'vault-policies/drover-deployer.hcl';
const deployer: PolicyFile = { path: DEPLOYER, content: await readFile(join(ROOT, DEPLOYER), 'utf8') };
const jobsByEnv = new Map<Environment, Awaited<ReturnType<typeof buildExampleJobs>>>([
  [qa, await buildExampleJobs(qa)],
  [prod, await buildExampleJobs(prod)],
]);

/** What `drover render <env>` writes, plus the shipped deployer policy. */
function committed(env: Environment = qa): PolicyFile[] {
  return [...vaultPolicyFiles(jobsByEnv.get(env) ?? [], env), deployer];
}

/** The committed files with one file's content replaced (or the file removed when content is undefined). */
function withFile(path: string, content: string | undefined, files = committed()): PolicyFile[] {
  const others = files.filter((f) => f.path !== path);
  return content === undefined ? others : [...others, { path, content }];
}

async function check(files: readonly PolicyFile[], env: Environment = qa): Promise<Diagnostic[]> {
  return checkPolicyFiles({ root: ROOT, env, jobs: jobsByEnv.get(env) ?? [], files });
}

const summary = (ds: readonly Diagnostic[]) => ds.map((d) => `${d.rule} ${d.location.file} ${d.location.path}`);
const block = (pattern: string, ...caps: string[]) => `path "${pattern}" {\n  capabilities = [${caps.map((c) => `"${c}"`).join(', ')}]\n}\n`;
const API = 'vault-policies/qa/api.hcl';
const API_SECRET = 'secret/data/shop/api/database';

describe('checkPolicyFiles', () => {
  it.each([qa, prod])('passes the generated files and the shipped deployer policy in $name', async (env) => {
    expect(await check(committed(env), env)).toEqual([]);
  });

  it('rejects a wildcard that covers the secret but also its neighbours', async () => {
    const found = await check(withFile(API, block('secret/data/shop/*', 'read')));
    expect(summary(found)).toEqual([`vault/policy-minimal ${API} path "secret/data/shop/*"`]);
    expect(found[0]?.message).toContain('wildcard');
  });

  it('rejects list next to read', async () => {
    const found = await check(withFile(API, block(API_SECRET, 'read', 'list')));
    expect(summary(found)).toEqual([`vault/policy-minimal ${API} path "${API_SECRET}"`]);
    expect(found[0]?.message).toBe(`path "${API_SECRET}" grants list; tasks only read secrets`);
  });

  it('rejects write capabilities and metadata paths', async () => {
    const found = await check(withFile(API, block(API_SECRET, 'read', 'update', 'sudo') + block('secret/metadata/shop/api/database', 'read')));
    expect(found.map((d) => d.message)).toEqual([
      `path "${API_SECRET}" grants sudo, update; tasks only read secrets`,
      'path "secret/metadata/shop/api/database" is a KV v2 metadata path (versions, custom metadata, listing), which no secret reference of job "api" needs',
    ]);
  });

  it('reports a path the job reads but the policy does not grant, where it belongs', async () => {
    const path = 'vault-policies/qa/db-backup.hcl';
    const found = await check(withFile(path, block('secret/data/shop/backup/s3', 'read')));
    expect(summary(found)).toEqual([`vault/policy-coverage ${path} path "secret/data/shop/postgres"`]);
    expect(found[0]?.message).toBe('Policy drover-db-backup does not grant read on secret/data/shop/postgres, which task pg-dump (key password) reads');
    expect(found[0]?.hint).toContain('drover render qa');
  });

  it('reports a deny on a needed path', async () => {
    const found = await check(withFile(API, block(API_SECRET, 'read') + block(API_SECRET, 'deny')));
    expect(summary(found)).toEqual([`vault/policy-coverage ${API} path "${API_SECRET}"`]);
    expect(found[0]?.message).toContain('denies');
  });

  it('applies the most specific rule: a + deny beats a glob read', async () => {
    const found = await check(withFile(API, block('secret/data/shop/*', 'read') + block('secret/data/shop/+/database', 'deny')));
    expect(summary(found)).toEqual([
      `vault/policy-minimal ${API} path "secret/data/shop/*"`,
      `vault/policy-coverage ${API} path "secret/data/shop/+/database"`,
    ]);
  });

  it('matches + segments like Vault: one segment each', async () => {
    const covering = await check(withFile(API, block('secret/data/shop/+/database', 'read')));
    expect(summary(covering)).toEqual([`vault/policy-minimal ${API} path "secret/data/shop/+/database"`]);
    const tooShort = await check(withFile(API, block('secret/data/+/database', 'read')));
    expect(summary(tooShort).sort()).toEqual([`vault/policy-coverage ${API} path "${API_SECRET}"`, `vault/policy-minimal ${API} path "secret/data/+/database"`]);
  });

  it('locates a syntax error at the parser line and column', async () => {
    const found = await check(withFile(API, `# broken\npath "${API_SECRET}" {\n  capabilities = ["read"\n}\n`));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ rule: 'vault/policy-syntax', severity: 'error', location: { file: API, path: '4:1' } });
    expect(found[0]?.message).toBe(`${API}:4:1: Missing item separator; Expected a comma to mark the beginning of the next item.`);
  });

  it('reports a capability Vault does not know at its block', async () => {
    expect(summary(await check(withFile(API, block(API_SECRET, 'reed'))))).toEqual([`vault/policy-syntax ${API} path "${API_SECRET}"`]);
  });

  it('reports missing policy and role files', async () => {
    const files = withFile('vault-policies/qa/roles/worker.json', undefined, withFile('vault-policies/qa/worker.hcl', undefined));
    expect(summary(await check(files))).toEqual([
      'vault/policy-missing vault-policies/qa/roles/worker.json ',
      'vault/policy-missing vault-policies/qa/worker.hcl ',
    ]);
  });

  it('reports policies and roles no job needs any more', async () => {
    const found = await check([...committed(), { path: 'vault-policies/qa/www.hcl', content: block('secret/data/www', 'read') }, { path: 'vault-policies/qa/roles/gone.json', content: '{}' }]);
    expect(found.map((d) => `${d.rule}: ${d.message}`)).toEqual([
      'vault/policy-orphan: vault-policies/qa/roles/gone.json is left over: there is no job "gone" in jobs/',
      'vault/policy-orphan: vault-policies/qa/www.hcl is left over: job "www" no longer references any secret in qa',
    ]);
  });

  it('leaves other environments to their own check', async () => {
    expect(await check([...committed(qa), ...vaultPolicyFiles(jobsByEnv.get(prod) ?? [], prod)], qa)).toEqual([]);
  });
});

describe('role files', () => {
  const ROLE = 'vault-policies/qa/roles/api.json';
  const role = JSON.parse(committed().find((f) => f.path === ROLE)?.content as string) as Record<string, unknown>;
  const withRole = (changes: Record<string, unknown>) => withFile(ROLE, JSON.stringify({ ...role, ...changes }));

  it('requires the bindings to this namespace and job, and exactly the job policy', async () => {
    const found = await check(withRole({ role_type: 'oidc', bound_claims: { nomad_namespace: 'default', nomad_job_id: 'worker' }, token_policies: ['drover-api', 'admin'] }));
    expect(found.map((d) => `${d.rule} ${d.location.path}`)).toEqual([
      'vault/role-binding bound_claims.nomad_job_id',
      'vault/role-binding bound_claims.nomad_namespace',
      'vault/role-binding role_type',
      'vault/role-binding token_policies',
    ]);
  });

  it('requires the environment audience and exact claim matching', async () => {
    const found = await check(withRole({ bound_audiences: ['nomad.io'], bound_claims_type: 'glob' }));
    expect(found.map((d) => d.location.path)).toEqual(['bound_audiences', 'bound_claims_type']);
  });

  it('warns when the token would lose the default policy Nomad renews with', async () => {
    const found = await check(withRole({ token_no_default_policy: true }));
    expect(found.map((d) => `${d.severity} ${d.location.path}`)).toEqual(['warning token_no_default_policy']);
  });

  it('reports a role file that is not JSON', async () => {
    expect(summary(await check(withFile(ROLE, '{ "role_type": ')))).toEqual([`vault/policy-syntax ${ROLE} `]);
  });
});

describe('hand-written policies', () => {
  const withDeployer = (content: string) => withFile(DEPLOYER, content);

  it('rejects a deployer policy that can read every secret value', async () => {
    const found = await check(withDeployer(deployer.content + block('secret/data/*', 'read')));
    expect(summary(found)).toEqual([`vault/deployer-no-values ${DEPLOYER} path "secret/data/*"`]);
    expect(found[0]?.message).toContain('secret/data/shop/api/database (job api)');
    expect(found[0]?.message).toContain('secret/data/shop/postgres (jobs db-backup, postgres)');
    expect(found[0]?.message).toContain('any secret under secret/data/');
  });

  it('rejects read on one referenced secret, and a broad glob over the mount', async () => {
    expect(summary(await check(withDeployer(block(API_SECRET, 'read'))))).toEqual([`vault/deployer-no-values ${DEPLOYER} path "${API_SECRET}"`]);
    expect(summary(await check(withDeployer(block('secret/*', 'read', 'list'))))).toEqual([`vault/deployer-no-values ${DEPLOYER} path "secret/*"`]);
    expect(summary(await check(withDeployer(block('+/+/shop/*', 'read'))))).toEqual([`vault/deployer-no-values ${DEPLOYER} path "+/+/shop/*"`]);
  });

  it('accepts a broad grant when a more specific deny shields the values', async () => {
    expect(await check(withDeployer(block('secret/*', 'read', 'list') + block('secret/data/*', 'deny')))).toEqual([]);
  });

  it('checks every hand-written policy, not only the deployer', async () => {
    const ops = 'vault-policies/ops/ci.hcl';
    expect(summary(await check([...committed(), { path: ops, content: block('secret/data/shop/+', 'read') }]))).toEqual([`vault/deployer-no-values ${ops} path "secret/data/shop/+"`]);
  });
});

describe('reading vault-policies/ from the project root', () => {
  const dirs: string[] = [];
  afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  it('finds the files itself when none are given', async () => {
    const root = await mkdtemp(join(tmpdir(), 'drover-policies-'));
    dirs.push(root);
    const files = withFile(API, block('secret/data/shop/*', 'read'));
    for (const file of files) {
      await mkdir(dirname(join(root, file.path)), { recursive: true });
      await writeFile(join(root, file.path), file.content);
    }
    const found = await checkPolicyFiles({ root, env: qa, jobs: jobsByEnv.get(qa) ?? [] });
    expect(summary(found)).toEqual([`vault/policy-minimal ${API} path "secret/data/shop/*"`]);
  });

  it('reports every policy as missing in a project without the folder', async () => {
    const root = await mkdtemp(join(tmpdir(), 'drover-policies-'));
    dirs.push(root);
    const found = await checkPolicyFiles({ root, env: qa, jobs: jobsByEnv.get(qa) ?? [] });
    expect(found).toHaveLength(10);
    expect(new Set(found.map((d) => d.rule))).toEqual(new Set(['vault/policy-missing']));
  });
});
