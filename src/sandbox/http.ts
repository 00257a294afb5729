import type { IncomingMessage, ServerResponse } from 'node:http';
import { toJson } from './json.ts';

/** One request as a route handler sees it. */
export interface RouteRequest {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  readonly body: Buffer;
  readonly params: Readonly<Record<string, string>>;
}

/** Answers one route; may stay open (event stream) by not ending `res`. */
export type RouteHandler = (request: RouteRequest) => void | Promise<void>;

interface Route {
  readonly methods: ReadonlySet<string>;
  readonly segments: readonly string[];
  readonly handler: RouteHandler;
}

/** Result of matching a path: a handler, a known path with the wrong method, or nothing. */
export type RouteMatch =
  | { readonly kind: 'found'; readonly handler: RouteHandler; readonly params: Record<string, string> }
  | { readonly kind: 'method-not-allowed' }
  | { readonly kind: 'not-found' };

/**
 * Minimal path router: `/v1/job/:id/plan` style patterns, exact segment count, literal segments
 * win over parameters when both match (so `/v1/jobs/parse` never reaches `/v1/jobs/:x`).
 */
export class Router {
  private readonly routes: Route[] = [];

  /** Registers `handler` for `methods` on `pattern`. */
  add(methods: readonly string[], pattern: string, handler: RouteHandler): this {
    this.routes.push({ methods: new Set(methods), segments: split(pattern), handler });
    return this;
  }

  /** Finds the best route for `method` and `path`. */
  match(method: string, path: string): RouteMatch {
    const segments = split(path);
    let pathKnown = false;
    let best: { route: Route; params: Record<string, string>; literals: number } | undefined;
    for (const route of this.routes) {
      const params = matchSegments(route.segments, segments);
      if (!params) continue;
      pathKnown = true;
      if (!route.methods.has(method)) continue;
      const literals = route.segments.filter((s) => !s.startsWith(':')).length;
      if (!best || literals > best.literals) best = { route, params, literals };
    }
    if (best) return { kind: 'found', handler: best.route.handler, params: best.params };
    return pathKnown ? { kind: 'method-not-allowed' } : { kind: 'not-found' };
  }
}

function split(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

function matchSegments(pattern: readonly string[], actual: readonly string[]): Record<string, string> | undefined {
  if (pattern.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    const a = actual[i]!;
    if (p.startsWith(':')) params[p.slice(1)] = decodeURIComponent(a);
    else if (p !== a) return undefined;
  }
  return params;
}

/** Writes a JSON response (bigint-safe); `indent` for `?pretty`. */
export function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}, indent = ''): void {
  const body = toJson(value, indent);
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** Writes a plain-text error the way Go's `http.Error` does for Nomad and Consul. */
export function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** Reads a whole request body. */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Parses a JSON body, or says why it cannot (the message mimics Go's decoder errors). */
export function parseJsonBody(body: Buffer): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(body.toString('utf8')) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** A plain JSON object, or undefined. */
export function asObject(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/**
 * Reads a field the way Go's encoding/json does: keys match case-insensitively (exact match
 * first), so `{"jobmodifyindex": 3}` fills `JobModifyIndex`.
 */
export function field(object: Record<string, unknown> | undefined, name: string): unknown {
  if (!object) return undefined;
  if (name in object) return object[name];
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(object)) if (key.toLowerCase() === lower) return value;
  return undefined;
}

/** Go's strconv.ParseBool as query parsers use it. */
export function parseBool(value: string | null): boolean | undefined {
  if (value === null) return undefined;
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(value)) return false;
  return undefined;
}
