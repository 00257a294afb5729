/**
 * drover's Fabio client: the two reads of Fabio's UI listener (`ui.addr`, 9998) that tell whether
 * it is up and what it routes. Fabio has no authentication of its own; a proxy in front of it may
 * want a bearer token, which is redacted like every other.
 * @see https://fabiolb.net/ref/ui.addr/
 */
import type { FabioRoute } from '../../wire/cluster-agents.ts';
import { ApiError } from '../api-error.ts';
import type { TlsOptions } from '../http/agents.ts';
import { createAxiosInstance } from '../http/axios-instance.ts';
import { networkApiError } from '../http/network-error.ts';
import { withRetries } from '../http/retrying.ts';
import { list, num, obj, ShapeError, str, type Shape } from '../http/shape.ts';
import { redactText } from '../redact.ts';
import type { RetryListener, RetryPolicy } from '../retry.ts';

export interface FabioClientOptions extends TlsOptions {
  /** Base URL of the UI listener, e.g. `http://fabio.qa.internal:9998`. */
  readonly address: string;
  /** Sent as `Authorization: Bearer` (a proxy in front of the UI); never appears in errors. @default none */
  readonly token?: string;
  /** @default 10000 */
  readonly timeoutMs?: number;
  readonly retry?: RetryPolicy;
  readonly onRetry?: RetryListener;
}

export interface FabioCallOptions {
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
}

/** The Fabio reads drover makes. Every failure is an `ApiError` with `service: 'fabio'`. */
export interface FabioClient {
  /** `GET /health`: Fabio answers `OK` while it runs. */
  health(opts?: FabioCallOptions): Promise<string>;
  /** `GET /api/routes`: the routing table (Fabio sends `null` for an empty one → `[]`). */
  routes(opts?: FabioCallOptions): Promise<FabioRoute[]>;
  close(): void;
}

const route: Shape<FabioRoute> = obj({ service: str, host: str, path: str, dst: str, weight: num });

/** Creates a Fabio client; nothing is contacted until the first call. */
export function createFabioClient(options: FabioClientOptions): FabioClient {
  const secrets = options.token ? [options.token] : [];
  const { http, close } = createAxiosInstance({ ...options, headers: options.token ? { Authorization: `Bearer ${options.token}` } : {} });
  const get = (path: string, opts: FabioCallOptions): Promise<string> =>
    withRetries({ idempotent: true, method: 'GET', signal: opts.signal }, { policy: options.retry ?? {}, ...(options.onRetry ? { onRetry: options.onRetry } : {}) }, async () => {
      let response;
      try {
        response = await http.get(path, { timeout: opts.timeoutMs ?? options.timeoutMs ?? 10_000, ...(opts.signal ? { signal: opts.signal } : {}) });
      } catch (error) {
        if (opts.signal?.aborted) throw opts.signal.reason;
        throw networkApiError(error, { service: 'fabio', method: 'GET', path }, secrets);
      }
      const text = typeof response.data === 'string' ? response.data : '';
      if (response.status < 200 || response.status > 299) throw new ApiError({ service: 'fabio', method: 'GET', path, status: response.status, body: redactText(text, secrets) });
      return text;
    });
  return {
    health: async (opts = {}) => (await get('/health', opts)).trim(),
    routes: async (opts = {}) => {
      const text = await get('/api/routes', opts);
      try {
        return list(route)(JSON.parse(text) as unknown, 'response');
      } catch (error) {
        const detail = error instanceof ShapeError ? error.message : 'not JSON';
        throw new ApiError({ service: 'fabio', method: 'GET', path: '/api/routes', status: 200, body: redactText(detail, secrets), hint: 'Is the address Fabio\'s UI listener (ui.addr, 9998)?' });
      }
    },
    close,
  };
}
