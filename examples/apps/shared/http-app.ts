/**
 * The request plumbing every example app shares: `/metrics`, `/ready`, `/healthz`, the chaos knob,
 * route matching and the request metrics. An app only lists its routes as pure functions from a
 * request to an {@link Answer}; `handle` can serve a plain `node:http` server or, in the drover
 * sandbox, a simulated instance's listener.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import type { Registry } from 'prom-client';
import { type Answer, text } from './answers.ts';
import { type Chaos, NO_CHAOS, createErrorSpreader } from './chaos.ts';
import { type Logger, SILENT_LOGGER } from './log.ts';
import { type HttpMetrics, OTHER_ROUTE, createHttpMetrics } from './metrics.ts';

export const METRICS_PATH = '/metrics';
export const READY_PATH = '/ready';
export const HEALTH_PATH = '/healthz';

/** A request as routes see it. */
export interface AppRequest {
  readonly method: string;
  readonly url: URL;
  /** The capture groups of a RegExp route path. */
  readonly params: readonly string[];
}

/** One route of an app; its `name` is the `route` label of its requests. */
export interface Route {
  readonly name: string;
  /** An exact path, or an anchored RegExp whose groups become `params`. */
  readonly path: string | RegExp;
  /** HEAD is allowed wherever GET is. @default ["GET"] */
  readonly methods?: readonly string[];
  /** Health routes are never slowed or failed by the chaos knob. */
  readonly health?: boolean;
  respond(request: AppRequest): Answer | Promise<Answer>;
}

/** A fault decided outside the app: waited, then answered instead of the route (when `answer`). */
export interface Fault {
  readonly latencyMs: number;
  readonly answer?: Answer;
}

export interface HandleOptions {
  /**
   * Replaces the chaos knob's decision for this request (the sandbox's scripted faults). It is
   * applied inside the instrumentation, so its status and latency are counted as the app's own.
   */
  readonly fault?: Fault;
}

/** Work besides answering requests (the worker's consumer), run while the app serves. */
export interface Background {
  start(): void;
  /** Stops taking new work and resolves once the work in progress is done. */
  stop(): Promise<void>;
  /** Abandons the work still in progress now (the shutdown's bound has passed). */
  cut(): void;
}

/** A running app, whatever listens for it. */
export interface ExampleApp {
  readonly name: string;
  handle(req: IncomingMessage, res: ServerResponse, options?: HandleOptions): Promise<void>;
  /** The app's own registry, served at `/metrics`. */
  readonly registry: Registry;
  /** `/ready` answers 200 only while ready: after start, until shutdown begins. */
  setReady(ready: boolean): void;
  isReady(): boolean;
  readonly background?: Background;
  /** Ends every latency wait (those requests are cut) and the background work now. */
  close(): void;
}

/** What a host may inject instead of the defaults. */
export interface AppDeps {
  /** Share one metrics object between apps on one instance (the sandbox). @default a new one */
  readonly metrics?: HttpMetrics;
  /** @default silent */
  readonly log?: Logger;
  /** Milliseconds, for request durations. @default performance.now */
  readonly now?: () => number;
}

export interface HttpAppOptions extends AppDeps {
  readonly name: string;
  readonly routes: readonly Route[];
  /** @default no chaos */
  readonly chaos?: Chaos;
  readonly background?: Background;
}

/** Builds an app from its routes, adding `/ready` and `/healthz`, and serving `/metrics`. */
export function createHttpApp(options: HttpAppOptions): ExampleApp {
  const metrics = options.metrics ?? createHttpMetrics();
  const log = options.log ?? SILENT_LOGGER;
  const now = options.now ?? (() => performance.now());
  const chaos = options.chaos ?? NO_CHAOS;
  const failNext = createErrorSpreader(chaos.errorRatio);
  const closing = new AbortController();
  let ready = false;
  const routes: readonly Route[] = [
    { name: 'healthz', path: HEALTH_PATH, health: true, respond: () => text(200, 'ok') },
    { name: 'ready', path: READY_PATH, health: true, respond: () => (ready ? text(200, 'ready') : text(503, 'not ready')) },
    ...options.routes,
  ];
  metrics.zero([...routes.map((r) => r.name), OTHER_ROUTE]);

  const chaosFault = (route: Route | undefined): Fault | undefined => {
    if (route?.health) return undefined;
    return failNext() ? { latencyMs: chaos.latencyMs, answer: text(503, 'example chaos: EXAMPLE_ERROR_RATIO') } : { latencyMs: chaos.latencyMs };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, handleOptions: HandleOptions = {}): Promise<void> => {
    req.resume(); // no route reads a body
    const url = new URL(req.url ?? '/', 'http://app');
    const method = (req.method ?? 'GET').toUpperCase();
    if (url.pathname === METRICS_PATH) return serveMetrics(metrics.registry, method, res);
    const started = now();
    const match = matchRoute(routes, url.pathname);
    const route = match?.route.name ?? OTHER_ROUTE;
    res.once('finish', () => metrics.observe({ route, method, code: res.statusCode, seconds: (now() - started) / 1000 }));
    // While not ready (shutting down), ask keep-alive clients to go elsewhere after this answer.
    if (!ready) res.setHeader('Connection', 'close');
    const fault = handleOptions.fault ?? chaosFault(match?.route);
    try {
      if (fault && fault.latencyMs > 0) {
        const waited = await delay(fault.latencyMs, undefined, { signal: closing.signal }).then(() => true, () => false);
        if (!waited) return void res.destroy();
      }
      const answer = fault?.answer ?? (match ? await respond(match.route, { method, url, params: match.params }) : text(404, 'not found'));
      send(res, method, answer);
    } catch (error) {
      log.error('request failed', { route, error: error instanceof Error ? error.message : String(error) });
      send(res, method, text(500, 'internal error'));
    }
  };

  return {
    name: options.name,
    handle,
    registry: metrics.registry,
    setReady: (value) => void (ready = value),
    isReady: () => ready,
    ...(options.background ? { background: options.background } : {}),
    close: () => {
      closing.abort();
      options.background?.cut();
    },
  };
}

/** The first route whose path matches, with its captures. */
export function matchRoute(routes: readonly Route[], path: string): { readonly route: Route; readonly params: readonly string[] } | undefined {
  for (const route of routes) {
    if (typeof route.path === 'string') {
      if (route.path === path) return { route, params: [] };
      continue;
    }
    const found = route.path.exec(path);
    if (found) return { route, params: found.slice(1).map((p) => safeDecode(p ?? '')) };
  }
  return undefined;
}

/** A malformed escape stays as sent, so a bad URL is a 404 of the route, never a thrown error. */
function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

function respond(route: Route, request: AppRequest): Answer | Promise<Answer> {
  const allowed = route.methods ?? ['GET'];
  const withHead = allowed.includes('GET') ? [...allowed, 'HEAD'] : allowed;
  if (!withHead.includes(request.method)) return text(405, 'method not allowed', { Allow: withHead.join(', ') });
  return route.respond(request);
}

async function serveMetrics(registry: Registry, method: string, res: ServerResponse): Promise<void> {
  if (method !== 'GET' && method !== 'HEAD') return send(res, method, text(405, 'method not allowed', { Allow: 'GET, HEAD' }));
  send(res, method, { status: 200, body: await registry.metrics(), contentType: registry.contentType });
}

function send(res: ServerResponse, method: string, answer: Answer): void {
  if (res.destroyed || res.headersSent) return;
  res.writeHead(answer.status, { ...answer.headers, 'Content-Type': answer.contentType, 'Content-Length': Buffer.byteLength(answer.body) });
  res.end(method === 'HEAD' ? undefined : answer.body);
}
