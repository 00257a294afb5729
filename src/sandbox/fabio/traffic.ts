/**
 * Synthetic traffic: real HTTP requests through the simulated Fabio at a steady rate per route, so
 * Prometheus sees per-route traffic when nobody browses. Cheap on purpose: one 100 ms tick for all
 * routes (only while some route has traffic) and a cap on requests in flight.
 */
import { Agent, request as httpRequest } from 'node:http';
import { performance } from 'node:perf_hooks';

/** A route to send traffic to: `{ host?, path }`. */
export interface TrafficRoute {
  /** The Host header; absent = the proxy's own address (only host-less routes match). */
  readonly host?: string;
  readonly path: string;
}

/** How much traffic. */
export interface TrafficRate {
  /** Requests per second; 0 stops the route's traffic. At most {@link MAX_RPS}. */
  readonly rps: number;
}

/** A route with traffic, as listed. */
export interface TrafficStream extends TrafficRoute {
  readonly rps: number;
  readonly sent: number;
  /** Requests skipped because too many were still in flight. */
  readonly skipped: number;
}

export const MAX_RPS = 1000;
const TICK_MS = 100;
/** Longest stretch one tick makes up for, so a stalled event loop does not end in a burst. */
const MAX_CATCH_UP_MS = 1_000;
const MAX_IN_FLIGHT = 64;
const REQUEST_TIMEOUT_MS = 10_000;

interface Stream {
  readonly route: TrafficRoute;
  rps: number;
  owed: number;
  sent: number;
  skipped: number;
}

/**
 * Reads a route as a URL (`http://shop.example.com/api`), a urlprefix-style source
 * (`shop.example.com/api`, `/api`) or an object. Throws RangeError when it is none of them.
 */
export function toTrafficRoute(route: string | TrafficRoute): TrafficRoute {
  if (typeof route !== 'string') {
    if (typeof route.path !== 'string' || !route.path.startsWith('/')) throw new RangeError(`traffic path "${String(route.path)}" must start with "/"`);
    return route.host ? { host: route.host, path: route.path } : { path: route.path };
  }
  if (/^https?:\/\//.test(route)) {
    const url = new URL(route);
    return { host: url.host, path: `${url.pathname}${url.search}` };
  }
  if (route.startsWith('/')) return { path: route };
  const slash = route.indexOf('/');
  if (slash <= 0) throw new RangeError(`traffic route "${route}" is not a URL, host/path or /path`);
  return { host: route.slice(0, slash), path: route.slice(slash) };
}

/** The generator of one sandbox, sending to the proxy at `proxyPort`. */
export class TrafficGenerator {
  private readonly streams = new Map<string, Stream>();
  private readonly agent = new Agent({ keepAlive: true, maxSockets: MAX_IN_FLIGHT });
  private timer: NodeJS.Timeout | undefined;
  private lastTick = 0;
  private inFlight = 0;
  private behind = false;

  constructor(
    private readonly proxyPort: number,
    private readonly onProblem: (message: string) => void,
  ) {}

  /** Starts, changes or (rps 0) stops the traffic of one route; applies from the next tick. */
  set(route: string | TrafficRoute, rate: TrafficRate): void {
    const target = toTrafficRoute(route);
    if (!Number.isFinite(rate.rps) || rate.rps < 0 || rate.rps > MAX_RPS) throw new RangeError(`rps must be between 0 and ${MAX_RPS}, got ${rate.rps}`);
    const key = `${target.host ?? ''}${target.path}`;
    if (rate.rps === 0) this.streams.delete(key);
    else {
      const stream = this.streams.get(key);
      if (stream) stream.rps = rate.rps;
      else this.streams.set(key, { route: target, rps: rate.rps, owed: 0, sent: 0, skipped: 0 });
    }
    this.arm();
  }

  /** Routes with traffic. */
  list(): TrafficStream[] {
    return [...this.streams.values()].map((s) => ({ ...s.route, rps: s.rps, sent: s.sent, skipped: s.skipped }));
  }

  /** Stops every stream. */
  clear(): void {
    this.streams.clear();
    this.arm();
  }

  /** Stops everything and drops requests in flight. */
  close(): void {
    this.clear();
    this.agent.destroy();
  }

  private arm(): void {
    if (this.streams.size > 0 && !this.timer) {
      this.lastTick = performance.now();
      this.timer = setInterval(() => this.tick(), TICK_MS);
    }
    if (this.streams.size === 0 && this.timer) this.timer = void clearInterval(this.timer);
  }

  private tick(): void {
    // Owed requests follow elapsed time, not the tick count: a busy machine delays ticks, and the
    // rate Prometheus computes must still be the one asked for.
    const now = performance.now();
    const elapsedMs = Math.min(MAX_CATCH_UP_MS, now - this.lastTick);
    this.lastTick = now;
    for (const stream of this.streams.values()) {
      stream.owed += (stream.rps * elapsedMs) / 1000;
      const due = Math.floor(stream.owed);
      stream.owed -= due;
      for (let i = 0; i < due; i++) this.send(stream);
    }
  }

  private send(stream: Stream): void {
    if (this.inFlight >= MAX_IN_FLIGHT) {
      stream.skipped++;
      if (!this.behind) this.onProblem(`traffic generator behind: ${MAX_IN_FLIGHT} requests in flight; skipping requests until some finish`);
      this.behind = true;
      return;
    }
    this.behind = false;
    this.inFlight++;
    stream.sent++;
    const headers = stream.route.host ? { host: stream.route.host } : {};
    const outgoing = httpRequest({ agent: this.agent, host: '127.0.0.1', port: this.proxyPort, path: stream.route.path, headers, timeout: REQUEST_TIMEOUT_MS });
    // A client request closes once its response is read or its connection failed; errors are the
    // proxy's business (recorded as 502 there), so they are not reported here.
    outgoing.on('response', (answer) => answer.resume());
    outgoing.on('timeout', () => outgoing.destroy());
    outgoing.on('error', () => {});
    outgoing.once('close', () => this.inFlight--);
    outgoing.end();
  }
}
