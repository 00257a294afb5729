/**
 * The one file that imports node-vault. node-vault builds the URL, adds `X-Vault-Token` and
 * `X-Vault-Namespace`, and sends through its own axios instance; everything else is taken out of
 * its hands, for reasons it does not document:
 *
 * - It falls back to `VAULT_TOKEN`, `VAULT_NAMESPACE`, `VAULT_PREFIX` and `VAULT_SKIP_VERIFY`
 *   from the environment when an option is empty. Only cli/ reads the environment, so the
 *   instance's fields are pinned after construction (they are read on every request).
 * - Its response handler turns every non-2xx into an error that keeps only the first of Vault's
 *   `errors`, yet resolves `sys/health` bodies for any status and drops the status code. The
 *   handler is a replaceable property (`handleVaultResponse`), so it is replaced by one that
 *   hands back status and body untouched; transport.ts decides what is an error.
 * - Its `LIST` verb cannot be parsed by Node's own HTTP server (test doubles), so lists are sent
 *   as `GET ?list=true`, which Vault treats the same.
 * - Its named commands render paths with mustache, which HTML-escapes parameters, and the write
 *   commands without a schema send all their arguments as the body; so only the parameterless
 *   commands are used, and the generic `request` for everything else.
 * - Its `debug` logger prints request bodies when `DEBUG=node-vault` is set; it is silenced.
 * - It accepts no AbortSignal; the caller cuts a request by destroying its per-call agents.
 * @see https://github.com/nodevault/node-vault
 */
import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import NodeVault from 'node-vault';

/** What node-vault's transport resolved: status and the body axios decoded (JSON, text, or `""`). */
export interface VaultRawAnswer {
  readonly status: number;
  readonly body: unknown;
}

/** Per-request options node-vault forwards to axios. */
export interface VaultRequestOptions {
  readonly timeout: number;
  readonly httpAgent: HttpAgent;
  readonly httpsAgent: HttpsAgent;
}

/** The subset of node-vault drover calls. */
export interface VaultPackage {
  /** The generic escape hatch: `path` below `/v1`, e.g. `/sys/policies/acl/deploy`. */
  request(method: 'GET' | 'POST' | 'DELETE', path: string, body: object | undefined, options: VaultRequestOptions): Promise<VaultRawAnswer>;
  tokenLookupSelf(options: VaultRequestOptions): Promise<VaultRawAnswer>;
  health(options: VaultRequestOptions): Promise<VaultRawAnswer>;
  sealStatus(options: VaultRequestOptions): Promise<VaultRawAnswer>;
}

/** node-vault's instance as drover uses it; the package's typings return `any` everywhere. */
interface NodeVaultInstance {
  token: string;
  endpoint: string;
  apiVersion: string;
  pathPrefix: string;
  namespace: string;
  handleVaultResponse(response: { statusCode: number; body: unknown }): Promise<unknown>;
  request(options: { path: string; method: string; json?: object } & VaultRequestOptions): Promise<unknown>;
  tokenLookupSelf(args: { requestOptions: VaultRequestOptions }): Promise<unknown>;
  health(args: { requestOptions: VaultRequestOptions }): Promise<unknown>;
  status(args: { requestOptions: VaultRequestOptions }): Promise<unknown>;
}

/** Builds a node-vault instance pinned to the given address, token and namespace. */
export function createVaultPackage(options: { readonly address: string; readonly token: string; readonly namespace?: string | undefined }): VaultPackage {
  const config = {
    endpoint: options.address,
    token: options.token,
    apiVersion: 'v1',
    debug: () => undefined,
    // Overrides node-vault's `strictSSL: !process.env.VAULT_SKIP_VERIFY` (an option its typings omit).
    rpDefaults: { strictSSL: true },
  };
  const vault = NodeVault(config) as unknown as NodeVaultInstance;
  vault.endpoint = options.address.replace(/\/+$/, '');
  vault.token = options.token;
  vault.namespace = options.namespace ?? '';
  vault.pathPrefix = '';
  vault.handleVaultResponse = (response) => Promise.resolve(new RawAnswer(response?.statusCode ?? 0, response?.body));

  const raw = async (pending: Promise<unknown>): Promise<VaultRawAnswer> => {
    const answer = await pending;
    // Anything else means node-vault bypassed the replaced handler: fail rather than guess.
    if (!(answer instanceof RawAnswer)) throw new TypeError('node-vault resolved without its response handler; unsupported node-vault version');
    return answer;
  };
  return {
    request: (method, path, body, requestOptions) =>
      raw(vault.request({ path, method, ...(body === undefined ? {} : { json: body }), ...requestOptions })),
    tokenLookupSelf: (requestOptions) => raw(vault.tokenLookupSelf({ requestOptions })),
    health: (requestOptions) => raw(vault.health({ requestOptions })),
    sealStatus: (requestOptions) => raw(vault.status({ requestOptions })),
  };
}

/** Marks answers that went through the replaced response handler. */
class RawAnswer implements VaultRawAnswer {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {}
}
