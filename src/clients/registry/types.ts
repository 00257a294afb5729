/**
 * The registry client's public surface: the one lookup drover makes, a manifest's digest.
 * @see https://distribution.github.io/distribution/spec/api/#existing-manifests
 */
import type { TlsOptions } from '../http/agents.ts';
import type { RetryListener, RetryPolicy } from '../retry.ts';

/** Credentials for one registry, as Docker's `config.json` holds them (`auths.<host>.auth` is base64 `user:password`). */
export interface RegistryCredentials {
  readonly username: string;
  readonly password: string;
}

/** How to reach one registry. */
export interface RegistryClientOptions extends TlsOptions {
  /** Base URL without `/v2`, e.g. `https://ghcr.io`. */
  readonly address: string;
  /** The registry's name in image references and for `docker login`, named in hints. @default the host of `address` */
  readonly host?: string;
  /** Sent to the registry (Basic) or its token service when it asks; never appear in errors or events. @default anonymous */
  readonly credentials?: RegistryCredentials;
  /** Per-request timeout. @default 10000 */
  readonly timeoutMs?: number;
  /** Every call is a read and may be retried on transient failures. */
  readonly retry?: RetryPolicy;
  readonly onRetry?: RetryListener;
}

/** The registry calls drover makes. Every failure is an `ApiError` with `service: 'registry'`. */
export interface RegistryClient {
  /**
   * The content digest (`sha256:…`) of the manifest `name:reference` points at — for a
   * multi-platform image, its index — which is what `image@digest` pulls.
   * `name` is the repository inside the registry (`library/postgres`), `reference` a tag or digest.
   */
  manifestDigest(name: string, reference: string, opts?: { readonly signal?: AbortSignal }): Promise<string>;
  close(): void;
}
