/**
 * One Vault request through node-vault: per-request timeout, AbortSignal (by destroying the
 * call's own agents, since node-vault takes no signal), retries for reads, and every failure
 * mapped to a redacted ApiError. Vault errors are JSON `{"errors": [...]}`; statuses a call
 * treats as answers (404 for "not there", the health codes) are handed back instead.
 * @see https://developer.hashicorp.com/vault/api-docs#http-status-codes
 */
import { ApiError } from '../api-error.ts';
import { createAgents, type TlsOptions } from '../http/agents.ts';
import { networkApiError } from '../http/network-error.ts';
import { withRetries } from '../http/retrying.ts';
import { ShapeError } from '../http/shape.ts';
import { redactText, redactValue } from '../redact.ts';
import type { RetryListener, RetryPolicy } from '../retry.ts';
import type { VaultRawAnswer, VaultRequestOptions } from './package.ts';

/** One call as the resource groups describe it. */
export interface VaultCall {
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** Path below `/v1`, segments encoded, e.g. `/secret/metadata/shop/api`. */
  readonly path: string;
  /** Statuses (besides 2xx) that are answers, not failures. */
  readonly answers?: readonly number[];
  readonly signal?: AbortSignal | undefined;
  readonly timeoutMs?: number | undefined;
}

export interface VaultTransportSettings extends TlsOptions {
  readonly timeoutMs: number;
  readonly retry: RetryPolicy;
  readonly onRetry?: RetryListener | undefined;
  /** The token, scrubbed from everything that leaves the client. */
  readonly secrets: readonly string[];
}

/** Runs `invoke` (one node-vault call) with the call's options; GETs are retried, writes tried once. */
export function send(call: VaultCall, settings: VaultTransportSettings, invoke: (options: VaultRequestOptions) => Promise<VaultRawAnswer>): Promise<VaultRawAnswer> {
  const idempotent = call.method === 'GET';
  return withRetries({ idempotent, method: call.method, signal: call.signal }, { policy: settings.retry, onRetry: settings.onRetry }, () => once(call, settings, invoke));
}

async function once(call: VaultCall, settings: VaultTransportSettings, invoke: (options: VaultRequestOptions) => Promise<VaultRawAnswer>): Promise<VaultRawAnswer> {
  const { signal } = call;
  if (signal?.aborted) throw signal.reason;
  // Own agents per call (no keep-alive): destroying them cuts exactly this request.
  const agents = createAgents(settings, { keepAlive: false });
  const cut = (): void => agents.destroy();
  signal?.addEventListener('abort', cut, { once: true });
  let answer: VaultRawAnswer;
  try {
    answer = await invoke({ timeout: call.timeoutMs ?? settings.timeoutMs, httpAgent: agents.httpAgent, httpsAgent: agents.httpsAgent });
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    // node-vault's rejections are AxiosErrors whose `config.headers` hold X-Vault-Token: only
    // code and (redacted) message are kept.
    throw networkApiError(error, { service: 'vault', method: call.method, path: `/v1${call.path}` }, settings.secrets);
  } finally {
    signal?.removeEventListener('abort', cut);
    agents.destroy();
  }
  if ((answer.status >= 200 && answer.status <= 299) || call.answers?.includes(answer.status)) return answer;
  throw vaultError(call, answer, settings.secrets);
}

/** `ApiError` for a Vault error answer; the body is Vault's `errors` joined, redacted. */
export function vaultError(call: Pick<VaultCall, 'method' | 'path'>, answer: VaultRawAnswer, secrets: readonly string[]): ApiError {
  return new ApiError({
    service: 'vault',
    method: call.method,
    path: redactText(`/v1${call.path}`, secrets),
    status: answer.status,
    body: redactText(errorText(answer.body), secrets),
  });
}

/**
 * Vault's `{"errors": [...]}` as one line per message. The messages are often Go multierrors
 * (`"1 error occurred:\n\t* permission denied\n\n"`), trimmed here. `{"errors": []}` (a plain 404)
 * becomes `""`.
 */
export function errorText(body: unknown): string {
  if (typeof body === 'string') return body;
  if (typeof body === 'object' && body !== null && 'errors' in body && Array.isArray(body.errors)) {
    return body.errors.map((message) => String(message).replace(/^\d+ errors? occurred:\s*/, '').replace(/^\s*\*\s*/gm, '').trim()).join('\n');
  }
  return body === undefined || body === null ? '' : JSON.stringify(redactValue(body));
}

/** Runs a narrowing step; a shape mismatch becomes an ApiError carrying the request. */
export function narrowed<T>(call: Pick<VaultCall, 'method' | 'path'>, answer: VaultRawAnswer, secrets: readonly string[], narrow: () => T): T {
  try {
    return narrow();
  } catch (error) {
    if (!(error instanceof ShapeError)) throw error;
    throw new ApiError({
      service: 'vault',
      method: call.method,
      path: redactText(`/v1${call.path}`, secrets),
      status: answer.status,
      body: redactText(error.message, secrets),
      hint: 'Vault answered with a shape drover does not understand; check VAULT_ADDR points at Vault and its version.',
    });
  }
}
