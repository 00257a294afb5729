/**
 * Nomad's event stream (`GET /v1/event/stream`): NDJSON, one `{"Index", "Events"}` batch per
 * line, `{}` heartbeats (the first one immediately on connect, then every 30 s). Nomad 2.0 writes
 * the body close-delimited over a hijacked connection, so the stream simply ends when the server
 * closes it; a token the topics refuse shows up as a stream that closes before its first
 * heartbeat, not as a 403.
 * @see https://developer.hashicorp.com/nomad/api-docs/events
 */
import type { Readable } from 'node:stream';
import type { NomadEvent } from '../../wire/nomad-api.ts';
import { ApiError } from '../api-error.ts';
import { createNdjsonFramer } from '../http/ndjson.ts';
import { networkApiError } from '../http/network-error.ts';
import { watchedChunks } from '../http/watched-stream.ts';
import { parseLosslessJson } from '../http/lossless-json.ts';
import { list, num, obj, record, ShapeError, type Shape } from '../http/shape.ts';
import { redactText } from '../redact.ts';
import { event } from './shapes.ts';
import type { NomadCall, NomadTransport } from './transport.ts';

/** One subscription: a topic (`Deployment`, `Allocation`, `Evaluation`, `Job`, …) and optionally a key (an ID; `*` = all). */
export interface EventTopic {
  readonly topic: string;
  readonly key?: string;
}

/** `events.stream` options. */
export interface EventStreamOptions {
  /** Subscriptions; no topic means all topics, which needs a management token. */
  readonly topics: readonly EventTopic[];
  /**
   * Start at the first buffered batch with this Raft index or later; too old → the oldest one
   * Nomad still buffers, past the newest → the newest one again. @default 0 (everything Nomad still buffers, up to `event_buffer_size` batches)
   */
  readonly index?: number;
  /** Overrides the client's namespace for this stream; `*` = all namespaces. */
  readonly namespace?: string;
  readonly signal?: AbortSignal;
  /** Timeout until the response headers arrive. @default the client's timeoutMs */
  readonly timeoutMs?: number;
  /** Fail with `code: 'ETIMEDOUT'` when nothing, not even a heartbeat, arrives for this long; 0 disables. @default 75000 (two missed heartbeats) */
  readonly heartbeatTimeoutMs?: number;
}

/** What the stream yields: a batch of events (all with the same Raft index), or a heartbeat that proves the connection alive. */
export type NomadEventStreamItem =
  | { readonly type: 'events'; readonly index: number; readonly events: readonly NomadEvent[] }
  | { readonly type: 'heartbeat' };

/** Iterate with `for await`; `break` closes the connection. Aborting `signal` rejects with its reason. */
export type NomadEventStream = AsyncIterable<NomadEventStreamItem>;

const DEFAULT_HEARTBEAT_TIMEOUT_MS = 75_000;

const batch: Shape<{ Index: number; Events: NomadEvent[] }> = obj({ Index: num, Events: list(event) });

/**
 * Parses one NDJSON line of the stream. `{}` is a heartbeat. Throws `SyntaxError` or `ShapeError`
 * for a line that is not a batch.
 */
export function parseEventLine(line: string): NomadEventStreamItem {
  const value = parseLosslessJson(line);
  if (Object.keys(record(value, 'event stream line')).length === 0) return { type: 'heartbeat' };
  const { Index, Events } = batch(value, 'event stream line');
  return { type: 'events', index: Index, events: Events };
}

/** Opens the stream; see `NomadClient.events.stream`. */
export async function* openEventStream(transport: NomadTransport, opts: EventStreamOptions): AsyncGenerator<NomadEventStreamItem, void, undefined> {
  const call: NomadCall = {
    method: 'GET',
    path: '/v1/event/stream',
    query: {
      topic: opts.topics.map(({ topic, key }) => (key === undefined ? topic : `${topic}:${key}`)),
      ...(opts.index !== undefined && opts.index > 0 ? { index: opts.index } : {}),
      ...(opts.namespace !== undefined ? { namespace: opts.namespace } : {}),
    },
    signal: opts.signal,
    timeoutMs: opts.timeoutMs,
  };
  const body = await transport.stream(call);
  let lines = 0;
  for await (const item of readEventBody(body, call, transport, opts)) {
    lines++;
    yield item;
  }
  if (lines === 0) {
    throw new ApiError({
      service: 'nomad', method: 'GET', path: transport.describe(call), status: 200, code: 'EEMPTYSTREAM',
      hint: 'Nomad closed the event stream before its first heartbeat. Nomad 2.0 refuses a token this way: it needs read-job on the namespace (a management token when no topic is given).',
    });
  }
}

async function* readEventBody(body: Readable, call: NomadCall, transport: NomadTransport, opts: EventStreamOptions): AsyncGenerator<NomadEventStreamItem> {
  const framer = createNdjsonFramer();
  const stallMs = opts.heartbeatTimeoutMs ?? DEFAULT_HEARTBEAT_TIMEOUT_MS;
  const chunks = watchedChunks(body, {
    stallMs,
    ...(opts.signal ? { signal: opts.signal } : {}),
    stalled: () => stallError(call, transport, stallMs),
    failed: (error) => networkApiError(error, { service: 'nomad', method: 'GET', path: transport.describe(call) }, transport.secrets),
  });
  for await (const chunk of chunks) {
    for (const line of framer.push(chunk)) yield parseOrFail(line, call, transport);
  }
  for (const line of framer.end()) yield parseOrFail(line, call, transport);
}

function parseOrFail(line: string, call: NomadCall, transport: NomadTransport): NomadEventStreamItem {
  try {
    return parseEventLine(line);
  } catch (error) {
    if (!(error instanceof ShapeError) && !(error instanceof SyntaxError)) throw error;
    throw new ApiError({
      service: 'nomad', method: 'GET', path: transport.describe(call), status: 200,
      body: redactText(`${error.message}: ${line}`, transport.secrets),
      hint: 'Nomad sent an event-stream line drover does not understand; check the Nomad version.',
    });
  }
}

function stallError(call: NomadCall, transport: NomadTransport, stallMs: number): ApiError {
  return new ApiError({
    service: 'nomad', method: 'GET', path: transport.describe(call), status: undefined, code: 'ETIMEDOUT',
    hint: `No event or heartbeat for ${stallMs} ms (Nomad sends one every 30 s); the connection is presumed dead.`,
  });
}
