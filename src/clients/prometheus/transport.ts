/**
 * The only file that sends Prometheus requests (axios, configured in ../http/axios-instance.ts). One GET: `Authorization: Bearer` when a token
 * is set, per-request timeout, AbortSignal, retries (every call is a read), JSON parsed here, and
 * every failure mapped to a redacted ApiError — Prometheus's `{status:"error", errorType, error}`
 * bodies become `body: "<errorType>: <error>"` with the HTTP status kept for branching.
 * @see https://prometheus.io/docs/prometheus/latest/querying/api/#format-overview
 */
import type { AxiosResponse } from 'axios';
import { ApiError } from '../api-error.ts';
import { createAxiosInstance } from '../http/axios-instance.ts';
import { networkApiError } from '../http/network-error.ts';
import { withRetries } from '../http/retrying.ts';
import { redactText } from '../redact.ts';
import { errorFields } from './narrow.ts';
import type { PrometheusClientOptions } from './types.ts';

/** One read as the client describes it. */
export interface PromCall {
  /** e.g. `/api/v1/query`. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal | undefined;
  readonly timeoutMs?: number | undefined;
}

/** A 2xx answer with its body parsed as JSON. */
export interface PromReply {
  readonly status: number;
  readonly body: unknown;
}

/** One Prometheus server as the client calls it. */
export interface PromTransport {
  get(call: PromCall): Promise<PromReply>;
  /** Path plus query for messages, secrets removed. */
  describe(call: PromCall): string;
  readonly secrets: readonly string[];
  close(): void;
}

/** Creates the transport; nothing is contacted until the first call. */
export function createPromTransport(options: PrometheusClientOptions & { readonly timeoutMs: number }): PromTransport {
  const secrets = options.token ? [options.token] : [];
  const { http, close } = createAxiosInstance({
    ...options,
    headers: { Accept: 'application/json', ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}) },
  });

  const describe = (call: PromCall): string => redactText(`${call.path}?${new URLSearchParams(call.query).toString()}`, secrets);

  const once = async (call: PromCall): Promise<AxiosResponse<unknown>> => {
    if (call.signal?.aborted) throw call.signal.reason;
    try {
      return await http.get(call.path, { params: call.query, timeout: call.timeoutMs ?? options.timeoutMs, ...(call.signal ? { signal: call.signal } : {}) });
    } catch (error) {
      if (call.signal?.aborted) throw call.signal.reason;
      throw networkApiError(error, { service: 'prometheus', method: 'GET', path: describe(call) }, secrets);
    }
  };

  const get = (call: PromCall): Promise<PromReply> =>
    withRetries({ idempotent: true, method: 'GET', signal: call.signal }, { policy: options.retry ?? {}, ...(options.onRetry ? { onRetry: options.onRetry } : {}) }, async () => {
      const response = await once(call);
      const text = typeof response.data === 'string' ? response.data : '';
      const body = parseJson(text);
      if (response.status >= 200 && response.status <= 299 && body.ok) return { status: response.status, body: body.value };
      throw failure(call, response.status, text, body.ok ? body.value : undefined);
    });

  const failure = (call: PromCall, status: number, text: string, body: unknown): ApiError => {
    const fields = errorFields(body);
    const init = { service: 'prometheus' as const, method: 'GET', path: describe(call), status };
    if (fields) return new ApiError({ ...init, body: redactText(`${fields.errorType}: ${fields.error}`, secrets), hint: hintFor(status, fields.errorType) });
    const hint = status >= 200 && status <= 299 ? 'Prometheus answered with something that is not JSON; does the address point at a Prometheus server?' : undefined;
    return new ApiError({ ...init, body: redactText(text, secrets), ...(hint ? { hint } : {}) });
  };

  return { get, describe, secrets, close };
}

function parseJson(text: string): { readonly ok: true; readonly value: unknown } | { readonly ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** What to do next, by Prometheus's error type (`bad_data` = the query or its parameters are invalid). */
function hintFor(status: number, errorType: string): string | undefined {
  if (errorType === 'bad_data') return 'The PromQL query or its parameters are invalid: fix the query (try it in the Prometheus UI) and retry.';
  if (errorType === 'execution') return 'Prometheus could not evaluate the query (e.g. too many samples or a type error): simplify it and retry.';
  if (errorType === 'timeout' || errorType === 'canceled') return 'Prometheus ran out of time: narrow the query (shorter range, fewer series) or raise its query timeout.';
  if (status === 401 || status === 403) return 'Check the Prometheus token (sent as a Bearer token) and the proxy in front of Prometheus.';
  return undefined;
}
