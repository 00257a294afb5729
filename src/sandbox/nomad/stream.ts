import type { ServerResponse } from 'node:http';
import { type RouteRequest, type Router, sendText } from '../http.ts';
import type { FaultInjector } from '../faults.ts';
import type { SandboxClock } from '../types.ts';
import { inNamespace, requestNamespace } from './context.ts';
import type { EventBatch, EventBroker, StreamEvent } from './events.ts';

/** Heartbeat period of the event stream (sandbox time). */
const HEARTBEAT_MS = 30_000;

type TopicFilter = Map<string, Set<string>>;

/**
 * `GET /v1/event/stream`: NDJSON frames `{"Index":n,"Events":[…]}`, a `{}` heartbeat at once and
 * every 30 s, `topic=Topic[:key]` filters matching Key or FilterKeys, `index` resumes from the
 * broker's buffer. Fault rules of kind `stream-disconnect` cut streams after N frames.
 */
export class EventStreams {
  private readonly open = new Set<ServerResponse>();

  constructor(
    private readonly broker: EventBroker,
    private readonly clock: SandboxClock,
    private readonly faults: FaultInjector | undefined,
  ) {}

  /** Registers the route. */
  addRoute(router: Router): void {
    router.add(['GET'], '/v1/event/stream', (r) => this.serve(r, false));
  }

  /** Destroys every open stream's connection (admin "disconnect", reset, close). */
  disconnectAll(): void {
    for (const res of this.open) res.socket?.destroy();
    this.open.clear();
  }

  /**
   * Serves one stream. In 2.0.x the agent hijacks the connection and answers 200 before the
   * token is checked, so a denied token shows up as a stream that closes at once with no body.
   */
  serve(r: RouteRequest, denied: boolean): void {
    const rawIndex = r.url.searchParams.get('index') ?? '0';
    const index = Number(rawIndex);
    if (!/^\d+$/.test(rawIndex)) return sendText(r.res, 400, `Unable to parse index: strconv.ParseUint: parsing ${JSON.stringify(rawIndex)}: invalid syntax`);
    const topics = parseTopics(r.url.searchParams.getAll('topic'));
    if (typeof topics === 'string') return sendText(r.res, 400, topics);
    if (denied) {
      r.res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache', Connection: 'close' });
      return void r.res.end();
    }
    const namespace = requestNamespace(r.url);
    const limit = this.faults?.streamFrameLimit('nomad', r.url.pathname);
    const { res } = r;
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache' });
    res.write('{}\n');
    this.open.add(res);
    let frames = 0;
    const send = (batch: EventBatch): void => {
      const events = batch.events.filter((e) => matches(e, topics, namespace));
      if (events.length === 0 || res.destroyed || (limit !== undefined && frames >= limit)) return;
      const frame = `{"Index":${batch.index},"Events":[${events.map((e) => e.json).join(',')}]}\n`;
      // An injected disconnect cuts the connection once the frame is on the wire.
      if (limit !== undefined && ++frames >= limit) res.write(frame, () => res.socket?.destroy());
      else res.write(frame);
    };
    const { backlog, unsubscribe } = this.broker.subscribe(index, send);
    let cancelHeartbeat = (): void => {};
    const heartbeat = (): void => {
      if (!res.destroyed) res.write('{}\n');
      cancelHeartbeat = this.clock.setTimer(HEARTBEAT_MS, heartbeat);
    };
    cancelHeartbeat = this.clock.setTimer(HEARTBEAT_MS, heartbeat);
    res.once('close', () => {
      unsubscribe();
      cancelHeartbeat();
      this.open.delete(res);
    });
    if (limit === 0) return void res.socket?.destroy();
    for (const batch of backlog) send(batch);
  }
}

/** `topic=Deployment` ≡ `Deployment:*`; no topic = everything. */
function parseTopics(values: readonly string[]): TopicFilter | string {
  const filter: TopicFilter = new Map();
  if (values.length === 0) filter.set('*', new Set(['*']));
  for (const value of values) {
    const parts = value.split(':');
    if (parts.length > 2) return `Invalid topic query: ${value}`;
    const [topic, key = '*'] = parts as [string, string?];
    const keys = filter.get(topic) ?? new Set<string>();
    keys.add(key);
    filter.set(topic, keys);
  }
  return filter;
}

function matches(event: StreamEvent, topics: TopicFilter, namespace: string): boolean {
  if (event.namespace !== '' && !inNamespace(namespace, event.namespace)) return false;
  const keys = [topics.get('*'), topics.get(event.topic)].filter((k): k is Set<string> => !!k);
  return keys.some((set) => set.has('*') || set.has(event.key) || event.filterKeys.some((k) => set.has(k)));
}
