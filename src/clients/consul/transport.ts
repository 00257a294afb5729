/**
 * One request through node-consul: per-request timeout, AbortSignal, `X-Consul-Index`, capped
 * retries for reads, and every failure mapped to a redacted ApiError.
 */
import { IncomingMessage } from 'node:http';
import { ExitCode } from '../../errors.ts';
import { ApiError } from '../api-error.ts';
import { redactText } from '../redact.ts';
import { backoffDelay, isRetryable, sleep, type RetryListener, type RetryPolicy } from '../retry.ts';
import { RequestContext, type CallOptions } from './package.ts';

/** What one call sends, described for errors and retry events (never carries the token). */
export interface CallSpec {
  readonly method: 'GET' | 'PUT' | 'DELETE';
  /** Request path for messages, e.g. `/v1/kv/app/config`. */
  readonly path: string;
  /** Treat `404` as an answer (`status: 404`, no body) instead of an error: Consul KV reads. */
  readonly notFoundIsAnswer?: boolean;
  /** Extra time on top of the timeout: a blocking query's `wait` plus Consul's wait/16 jitter. */
  readonly extraTimeoutMs?: number;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/** A decoded answer: status, body as papi decoded it (JSON, text or undefined), X-Consul-Index. */
export interface Answer {
  readonly status: number;
  readonly body: unknown;
  /** `X-Consul-Index`, 0 when absent (writes do not send it). */
  readonly index: number;
}

/** Settings shared by all calls of one client. */
export interface TransportSettings {
  readonly timeoutMs: number;
  readonly retry: RetryPolicy;
  readonly onRetry?: RetryListener;
  /** Values to scrub from anything that leaves the client: the token. */
  readonly secrets: readonly string[];
}

/** Runs `invoke` (one node-consul call); reads are retried, writes are tried exactly once. */
export async function send(
  spec: CallSpec,
  settings: TransportSettings,
  invoke: (opts: CallOptions) => Promise<unknown>,
): Promise<Answer> {
  const retries = spec.method === 'GET' ? (settings.retry.retries ?? 3) : 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return await once(spec, settings, invoke);
    } catch (error) {
      if (!(error instanceof ApiError) || attempt > retries || !isRetryable(error)) throw error;
      const delayMs = backoffDelay(attempt, settings.retry);
      settings.onRetry?.({ type: 'retry', service: 'consul', method: spec.method, path: error.path, attempt: attempt + 1, delayMs, error });
      await sleep(delayMs, spec.signal);
    }
  }
}

async function once(spec: CallSpec, settings: TransportSettings, invoke: (opts: CallOptions) => Promise<unknown>): Promise<Answer> {
  const { signal } = spec;
  if (signal?.aborted) throw signal.reason;
  const ctx = new RequestContext();
  const cancel = (): void => void ctx.emit('cancel');
  signal?.addEventListener('abort', cancel, { once: true });
  try {
    return unpack(await invoke({ ctx, timeout: (spec.timeoutMs ?? settings.timeoutMs) + (spec.extraTimeoutMs ?? 0) }));
  } catch (error) {
    // An aborted call ends with the caller's own reason, as fetch() and timers/promises do.
    if (signal?.aborted) throw signal.reason;
    const response = responseOf(error);
    if (response?.statusCode === 404 && spec.notFoundIsAnswer) return { status: 404, body: undefined, index: indexOf(response) };
    throw toApiError(error, spec, settings.secrets);
  } finally {
    signal?.removeEventListener('abort', cancel);
  }
}

/** With `ctx.includeResponse`, node-consul resolves `[response, body]`; papi's bare `_get` resolves the response. */
function unpack(result: unknown): Answer {
  const [response, body] = Array.isArray(result) ? [result[0], result[1]] : [result, undefined];
  if (!(response instanceof IncomingMessage)) return { status: 200, body, index: 0 };
  const rawBody = Array.isArray(result) ? body : (response as IncomingMessage & { body?: unknown }).body;
  return { status: response.statusCode ?? 200, body: rawBody, index: indexOf(response) };
}

function indexOf(response: IncomingMessage): number {
  const header = response.headers['x-consul-index'];
  const index = Number(Array.isArray(header) ? header[0] : header);
  return Number.isSafeInteger(index) && index > 0 ? index : 0;
}

/** papi's ResponseError keeps the IncomingMessage (whose `req` holds our headers, token included). */
function responseOf(error: unknown): (IncomingMessage & { body?: unknown }) | undefined {
  if (typeof error !== 'object' || error === null || !('response' in error)) return undefined;
  return error.response instanceof IncomingMessage ? error.response : undefined;
}

/**
 * Maps papi/node errors onto ApiError. The original error is never kept as `cause`: through
 * `response.req` it reaches the request headers, so printing it would print the token.
 */
export function toApiError(error: unknown, spec: CallSpec, secrets: readonly string[]): ApiError {
  const base = { service: 'consul' as const, method: spec.method, path: redactText(spec.path, secrets) };
  const response = responseOf(error);
  if (response) {
    return new ApiError({ ...base, status: response.statusCode, body: redactText(bodyText(response.body), secrets) });
  }
  const message = redactText(error instanceof Error ? error.message : String(error), secrets);
  const code = codeOf(error);
  const cause = Object.assign(new Error(message), { code });
  if (code === 'EINVALID') {
    // node-consul refused the call before sending it (e.g. an empty key): a bug in drover.
    return new ApiError({ ...base, status: undefined, code, cause, hint: `Not sent: ${message}. This is a drover bug.` }, ExitCode.internal);
  }
  return new ApiError({ ...base, status: undefined, code, cause });
}

function codeOf(error: unknown): string {
  if (typeof error !== 'object' || error === null) return 'EUNEXPECTED';
  // papi's TimeoutError carries no code; the socket timeout and the absolute timer both land here.
  if ('isTimeout' in error && error.isTimeout === true) return 'ETIMEDOUT';
  if ('isValidation' in error && error.isValidation === true) return 'EINVALID';
  if ('code' in error && typeof error.code === 'string') return error.code;
  return 'EUNEXPECTED';
}

function bodyText(body: unknown): string {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  if (Buffer.isBuffer(body)) return body.toString('utf8');
  return JSON.stringify(body);
}
