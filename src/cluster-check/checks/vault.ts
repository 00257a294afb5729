/**
 * Vault/OpenBao unsealed, at the declared version, with the JWT auth method trusting this Nomad's
 * workload identity keys. Pure.
 */
import { secretsStore, type Cluster } from '../../config/cluster.ts';
import type { Environment } from '../../config/environment.ts';
import type { VaultJwtAuthConfig } from '../../wire/cluster-agents.ts';
import type { ClusterFacts } from '../facts.ts';
import { judge, type CheckResult } from '../result.ts';
import { judgeKeySource } from './nomad-jwks.ts';

/** Unsealed and initialised, at the declared version. */
export function checkVault(cluster: Cluster, facts: ClusterFacts): CheckResult[] {
  const store = secretsStore(cluster);
  const name = store.product === 'openbao' ? 'OpenBao' : 'Vault';
  const unsealed = judge(facts.vault.health, 'vault/unsealed', `${name} initialised and unsealed`, '', (health) => {
    if (!health.initialized) return { status: 'fail', detail: 'not initialised', fix: `Initialise it once: \`${cli(store.product)} operator init\` on one server, keep the unseal keys and root token offline.` };
    if (health.sealed) return { status: 'fail', detail: `sealed (sys/health ${health.status})`, fix: `Unseal every server: \`${cli(store.product)} operator unseal\` with the key holders (shamir seal); a node that seals again after a restart needs the same.` };
    return { status: 'pass', detail: `${health.status}` };
  });
  const version = judge(facts.vault.health, 'vault/version', `${name} at ${store.version}`, '', (health) =>
    health.version === store.version
      ? { status: 'pass', detail: `${health.version}` }
      : { status: 'fail', detail: `answers version ${health.version || '(unknown)'}`, fix: `Install ${name} ${store.version} (install.sh of cluster/<env>/server/), restarting standbys first and the active node last.` });
  return [unsealed, version];
}

/** The JWT auth method at `vault.jwtAuthPath` fetches this Nomad's JWKS, or holds exactly its keys. */
export function checkJwtTrust(env: Environment, facts: ClusterFacts): CheckResult {
  const mount = env.vault.jwtAuthPath;
  const id = 'vault/jwt-nomad';
  const title = `JWT auth at auth/${mount} trusts this Nomad's workload identities`;
  const denied = `The token needs \`path "auth/${mount}/config" { capabilities = ["read"] }\` (export VAULT_TOKEN).`;
  return judge(facts.vault.jwtConfig, id, title, denied, (config) => {
    if (config === null) return { status: 'fail', detail: `auth/${mount}/config not found: no JWT auth method mounted there, or it was never configured`, fix: 'Apply terraform/modules/vault-nomad-workloads (it enables and configures the JWT auth method for Nomad).' };
    return judgeTrust(config, facts);
  });
}

function judgeTrust(config: VaultJwtAuthConfig, facts: ClusterFacts): { status: 'pass' | 'fail'; detail: string; fix?: string } {
  const nomadOrigin = new URL(facts.addresses.nomad).origin;
  const fix = `Point it at this Nomad: \`jwks_url = "${nomadOrigin}/.well-known/jwks.json"\` (terraform/modules/vault-nomad-workloads, input nomad_jwks_url).`;
  const verdict = judgeKeySource({ jwksUrl: config.jwks_url, pubkeys: config.jwt_validation_pubkeys, discoveryUrl: config.oidc_discovery_url, names: VAULT_NAMES }, facts);
  return verdict.status === 'pass' ? verdict : { ...verdict, fix };
}

const VAULT_NAMES = { jwksUrl: 'jwks_url', pubkeys: 'jwt_validation_pubkeys', discoveryUrl: 'oidc_discovery_url' } as const;

function cli(product: 'openbao' | 'vault'): string {
  return product === 'openbao' ? 'bao' : 'vault';
}
