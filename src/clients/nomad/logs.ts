/**
 * An allocation's task logs through Nomad's client filesystem API (`GET /v1/client/fs/logs/:alloc`).
 * Any agent answers: a server forwards the stream to the client running the allocation. The body
 * is a stream of JSON frames written back to back (no newline), keys sorted as Nomad 2.0.5's codec
 * writes them: `{"Data":"<base64>","File":"alloc/logs/api.stdout.0","Offset":n}`,
 * `{"File":…,"FileEvent":"file truncated","Offset":n}`, and `{}` heartbeats (every second). Nomad's logs carry no timestamps: the bytes are what the task wrote.
 * @see https://developer.hashicorp.com/nomad/api-docs/client#stream-logs
 */
import type { Readable } from 'node:stream';
import { ApiError } from '../api-error.ts';
import { createJsonObjectFramer } from '../http/json-objects.ts';
import { networkApiError } from '../http/network-error.ts';
import { watchedChunks } from '../http/watched-stream.ts';
import { num, obj, record, ShapeError, str } from '../http/shape.ts';
import { redactText } from '../redact.ts';
import type { NomadCall, NomadTransport } from './transport.ts';

/** `allocations.logs` options. */
export interface LogsOptions {
  readonly task: string;
  readonly type: 'stdout' | 'stderr';
  /** Keep the connection open and stream what the task writes next. @default false */
  readonly follow?: boolean;
  /** `end`: `offset` counts back from the end of the newest log file. @default 'start' */
  readonly origin?: 'start' | 'end';
  /** Bytes from `origin`; from `start` it walks forward across the rotated files (`.0`, `.1`, …). @default 0 */
  readonly offset?: number;
  readonly signal?: AbortSignal;
  /** Until the response headers arrive. @default the client's timeoutMs */
  readonly timeoutMs?: number;
  /** Fail with `ETIMEDOUT` when nothing, not even a heartbeat (Nomad sends one a second), arrives for this long; 0 disables. @default 30000 */
  readonly stallTimeoutMs?: number;
}

/**
 * One frame. `offset` is where Nomad's reader was in `file` after the first read that went into
 * the frame (Nomad merges reads made within 200 ms into one frame, keeping the first one's offset),
 * so it is no exact position of the frame's end; count bytes to resume.
 */
export type NomadLogFrame =
  | { readonly kind: 'data'; readonly file: string; readonly offset: number; readonly data: Buffer }
  /** `file deleted` (the stream ends after it) or `file truncated` (reading restarts at 0). */
  | { readonly kind: 'file-event'; readonly file: string; readonly event: string; readonly offset: number }
  | { readonly kind: 'heartbeat' };

/** Iterate with `for await`; `break` or aborting the signal closes the connection. */
export type NomadLogStream = AsyncIterable<NomadLogFrame>;

const DEFAULT_STALL_MS = 30_000;

const frameShape = obj<{ Offset: number; Data: string; File: string; FileEvent: string }>({ Offset: num, Data: str, File: str, FileEvent: str });

/** Parses one frame's JSON text; `{}` is a heartbeat. Throws `SyntaxError` or `ShapeError` for anything else. */
export function parseLogFrame(text: string): NomadLogFrame {
  const value: unknown = JSON.parse(text);
  if (Object.keys(record(value, 'log frame')).length === 0) return { kind: 'heartbeat' };
  const { Offset, Data, File, FileEvent } = frameShape(value, 'log frame');
  if (FileEvent) return { kind: 'file-event', file: File, event: FileEvent, offset: Offset };
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(Data)) throw new ShapeError('log frame.Data is not base64');
  return { kind: 'data', file: File, offset: Offset, data: Buffer.from(Data, 'base64') };
}

/**
 * Opens the stream; resolves once Nomad answered, so a refusal (403, 404 unknown allocation or
 * task not started) rejects here. A server forwarding the request answers a token without
 * `read-logs` with 500 `Permission denied` (it passes no code along); the transport turns that
 * into the 403 the client itself would send (forwarded-denial.ts).
 */
export async function openLogs(transport: NomadTransport, allocId: string, opts: LogsOptions): Promise<NomadLogStream> {
  const call: NomadCall = {
    method: 'GET',
    path: `/v1/client/fs/logs/${encodeURIComponent(allocId)}`,
    query: {
      task: opts.task,
      type: opts.type,
      follow: opts.follow ?? false,
      origin: opts.origin ?? 'start',
      offset: Math.max(0, Math.floor(opts.offset ?? 0)),
      plain: false,
    },
    signal: opts.signal,
    timeoutMs: opts.timeoutMs,
  };
  const body = await transport.stream(call);
  return readFrames(body, call, transport, opts);
}

async function* readFrames(body: Readable, call: NomadCall, transport: NomadTransport, opts: LogsOptions): AsyncGenerator<NomadLogFrame> {
  const framer = createJsonObjectFramer();
  const stallMs = opts.stallTimeoutMs ?? DEFAULT_STALL_MS;
  const chunks = watchedChunks(body, {
    stallMs,
    ...(opts.signal ? { signal: opts.signal } : {}),
    stalled: () =>
      new ApiError({
        service: 'nomad', method: 'GET', path: transport.describe(call), status: undefined, code: 'ETIMEDOUT',
        hint: `Nothing from Nomad's log stream for ${stallMs} ms (it sends a heartbeat every second); the connection is presumed dead.`,
      }),
    failed: (error) => networkApiError(error, { service: 'nomad', method: 'GET', path: transport.describe(call) }, transport.secrets),
  });
  for await (const chunk of chunks) {
    for (const text of pushOrFail(framer, chunk, call, transport)) yield parseOrFail(text, call, transport);
  }
}

function pushOrFail(framer: ReturnType<typeof createJsonObjectFramer>, chunk: Buffer | string, call: NomadCall, transport: NomadTransport): string[] {
  try {
    return framer.push(chunk);
  } catch (error) {
    throw unreadable(error, call, transport);
  }
}

function parseOrFail(text: string, call: NomadCall, transport: NomadTransport): NomadLogFrame {
  try {
    return parseLogFrame(text);
  } catch (error) {
    throw unreadable(error, call, transport);
  }
}

function unreadable(error: unknown, call: NomadCall, transport: NomadTransport): ApiError {
  return new ApiError({
    service: 'nomad', method: 'GET', path: transport.describe(call), status: 200,
    body: redactText(error instanceof Error ? error.message : String(error), transport.secrets).slice(0, 300),
    hint: 'Nomad sent a log frame drover does not understand; check the Nomad version.',
  });
}
