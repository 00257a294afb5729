/**
 * The simulated Fabio's proxy listener: looks the request up in the current table, picks a target
 * by weight with the sandbox's seeded generator, forwards it over real HTTP and records the real
 * status and latency. No route → 404 and `fabio_notfound`; target unreachable → 502, recorded.
 */
import { Agent, type IncomingMessage, type ServerResponse, request as httpRequest } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { SandboxRandom } from '../random.ts';
import type { FabioMetrics } from './metrics.ts';
import { type FabioRoute, lookupRoute, pickTarget, upstreamPath } from './route-table.ts';

/** Marks the simulator's own answers (404, 502), which real Fabio would not label. */
export const SIMULATED_FABIO_HEADER = 'X-Drover-Sandbox';

// RFC 9110 §7.6.1: connection-specific headers are not forwarded.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade']);

/** What the proxy needs. */
export interface ProxyDeps {
  readonly routes: () => readonly FabioRoute[];
  readonly random: SandboxRandom;
  readonly metrics: FabioMetrics;
  /** Pooled upstream connections; destroyed when Fabio closes. */
  readonly agent: Agent;
}

/** Creates the request handler of the proxy listener. */
export function createProxyHandler(deps: ProxyDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const started = performance.now();
    const url = new URL(req.url ?? '/', 'http://fabio');
    const host = req.headers.host ?? '';
    const route = lookupRoute(deps.routes(), host, url.pathname);
    const target = route && pickTarget(route, deps.random.next());
    if (!route || !target) {
      deps.metrics.recordNotFound();
      req.resume();
      return void res.writeHead(404, { 'Content-Length': 0, [SIMULATED_FABIO_HEADER]: 'simulated-fabio' }).end();
    }
    const record = (status: number): void =>
      deps.metrics.recordProxied({ service: target.service, host: route.host, path: route.path, target: target.url, status, seconds: (performance.now() - started) / 1000 });
    const upstream = new URL(target.url);
    const outgoing = httpRequest({
      agent: deps.agent,
      host: upstream.hostname,
      port: upstream.port,
      method: req.method,
      path: upstreamPath(target, `${url.pathname}${url.search}`),
      headers: forwardedHeaders(req),
    });
    outgoing.on('response', (answer) => {
      res.writeHead(answer.statusCode ?? 502, withoutHopByHop(answer.headers));
      answer.pipe(res);
      answer.on('end', () => record(answer.statusCode ?? 502));
      answer.on('error', () => res.destroy());
    });
    let clientGone = false;
    res.on('close', () => {
      if (res.writableFinished) return;
      clientGone = true;
      outgoing.destroy();
    });
    outgoing.on('error', () => {
      if (clientGone) return;
      record(502);
      if (res.headersSent) return void res.destroy();
      res.writeHead(502, { 'Content-Length': 0, [SIMULATED_FABIO_HEADER]: 'simulated-fabio' }).end();
    });
    req.pipe(outgoing);
  };
}

function forwardedHeaders(req: IncomingMessage): Record<string, string | string[]> {
  const headers = withoutHopByHop(req.headers);
  const client = req.socket.remoteAddress ?? '';
  const previous = req.headers['x-forwarded-for'];
  headers['x-forwarded-for'] = previous ? `${String(previous)}, ${client}` : client;
  headers['x-forwarded-host'] = req.headers.host ?? '';
  return headers;
}

function withoutHopByHop(headers: IncomingMessage['headers']): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined && !HOP_BY_HOP.has(name.toLowerCase())) out[name] = value;
  return out;
}
