/**
 * What `drover cluster check` read from a running cluster, as plain values: every read is either
 * its answer or why it failed, so the checks (pure functions in checks/) can say which point could
 * not be judged and why, instead of the first failure aborting the whole run.
 */
import type * as W from '../wire/cluster-agents.ts';

/** Why a read failed: nothing answered, the token was refused, or something else went wrong. */
export interface ReadFailure {
  readonly kind: 'unreachable' | 'denied' | 'error';
  /** `GET http://127.0.0.1:4646/v1/agent/members` — never a token. */
  readonly request: string;
  /** The status and body, or the network error. */
  readonly detail: string;
  /** The HTTP status, when there was an answer (Consul's 401 `ACL support disabled` is not a refused token). */
  readonly status?: number;
}

/** A read's answer or its failure. */
export type Read<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly failure: ReadFailure };

/** What a request without any token got: denied is what enforced ACLs answer. */
export interface AnonymousAnswer {
  readonly status: number;
}

/** A TLS handshake with one listener against the cluster's CA. */
export interface ListenerProbe {
  readonly service: 'nomad' | 'consul' | 'vault';
  readonly address: string;
  readonly result:
    | { readonly kind: 'verified'; readonly protocol: string; readonly subject: string }
    | { readonly kind: 'unverified' | 'no-tls' | 'unreachable'; readonly reason: string }
    /** Plain `http://` address: nothing to handshake with. */
    | { readonly kind: 'plain-http' }
    /** No CA file to verify against (NOMAD_CACERT, CONSUL_CACERT, VAULT_CACERT). */
    | { readonly kind: 'no-ca'; readonly variable: string };
}

/** Vault's `sys/health`, reduced to what the checks judge. */
export interface VaultHealthFacts {
  readonly status: string;
  readonly sealed: boolean;
  readonly initialized: boolean;
  readonly version: string;
}

/** Everything one run read. Optional parts were not asked (no address configured). */
export interface ClusterFacts {
  readonly addresses: { readonly nomad: string; readonly consul: string; readonly vault: string; readonly fabioUi?: string; readonly prometheus?: string };
  readonly nomad: {
    readonly leader: Read<string>;
    readonly raft: Read<W.NomadRaftConfiguration>;
    readonly members: Read<W.NomadAgentMembers>;
    readonly self: Read<W.NomadAgentSelf>;
    readonly nodes: Read<readonly W.NomadNodeListStub[]>;
    readonly pools: Read<readonly W.NomadNodePool[]>;
    readonly jwks: Read<W.NomadJwks>;
    readonly anonymous: Read<AnonymousAnswer>;
  };
  readonly consul: {
    readonly leader: Read<string>;
    readonly raft: Read<W.ConsulRaftConfiguration>;
    readonly members: Read<readonly W.ConsulAgentMember[]>;
    readonly self: Read<W.ConsulAgentSelf>;
    readonly anonymous: Read<AnonymousAnswer>;
    /** The JWT auth method Nomad's workload identities log in with; `null` value: Consul's 404 (no such method). */
    readonly jwtAuthMethod: Read<W.ConsulAclAuthMethod | null>;
    readonly bindingRules: Read<readonly W.ConsulAclBindingRule[]>;
  };
  readonly vault: {
    readonly health: Read<VaultHealthFacts>;
    /** `null` value: `auth/<vault.jwtAuthPath>/config` answered 404 (nothing mounted there, or never configured). */
    readonly jwtConfig: Read<W.VaultJwtAuthConfig | null>;
  };
  readonly fabio?: { readonly health: Read<string>; readonly routes: Read<readonly W.FabioRoute[]> };
  readonly prometheus?: { readonly targets: Read<readonly W.PrometheusTarget[]> };
  readonly listeners: readonly ListenerProbe[];
}
