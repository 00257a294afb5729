/**
 * Reads what the secrets preflight compares: per job that reads secrets, its committed policy and
 * role files, the policy and role Vault holds under `drover-<job>`, and for every secret path it
 * references the current version's existence and key names. Never a value: only `kv.metadata`
 * and `kv.subkeys` are called. A 403 is recorded (the preflight reports it), not thrown.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ApiError } from '../clients/api-error.ts';
import type { VaultClient } from '../clients/vault/types.ts';
import type { Environment } from '../config/environment.ts';
import { canonicalJson } from '../render/canonical-json.ts';
import { at, type Location } from '../validate/diagnostic.ts';
import type { LoadedJob } from '../model/loaded-job.ts';
import { eachTask } from '../validate/walk.ts';
import type { VaultJwtRoleRead } from '../wire/vault.ts';
import { deriveVaultAccess, roleBody, vaultPolicyPath, vaultRolePath, type VaultAccess } from './derive.ts';
import { readPolicyRules, type PolicyRule } from './policy-acl.ts';

/** Vault's answer to one read: the value, nothing there, or 403 for the token in use. */
export type VaultRead<T> =
  | { readonly status: 'found'; readonly value: T }
  | { readonly status: 'missing' }
  | { readonly status: 'denied'; readonly request: string };

/** A job's policy: the committed file, what the jobs derive now, and Vault's copy. */
export interface PolicyState {
  readonly name: string;
  /** Project-relative path of the committed file. */
  readonly file: string;
  /** Committed text; undefined when the file does not exist. */
  readonly committed: string | undefined;
  /** What `drover render` would write now. */
  readonly derived: string;
  readonly vault: VaultRead<string>;
  /** Rules of the text Vault is compared with (committed, else derived); undefined when unparseable. */
  readonly fileRules: readonly PolicyRule[] | undefined;
  readonly vaultRules: readonly PolicyRule[] | undefined;
}

/** A job's JWT role: the committed file (parsed), what the jobs derive now, and Vault's copy. */
export interface RoleState {
  readonly name: string;
  readonly file: string;
  readonly committed: string | undefined;
  readonly derived: string;
  /** The body Vault is compared with: the committed file's, else the derived one. Undefined when the file is not a JSON object. */
  readonly body: Readonly<Record<string, unknown>> | undefined;
  readonly vault: VaultRead<VaultJwtRoleRead>;
}

/** Where a task reads a key of a secret: the job file location of the reference. */
export interface SecretUse {
  readonly task: string;
  readonly env: string;
  readonly key: string;
  readonly location: Location;
}

/** The current version of a secret: live with its key names, or deleted/destroyed. */
export type SecretVersion =
  | { readonly state: 'live'; readonly version: number; readonly keys: readonly string[] }
  | { readonly state: 'deleted' | 'destroyed'; readonly version: number };

/** One KV v2 secret a job references, with every use of it. */
export interface SecretState {
  readonly mount: string;
  readonly path: string;
  readonly uses: readonly SecretUse[];
  readonly vault: VaultRead<SecretVersion>;
}

/** Everything the preflight knows about one job that reads secrets. */
export interface JobVaultState {
  readonly access: VaultAccess;
  readonly policy: PolicyState;
  readonly role: RoleState;
  readonly secrets: readonly SecretState[];
}

/** What {@link readVaultState} reads. */
export interface VaultStateInput {
  readonly vault: VaultClient;
  readonly env: Environment;
  /** The jobs to check (those without secrets are skipped). */
  readonly jobs: readonly LoadedJob[];
  /** Project root holding `vault-policies/`. */
  readonly root: string;
  readonly signal?: AbortSignal;
}

/**
 * Reads the state of every job that reads secrets, in job order. One job at a time (its reads in
 * parallel): a handful of requests in flight is plenty, and each adds a listener to the signal.
 */
export async function readVaultState(input: VaultStateInput): Promise<JobVaultState[]> {
  const states: JobVaultState[] = [];
  for (const job of input.jobs) {
    const access = deriveVaultAccess(job, input.env);
    if (access) states.push(await readJob(input, job, access));
  }
  return states;
}

async function readJob(input: VaultStateInput, job: LoadedJob, access: VaultAccess): Promise<JobVaultState> {
  const { vault, env, root, signal } = input;
  const opts = signal ? { signal } : {};
  const policyFile = vaultPolicyPath(env.name, access.jobId);
  const roleFile = vaultRolePath(env.name, access.jobId);
  const [policyText, roleText, vaultPolicy, vaultRole, secrets] = await Promise.all([
    readText(root, policyFile),
    readText(root, roleFile),
    attempt(`GET /v1/sys/policies/acl/${access.policyName}`, () => vault.policies.read(access.policyName, opts).then((p) => p?.policy ?? null)),
    attempt(`GET /v1/auth/${env.vault.jwtAuthPath}/role/${access.policyName}`, () => vault.jwt.readRole(env.vault.jwtAuthPath, access.policyName, opts)),
    Promise.all(secretUses(job, env).map((s) => readSecret(vault, s, opts))),
  ]);
  const compared = policyText ?? access.policyHcl;
  const policy: PolicyState = {
    name: access.policyName,
    file: policyFile,
    committed: policyText,
    derived: access.policyHcl,
    vault: vaultPolicy,
    fileRules: await policyRules(compared),
    vaultRules: vaultPolicy.status === 'found' ? await policyRules(vaultPolicy.value) : undefined,
  };
  const derivedRole = canonicalJson(access.role);
  const role: RoleState = { name: access.policyName, file: roleFile, committed: roleText, derived: derivedRole, body: parseRole(roleText ?? derivedRole), vault: vaultRole };
  return { access, policy, role, secrets };
}

/** The references of a job grouped by secret (mount and path), each use with its job-file location. */
export function secretUses(job: LoadedJob, env: Environment): Omit<SecretState, 'vault'>[] {
  const bySecret = new Map<string, { mount: string; path: string; uses: SecretUse[] }>();
  for (const visit of eachTask([job])) {
    const refs = Array.isArray(visit.task.secrets) ? visit.task.secrets : [];
    refs.forEach((ref, i) => {
      if (typeof ref?.path !== 'string') return;
      const mount = ref.mount ?? env.vault.kvMount;
      const id = `${mount}\u0000${ref.path}`;
      const entry = bySecret.get(id) ?? { mount, path: ref.path, uses: [] as SecretUse[] };
      entry.uses.push({ task: String(visit.task.name), env: String(ref.env), key: String(ref.key), location: { file: visit.file, path: at(at(visit.path, 'secrets'), i) } });
      bySecret.set(id, entry);
    });
  }
  return [...bySecret.values()];
}

async function readSecret(vault: VaultClient, secret: Omit<SecretState, 'vault'>, opts: { signal?: AbortSignal }): Promise<SecretState> {
  const { mount, path } = secret;
  const read = await attempt(`GET /v1/${mount}/metadata/${path}`, async (): Promise<SecretVersion | null> => {
    const metadata = await vault.kv.metadata(mount, path, opts);
    if (!metadata || metadata.current_version === 0) return null;
    const version = metadata.current_version;
    // Subkeys of the current version decide deletion: Vault compares deletion_time with its own clock.
    const subkeys = await vault.kv.subkeys(mount, path, { ...opts, version, depth: 1 });
    if (!subkeys) return null;
    if (subkeys.subkeys === null) return { state: subkeys.metadata.destroyed ? 'destroyed' : 'deleted', version };
    return { state: 'live', version, keys: Object.keys(subkeys.subkeys).sort() };
  });
  return { ...secret, vault: read };
}

/** Runs a Vault read; `null` is "missing", a 403 is "denied", anything else is thrown. */
async function attempt<T>(request: string, read: () => Promise<T | null>): Promise<VaultRead<T>> {
  try {
    const value = await read();
    return value === null ? { status: 'missing' } : { status: 'found', value };
  } catch (error) {
    if (error instanceof ApiError && error.status === 403) return { status: 'denied', request: error.path ? `${error.method} ${error.path}` : request };
    throw error;
  }
}

async function readText(root: string, file: string): Promise<string | undefined> {
  return readFile(join(root, file), 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
}

function parseRole(text: string): Record<string, unknown> | undefined {
  try {
    return roleBody(text);
  } catch {
    return undefined;
  }
}

/** The rules of a policy (HCL or Vault's JSON form); undefined when it does not parse. */
async function policyRules(text: string): Promise<PolicyRule[] | undefined> {
  try {
    const trimmed = text.trim();
    // The HCL parser is imported when needed: it instantiates its WebAssembly as it loads.
    const document = trimmed.startsWith('{') ? (JSON.parse(trimmed) as unknown) : await (await import('@cdktf/hcl2json')).parse('policy.hcl', text);
    if (document === null || typeof document !== 'object' || Array.isArray(document)) return undefined;
    const { rules, problems } = readPolicyRules(document as Record<string, unknown>);
    return problems.length ? undefined : rules;
  } catch {
    return undefined;
  }
}
