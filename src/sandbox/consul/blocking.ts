/**
 * Consul's blocking queries (agent/consul/rpc.go `blockingQuery` + agent/http.go `parseWait`):
 * `?index=N&wait=D` holds the request until the query's own index exceeds N or `wait` elapses
 * (default 5m, capped at 10m), then answers 200 either way with the current state. Timers run on
 * the sandbox clock. Consul adds up to wait/16 of random jitter; the sandbox does not, so tests stay
 * deterministic.
 * @see https://developer.hashicorp.com/consul/api-docs/features/blocking
 */
import type { ServerResponse } from 'node:http';
import type { SandboxClock } from '../types.ts';
import { nanosToMillis, parseGoDuration } from './duration.ts';
import { send, text, withHeaders, type Reply } from './http.ts';
import type { Raft, RaftChange } from './raft.ts';

const DEFAULT_WAIT_MS = 5 * 60_000;
const MAX_WAIT_MS = 10 * 60_000;

/** One evaluation of a read. */
export interface QueryResult {
  /** The query's index (table, key or service index); answered as `X-Consul-Index`, floor 1. */
  readonly index: number;
  readonly reply: Reply;
  /** Errors answer at once and carry their own headers (or none, as KV errors do). */
  readonly final?: boolean;
  /**
   * Which writes wake the blocked read (Consul's memdb watch set); by default every write, which
   * is exact whenever the query's index only moves with what it watches.
   */
  readonly wakes?: (change: RaftChange) => boolean;
}

/** What the runner needs from the service. */
export interface BlockingDeps {
  readonly raft: Raft;
  readonly clock: SandboxClock;
  /** Open blocked requests, answered when the service closes. */
  readonly pending: Set<() => void>;
}

/** `X-Consul-*` meta headers of a successful read. Catalog and health reads also report consistency. */
export function metaHeaders(index: number, options: { readonly consistency?: boolean; readonly knownLeader?: boolean } = {}): Record<string, string> {
  return {
    'X-Consul-Index': String(Math.max(1, index)),
    'X-Consul-Knownleader': String(options.knownLeader ?? true),
    'X-Consul-Lastcontact': '0',
    ...(options.consistency ? { 'X-Consul-Effective-Consistency': 'leader' } : {}),
  };
}

/**
 * The meta headers of a failed catalog/health/session read: those handlers `defer setMeta` on an
 * empty QueryMeta, so a real agent answers `X-Consul-Index: 1` and `X-Consul-Knownleader: false`.
 */
export function errorMetaHeaders(): Record<string, string> {
  return metaHeaders(1, { knownLeader: false });
}

type QueryOptions = { readonly index: number; readonly waitMs: number } | { readonly error: string };

/** Parses `index`, `wait` and the consistency flags with Consul's 400 messages. */
export function parseQueryOptions(url: URL): QueryOptions {
  const params = url.searchParams;
  if (params.has('stale') && params.has('consistent')) return { error: 'Cannot specify ?stale with ?consistent, conflicting semantics.' };
  let waitMs = DEFAULT_WAIT_MS;
  const wait = params.get('wait');
  if (wait !== null && wait !== '') {
    const parsed = parseGoDuration(wait);
    if ('error' in parsed) return { error: 'Invalid wait time' };
    waitMs = Math.min(MAX_WAIT_MS, nanosToMillis(parsed.ns));
  }
  const index = params.get('index');
  if (index === null || index === '') return { index: 0, waitMs };
  if (!/^[0-9]+$/.test(index)) return { error: 'Invalid index' };
  return { index: Number(index), waitMs };
}

/**
 * Answers a read, blocking when asked to. `run` is re-evaluated after every write it watches; the
 * request is answered as soon as its index passes the client's, or at the deadline with the last
 * evaluation.
 */
export function answerBlocking(deps: BlockingDeps, res: ServerResponse, url: URL, run: () => QueryResult, consistency = false): void {
  const options = parseQueryOptions(url);
  if ('error' in options) return send(res, text(400, options.error));
  const finish = (result: QueryResult): Reply =>
    result.final ? result.reply : withHeaders(result.reply, metaHeaders(result.index, { consistency }));
  const first = run();
  if (first.final || options.index === 0 || first.index > options.index) return send(res, finish(first));

  let done = false;
  const stop = (): void => {
    done = true;
    unsubscribe();
    cancelTimer();
    deps.pending.delete(answerNow);
  };
  const answer = (result: QueryResult): void => {
    if (done) return;
    stop();
    send(res, finish(result));
  };
  // At the deadline Consul answers its last evaluation without re-running the query, so writes
  // the read does not watch stay invisible in a timed-out answer.
  let latest = first;
  const answerNow = (): void => answer(latest);
  const unsubscribe = deps.raft.subscribe((change) => {
    if (latest.wakes && !latest.wakes(change)) return;
    latest = run();
    if (latest.final || latest.index > options.index) answer(latest);
  });
  const cancelTimer = deps.clock.setTimer(options.waitMs, answerNow);
  deps.pending.add(answerNow);
  res.once('close', () => {
    if (!done) stop();
  });
}
