/**
 * Vault/OpenBao unsealed, at the declared version, with the JWT auth method trusting this Nomad's
 * workload identity keys. Pure.
 */
import { createPublicKey } from 'node:crypto';
import { secretsStore, type Cluster } from '../../config/cluster.ts';
import type { Environment } from '../../config/environment.ts';
import type { NomadJwks, VaultJwtAuthConfig } from '../../wire/cluster-agents.ts';
import type { ClusterFacts } from '../facts.ts';
import { judge, type CheckResult } from '../result.ts';

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
  if (config.jwks_url) {
    const url = safeUrl(config.jwks_url);
    if (url && url.pathname === '/.well-known/jwks.json' && sameEndpoint(url, facts)) return { status: 'pass', detail: `jwks_url ${config.jwks_url}` };
    return { status: 'fail', detail: `jwks_url is ${config.jwks_url}, not this Nomad (${nomadOrigin})`, fix };
  }
  if (config.jwt_validation_pubkeys.length && facts.nomad.jwks.ok) {
    const nomadKeys = pemsOf(facts.nomad.jwks.value);
    const held = config.jwt_validation_pubkeys.map(normalizePem);
    const missing = nomadKeys.filter((key) => !held.includes(key.pem)).map((key) => key.kid);
    if (missing.length === 0) return { status: 'pass', detail: `jwt_validation_pubkeys hold Nomad's ${nomadKeys.length} signing key(s)` };
    return { status: 'fail', detail: `jwt_validation_pubkeys lack Nomad's key(s) ${missing.join(', ')} (rotated?)`, fix };
  }
  const how = config.oidc_discovery_url ? `oidc_discovery_url ${config.oidc_discovery_url}` : 'no jwks_url and no keys';
  return { status: 'fail', detail: how, fix };
}

/** The JWKS URL names the address drover reaches Nomad at, or a server's own address on Nomad's port. */
function sameEndpoint(url: URL, facts: ClusterFacts): boolean {
  const nomad = new URL(facts.addresses.nomad);
  if (url.origin === nomad.origin) return true;
  const servers = facts.nomad.members.ok ? facts.nomad.members.value.Members.map((m) => m.Addr) : [];
  return servers.includes(url.hostname) && (url.port || defaultPort(url)) === (nomad.port || defaultPort(nomad));
}

function defaultPort(url: URL): string {
  return url.protocol === 'https:' ? '443' : '80';
}

function pemsOf(jwks: NomadJwks): { kid: string; pem: string }[] {
  return jwks.keys.map((key) => ({ kid: key.kid, pem: normalizePem(createPublicKey({ key: { kty: key.kty, n: key.n, e: key.e }, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString()) }));
}

function normalizePem(pem: string): string {
  return pem.replace(/\s+/g, '');
}

function safeUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

function cli(product: 'openbao' | 'vault'): string {
  return product === 'openbao' ? 'bao' : 'vault';
}
