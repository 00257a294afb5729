/**
 * The only file that sends Nomad requests (axios, configured in ../http/axios-instance.ts). One request: `?namespace=`/`?region=` on every
 * call, `X-Nomad-Token` header, per-request timeout (plus the blocking `wait`), AbortSignal,
 * retries for GETs only, lossless JSON parsing, and every failure mapped to a redacted ApiError.
 * @see https://developer.hashicorp.com/nomad/api-docs
 */
import type { Readable } from 'node:stream';
import type { AxiosResponse } from 'axios';
import { ApiError } from '../api-error.ts';
import type { TlsOptions } from '../http/agents.ts';
import { createAxiosInstance } from '../http/axios-instance.ts';
import { blockingWait } from '../http/go-duration.ts';
import { parseLosslessJson } from '../http/lossless-json.ts';
import { networkApiError } from '../http/network-error.ts';
import { withRetries } from '../http/retrying.ts';
import { redactText } from '../redact.ts';
import type { RetryListener, RetryPolicy } from '../retry.ts';
import { checkIndexConflict } from './check-index.ts';
import { forwardedDenial } from './forwarded-denial.ts';

/** Query values; arrays repeat the key (`topic=Job&topic=Deployment`), `undefined` is left out. */
export type Query = Readonly<Record<string, string | number | boolean | readonly string[] | undefined>>;

/** One request as the resource groups describe it. */
export interface NomadCall {
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** e.g. `/v1/job/api`, segments already encoded. */
  readonly path: string;
  readonly query?: Query;
  readonly body?: unknown;
  /** A blocking read: Nomad holds the request until its index passes `index` or `wait` elapses. */
  readonly index?: number;
  readonly wait?: string;
  readonly signal?: AbortSignal | undefined;
  readonly timeoutMs?: number | undefined;
}

/** A successful answer: body parsed losslessly, `X-Nomad-Index` (0 when absent). */
export interface NomadAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly index: number;
}

export interface NomadTransportOptions extends TlsOptions {
  readonly address: string;
  readonly token?: string | undefined;
  readonly namespace?: string | undefined;
  readonly region?: string | undefined;
  readonly timeoutMs: number;
  readonly retry: RetryPolicy;
  readonly onRetry?: RetryListener | undefined;
}

export interface NomadTransport {
  call(call: NomadCall): Promise<NomadAnswer>;
  /** Opens a streaming GET (the event stream); a non-2xx answer is read whole and thrown as ApiError. */
  stream(call: NomadCall): Promise<Readable>;
  /** Path plus query for messages, secrets removed. */
  describe(call: NomadCall): string;
  /** Values scrubbed from everything that leaves the client. */
  readonly secrets: readonly string[];
  close(): void;
}

/** Nomad clamps blocking waits to 5 minutes in code (`MaxBlockingRPCQueryTime`); its docs wrongly say 10. */
const MAX_WAIT_MS = 5 * 60_000;

/** Creates the transport; nothing is contacted until the first call. */
export function createNomadTransport(options: NomadTransportOptions): NomadTransport {
  const secrets = options.token ? [options.token] : [];
  const { http, close } = createAxiosInstance({ ...options, headers: options.token ? { 'X-Nomad-Token': options.token } : {} });

  const describe = (call: NomadCall): string => {
    const query = queryString(call, options).toString();
    return redactText(`${call.path}${query ? `?${query}` : ''}`, secrets);
  };

  const once = async (call: NomadCall, responseType: 'text' | 'stream'): Promise<AxiosResponse<unknown>> => {
    const blocking = call.index !== undefined && call.index > 0 ? blockingWait(call.wait, MAX_WAIT_MS, MAX_WAIT_MS) : undefined;
    const query = queryString(call, options, blocking?.wait);
    if (call.signal?.aborted) throw call.signal.reason;
    try {
      return await http.request({
        method: call.method,
        url: call.path,
        params: query,
        responseType,
        timeout: (call.timeoutMs ?? options.timeoutMs) + (blocking?.holdMs ?? 0),
        ...(call.signal ? { signal: call.signal } : {}),
        ...(call.body === undefined ? {} : { data: JSON.stringify(call.body) }),
        headers: {
          ...(call.body === undefined ? {} : { 'Content-Type': 'application/json' }),
          // A gzip stream would hold heartbeats in the compressor's buffer.
          ...(responseType === 'stream' ? { 'Accept-Encoding': 'identity' } : {}),
        },
      });
    } catch (error) {
      // An aborted call ends with the caller's own reason, as fetch() and timers/promises do.
      if (call.signal?.aborted) throw call.signal.reason;
      throw networkApiError(error, { service: 'nomad', method: call.method, path: describe(call) }, secrets);
    }
  };

  const failure = (call: NomadCall, status: number, text: string): ApiError => {
    const init = { service: 'nomad' as const, method: call.method, path: describe(call), status, body: redactText(text, secrets) };
    // A forwarded refusal becomes the 403 it is before the retry loop sees a (retryable) 500.
    const denied = forwardedDenial(init);
    if (denied) return new ApiError(denied);
    return checkIndexConflict(init) ?? new ApiError(init);
  };

  const call = (request: NomadCall): Promise<NomadAnswer> =>
    withRetries({ idempotent: request.method === 'GET', method: request.method, signal: request.signal }, { policy: options.retry, onRetry: options.onRetry }, async () => {
      const response = await once(request, 'text');
      const text = typeof response.data === 'string' ? response.data : '';
      if (response.status < 200 || response.status > 299) throw failure(request, response.status, text);
      return { status: response.status, body: parseBody(request, response.status, text), index: indexOf(response) };
    });

  const parseBody = (request: NomadCall, status: number, text: string): unknown => {
    try {
      return parseLosslessJson(text);
    } catch {
      throw new ApiError({
        service: 'nomad', method: request.method, path: describe(request), status, body: redactText(text, secrets),
        hint: 'Nomad answered with something that is not JSON; is NOMAD_ADDR pointing at a Nomad agent?',
      });
    }
  };

  const stream = async (request: NomadCall): Promise<Readable> => {
    const response = await once(request, 'stream');
    const body = response.data as Readable;
    if (response.status >= 200 && response.status <= 299) return body;
    const text = await readAll(body).catch(() => '');
    throw failure(request, response.status, text);
  };

  return { call, stream, describe, secrets, close };
}

function queryString(call: NomadCall, options: NomadTransportOptions, wait?: string): URLSearchParams {
  const params = new URLSearchParams();
  // Every call names its namespace and region, so nothing depends on the agent's defaults.
  const defaults: Query = { namespace: options.namespace, region: options.region };
  const blocking: Query = wait ? { index: call.index, wait } : {};
  for (const [key, value] of Object.entries({ ...defaults, ...call.query, ...blocking })) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) params.append(key, String(item));
  }
  return params;
}

function indexOf(response: AxiosResponse<unknown>): number {
  const index = Number(response.headers['x-nomad-index']);
  return Number.isSafeInteger(index) && index > 0 ? index : 0;
}

async function readAll(body: Readable, limit = 64 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    chunks.push(buffer);
    size += buffer.length;
    if (size > limit) break;
  }
  body.destroy();
  return Buffer.concat(chunks).toString('utf8');
}
