import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Environment } from '../config/environment.ts';
import { roleBody, secretReferences } from '../secrets/derive.ts';
import type { LoadedJob } from '../model/loaded-job.ts';

/** What {@link seedSandboxVault} wrote. */
export interface SeededVault {
  /** Every secret value written, by `<mount>/<path>#<key>`. */
  readonly values: Readonly<Record<string, string>>;
  /** A token holding only `drover-deployer` (vault-policies/drover-deployer.hcl): what the preflight needs, nothing more. */
  readonly deployerToken: string;
}

export interface SeedOptions {
  /** Jobs whose referenced secrets are written. */
  readonly jobs: readonly LoadedJob[];
  /** Project root whose `vault-policies/` is applied. */
  readonly root: string;
  /** The value to store for a key (a placeholder in demos, a sentinel in tests). */
  readonly valueFor: (mount: string, path: string, key: string) => string;
  /** Further policies (name → HCL) written and given to the deployer token next to `drover-deployer`. */
  readonly deployerExtraPolicies?: Readonly<Record<string, string>>;
}

/**
 * Makes a sandbox's Vault ready for `env`'s jobs, as an operator would: writes every secret the
 * jobs reference, applies `vault-policies/<env>/*.hcl` as `drover-<job>` policies and
 * `roles/*.json` as JWT roles (what the Terraform module does), plus the deployer policy, and
 * returns a deployer token. Uses the sandbox's root token over HTTP.
 */
export async function seedSandboxVault(sandbox: VaultAdminTarget, env: Environment, options: SeedOptions): Promise<SeededVault> {
  const call = vaultAdmin(sandbox);
  const values: Record<string, string> = {};
  const secrets = new Map<string, Record<string, string>>();
  for (const ref of options.jobs.flatMap((job) => secretReferences(job, env))) {
    const id = `${ref.mount}/${ref.path}`;
    const value = options.valueFor(ref.mount, ref.path, ref.key);
    values[`${id}#${ref.key}`] = value;
    secrets.set(id, { ...secrets.get(id), [ref.key]: value });
  }
  for (const [id, data] of secrets) {
    const [mount, ...rest] = id.split('/');
    await call('POST', `${mount}/data/${rest.join('/')}`, { data });
  }
  const dir = join(options.root, 'vault-policies', env.name);
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.hcl')).sort()) {
    await call('POST', `sys/policies/acl/drover-${file.slice(0, -'.hcl'.length)}`, { policy: await readFile(join(dir, file), 'utf8') });
  }
  for (const file of (await readdir(join(dir, 'roles'))).filter((f) => f.endsWith('.json')).sort()) {
    await call('POST', `auth/${env.vault.jwtAuthPath}/role/drover-${file.slice(0, -'.json'.length)}`, roleBody(await readFile(join(dir, 'roles', file), 'utf8')));
  }
  await call('POST', 'sys/policies/acl/drover-deployer', { policy: await readFile(join(options.root, 'vault-policies/drover-deployer.hcl'), 'utf8') });
  const extra = Object.entries(options.deployerExtraPolicies ?? {});
  for (const [name, policy] of extra) await call('POST', `sys/policies/acl/${name}`, { policy });
  const created = (await call('POST', 'auth/token/create', { policies: ['drover-deployer', ...extra.map(([name]) => name)], no_default_policy: true, display_name: 'drover-deployer' })) as { auth: { client_token: string } };
  return { values, deployerToken: created.auth.client_token };
}

/** A Vault to seed: the sandbox's, or any server's address with a root token (a real dev server in tests). */
export interface VaultAdminTarget {
  readonly vaultToken: string;
  readonly addresses: { readonly vault: string };
}

/** A Vault API call with the sandbox's root token; throws on any non-2xx answer. */
export function vaultAdmin(sandbox: VaultAdminTarget): (method: string, path: string, body?: unknown) => Promise<unknown> {
  return async (method, path, body) => {
    const response = await fetch(`${sandbox.addresses.vault}/v1/${path}`, {
      method,
      headers: { 'X-Vault-Token': sandbox.vaultToken, 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`vault ${method} ${path}: ${response.status} ${text.slice(0, 200)}`);
    return text ? (JSON.parse(text) as unknown) : undefined;
  };
}
