/**
 * The one axios configuration drover's HTTP clients share (Nomad, Prometheus). Bodies stay text:
 * each client parses them itself (Nomad losslessly, because axios's JSON.parse would round unix-nano
 * timestamps), and every status reaches the client's own error mapping.
 */
import axios, { type AxiosInstance } from 'axios';
import { createAgents, type TlsOptions } from './agents.ts';

export interface AxiosInstanceOptions extends TlsOptions {
  readonly address: string;
  /** Sent on every request (the service's auth header included). */
  readonly headers: Readonly<Record<string, string>>;
}

/** The instance and a `close()` that frees its keep-alive sockets. */
export function createAxiosInstance(options: AxiosInstanceOptions): { readonly http: AxiosInstance; close(): void } {
  const agents = createAgents(options);
  const http = axios.create({
    baseURL: options.address.replace(/\/+$/, ''),
    httpAgent: agents.httpAgent,
    httpsAgent: agents.httpsAgent,
    headers: { 'User-Agent': 'drover', ...options.headers },
    // A redirect would carry the token to wherever it points (follow-redirects strips only
    // Authorization and Cookie), and neither Nomad nor Prometheus redirects API calls.
    maxRedirects: 0,
    // Proxies come from the environment, which only cli/ reads; an https.Agent can tunnel if needed.
    proxy: false,
    validateStatus: () => true,
    transformResponse: [(data: unknown) => data],
    transitional: { clarifyTimeoutError: true },
  });
  return { http, close: () => agents.destroy() };
}
