/**
 * Makes `drover up`'s fresh cluster ready for an environment's jobs, as an operator (and
 * terraform/modules/vault-nomad-workloads) would: the KV mounts, the JWT auth method trusting this
 * Nomad's JWKS, then the same seeding as the sandbox (policies and roles of `vault-policies/<env>/`,
 * a placeholder per secret, a deployer token: seed-vault.ts); the Nomad namespace; and an empty
 * placeholder for every Consul KV key the jobs read (a `key` template waits until the key exists).
 */
import { randomBytes } from 'node:crypto';
import type { Environment } from '../../config/environment.ts';
import type { LoadedJob } from '../../model/loaded-job.ts';
import { secretReferences } from '../../secrets/derive.ts';
import { eachTask } from '../../validate/walk.ts';
import { seedSandboxVault, vaultAdmin } from '../seed-vault.ts';
import { getJson, sendJson } from './launch.ts';

export interface SeedInput {
  readonly env: Environment;
  readonly jobs: readonly LoadedJob[];
  /** Project root: its `vault-policies/`. */
  readonly root: string;
  readonly nomad: string;
  readonly consul: string;
  readonly vault: { readonly address: string; readonly rootToken: string };
}

export interface Seeded {
  /** `<mount>/<path>#<key>` of every generated secret placeholder. */
  readonly secrets: readonly string[];
  /** Consul KV keys written with an empty value. */
  readonly consulKeys: readonly string[];
  readonly deployerToken: string;
  /** The namespace created, when not `default`. */
  readonly namespace?: string;
}

export async function seedLocalCluster(input: SeedInput): Promise<Seeded> {
  const { env } = input;
  const call = vaultAdmin({ vaultToken: input.vault.rootToken, addresses: { vault: input.vault.address } });
  const mounts = [...new Set([env.vault.kvMount, ...input.jobs.flatMap((job) => secretReferences(job, env)).map((ref) => ref.mount)])].sort();
  for (const mount of mounts) {
    await call('POST', `sys/mounts/${mount}`, { type: 'kv', options: { version: '2' } });
    // A new KV v2 mount answers writes only once it has set itself up.
    await untilOk(() => call('GET', `${mount}/config`));
  }
  await call('POST', `sys/auth/${env.vault.jwtAuthPath}`, { type: 'jwt', description: 'Nomad workload identities (drover up)' });
  await call('POST', `auth/${env.vault.jwtAuthPath}/config`, { jwks_url: `${input.nomad}/.well-known/jwks.json`, jwt_supported_algs: ['RS256', 'EdDSA'] });
  const seeded = await seedSandboxVault({ vaultToken: input.vault.rootToken, addresses: { vault: input.vault.address } }, env, {
    jobs: input.jobs, root: input.root, valueFor: () => randomBytes(18).toString('base64url'),
    deployerExtraPolicies: { [CLUSTER_CHECK_POLICY]: clusterCheckPolicy(env.vault.jwtAuthPath) },
  });
  const namespace = env.nomad.namespace;
  if (namespace !== 'default') await sendJson('POST', `${input.nomad}/v1/namespace`, { Name: namespace, Description: `${env.name} (drover up)` });
  const consulKeys = [...new Set(eachTask(input.jobs).flatMap(({ task }) => (task.config ?? []).map((ref) => ref.key)))].sort();
  for (const key of consulKeys) await sendJson('PUT', `${input.consul}/v1/kv/${key}`, '');
  return { secrets: Object.keys(seeded.values).sort(), consulKeys, deployerToken: seeded.deployerToken, ...(namespace !== 'default' ? { namespace } : {}) };
}

/** The policy `up` adds to its deployer token so that `drover cluster check --dev` runs with up's exports. */
export const CLUSTER_CHECK_POLICY = 'drover-cluster-check';

/**
 * Read on the JWT auth method's configuration: `drover cluster check` compares its jwks_url with
 * this Nomad (an operator's read; the configuration holds addresses and keys, no secret).
 */
export function clusterCheckPolicy(jwtAuthPath: string): string {
  return `# drover up: lets the deployer token run \`drover cluster check --dev\` (vault/jwt-nomad).
path "auth/${jwtAuthPath}/config" {
  capabilities = ["read"]
}
`;
}

/** Whether this Nomad serves the keys of its workload identities (what the JWT auth method fetches). */
export async function hasJwks(nomad: string): Promise<boolean> {
  const body = (await getJson(`${nomad}/.well-known/jwks.json`)) as { keys?: unknown[] };
  return Array.isArray(body.keys) && body.keys.length > 0;
}

async function untilOk(probe: () => Promise<unknown>): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await probe();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
