/**
 * Response and request helpers shaped like Consul's HTTP layer (agent/http.go): JSON answers,
 * `text/plain` error bodies without a trailing newline, `Vary: Accept-Encoding` on everything the
 * agent's gzip handler wraps, and Go's query-string conventions (`?recurse` is a flag, values are
 * re-encoded sorted by key in "Conflicting flags" messages).
 */
import type { ServerResponse } from 'node:http';

/** A complete answer, written in one go. */
export interface Reply {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
}

/** A JSON answer (compact; a dev agent pretty-prints, which no client can observe through a parser). */
export function json(value: unknown, status = 200): Reply {
  return { status, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(value) };
}

/** Consul's error bodies are plain text, exactly the Go error string. */
export function text(status: number, message: string): Reply {
  return { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: message };
}

/** An empty body (404 for a missing key, 200 for agent writes). */
export function empty(status: number): Reply {
  return { status, body: '' };
}

/** Adds headers to a reply. */
export function withHeaders(reply: Reply, headers: Readonly<Record<string, string>>): Reply {
  return { ...reply, headers: { ...reply.headers, ...headers } };
}

/** Writes `reply` unless the client has gone. */
export function send(res: ServerResponse, reply: Reply): void {
  if (res.headersSent || res.destroyed || res.writableEnded) return;
  const body = reply.body ?? '';
  res.writeHead(reply.status, { Vary: 'Accept-Encoding', ...reply.headers, 'Content-Length': String(Buffer.byteLength(body)) });
  res.end(body);
}

/** `405 method X not allowed` with the `Allow` header Consul's mux computes. */
export function methodNotAllowed(method: string, allowed: readonly string[]): Reply {
  return withHeaders(text(405, `method ${method} not allowed`), { Allow: ['OPTIONS', ...allowed].join(',') });
}

/** `?recurse` and `?recurse=anything` both count; Consul only checks presence. */
export function hasFlag(url: URL, name: string): boolean {
  return url.searchParams.has(name);
}

/** Parses a uint64 query value the way Go's strconv.ParseUint does, with its error text. */
export function parseUint(raw: string): number | { readonly error: string } {
  if (/^[0-9]+$/.test(raw)) return Number(raw);
  return { error: `strconv.ParseUint: parsing ${goQuote(raw)}: invalid syntax` };
}

/** Go's `url.Values.Encode()`: keys sorted, every value escaped with `url.QueryEscape`. */
export function encodeGoQuery(params: URLSearchParams): string {
  const keys = [...new Set(params.keys())].sort();
  return keys.flatMap((key) => params.getAll(key).map((value) => `${goQueryEscape(key)}=${goQueryEscape(value)}`)).join('&');
}

function goQueryEscape(value: string): string {
  return encodeURIComponent(value)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/** Go's `strconv.Quote` for the ASCII cases Consul's messages contain. */
export function goQuote(value: string): string {
  return JSON.stringify(value);
}

/** The ACL token of a request: `X-Consul-Token`, `Authorization: Bearer`, or the deprecated `?token=`. */
export function requestToken(headers: Readonly<Record<string, string | string[] | undefined>>, url: URL): string | undefined {
  const header = headers['x-consul-token'];
  if (typeof header === 'string' && header !== '') return header;
  const authorization = headers['authorization'];
  if (typeof authorization === 'string' && authorization.startsWith('Bearer ')) return authorization.slice('Bearer '.length).trim();
  return url.searchParams.get('token') ?? undefined;
}

/** The path after `prefix`, percent-decoded as Go's `r.URL.Path` is; `undefined` if it does not start with `prefix`. */
export function pathAfter(url: URL, prefix: string): string | undefined {
  if (!url.pathname.startsWith(prefix)) return undefined;
  try {
    return decodeURIComponent(url.pathname.slice(prefix.length));
  } catch {
    return url.pathname.slice(prefix.length);
  }
}
