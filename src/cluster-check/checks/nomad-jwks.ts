/**
 * Whether a JWT auth method (Vault's or Consul's) takes its keys from this cluster's Nomad: its
 * JWKS URL names Nomad's `/.well-known/jwks.json`, or the public keys it holds are exactly the ones
 * Nomad signs with. Pure.
 */
import { createPublicKey } from 'node:crypto';
import type { NomadJwks } from '../../wire/cluster-agents.ts';
import type { ClusterFacts } from '../facts.ts';

/** Where an auth method gets its keys, with the names its product gives the fields (for messages). */
export interface KeySource {
  readonly jwksUrl: string;
  readonly pubkeys: readonly string[];
  readonly discoveryUrl: string;
  /** `{ jwksUrl: 'jwks_url', pubkeys: 'jwt_validation_pubkeys', discoveryUrl: 'oidc_discovery_url' }` for Vault. */
  readonly names: { readonly jwksUrl: string; readonly pubkeys: string; readonly discoveryUrl: string };
}

export type KeySourceVerdict = { readonly status: 'pass' | 'fail'; readonly detail: string };

/** Judges the key source against Nomad's address, its servers and the JWKS it serves. */
export function judgeKeySource(source: KeySource, facts: ClusterFacts): KeySourceVerdict {
  const { names } = source;
  const nomadOrigin = new URL(facts.addresses.nomad).origin;
  if (source.jwksUrl) {
    const url = safeUrl(source.jwksUrl);
    if (url && url.pathname === '/.well-known/jwks.json' && sameEndpoint(url, facts)) return { status: 'pass', detail: `${names.jwksUrl} ${source.jwksUrl}` };
    return { status: 'fail', detail: `${names.jwksUrl} is ${source.jwksUrl}, not this Nomad (${nomadOrigin})` };
  }
  if (source.pubkeys.length && facts.nomad.jwks.ok) {
    const nomadKeys = pemsOf(facts.nomad.jwks.value);
    const held = source.pubkeys.map(normalizePem);
    const missing = nomadKeys.filter((key) => !held.includes(key.pem)).map((key) => key.kid);
    if (missing.length === 0) return { status: 'pass', detail: `${names.pubkeys} hold Nomad's ${nomadKeys.length} signing key(s)` };
    return { status: 'fail', detail: `${names.pubkeys} lack Nomad's key(s) ${missing.join(', ')} (rotated?)` };
  }
  const how = source.discoveryUrl ? `${names.discoveryUrl} ${source.discoveryUrl}` : `no ${names.jwksUrl} and no keys`;
  return { status: 'fail', detail: how };
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
