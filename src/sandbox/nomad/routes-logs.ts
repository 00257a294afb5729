import type { IncomingMessage, ServerResponse } from 'node:http';
import { type RouteRequest, type Router, parseBool, sendText } from '../http.ts';
import type { NomadContext } from './context.ts';
import { type LogBook, type LogType, logFileName } from './logs.ts';

/** Nomad's frame size: a frame carries at most 64 KiB of a file (client/fs_endpoint.go streamFrameSize). */
const FRAME_BYTES = 64 * 1024;
/** Nomad's stream heartbeat period (streamHeartbeatRate), on the wall clock like the agent's ticker. */
const HEARTBEAT_MS = 1000;

/** Options of {@link addLogRoutes}. */
export interface LogRouteOptions {
  readonly logs: LogBook;
  /** False for a token whose policy lacks `read-logs` (and `read-fs`) on the namespace. */
  readonly mayReadLogs: (req: IncomingMessage) => boolean;
}

/**
 * `GET /v1/client/fs/logs/:alloc` as a Nomad agent answers it (nomad.md §5; command/agent/
 * fs_endpoint.go, client/fs_endpoint.go): the query checked in the agent's order, then the
 * allocation (404), the token (403), the task (400 unknown, 404 not started). The body is JSON
 * frames written back to back without a separator: `{"Data":"<base64>","File":"alloc/logs/
 * <task>.<type>.0","Offset":<end>}` (keys sorted, as a real agent writes them) of at most 64 KiB each; with `follow=true` the connection stays
 * open, each write becomes a frame and `{}` heartbeats come every second. `plain=true` answers the
 * raw bytes.
 */
export class LogStreams {
  private readonly open = new Set<ServerResponse>();

  constructor(
    private readonly ctx: NomadContext,
    private readonly options: LogRouteOptions,
  ) {}

  addRoute(router: Router): void {
    router.add(['GET'], '/v1/client/fs/logs/:id', (r) => this.serve(r));
  }

  /** Cuts every open log stream (reset, close). */
  disconnectAll(): void {
    for (const res of this.open) res.socket?.destroy();
    this.open.clear();
  }

  private serve(r: RouteRequest): void {
    const query = parseQuery(r.url.searchParams);
    if (typeof query === 'string') return sendText(r.res, 400, query);
    const id = r.params.id ?? '';
    const alloc = this.ctx.rt.store.allocs.get(id);
    if (!alloc) return sendText(r.res, 404, `Unknown allocation ${JSON.stringify(id)}`);
    if (!this.options.mayReadLogs(r.req)) return sendText(r.res, 403, 'Permission denied');
    const state = alloc.TaskStates?.[query.task];
    if (!state) return sendText(r.res, 400, `unknown task name ${JSON.stringify(query.task)}`);
    if (!state.StartedAt) return sendText(r.res, 404, `task ${JSON.stringify(query.task)} not started yet. No logs available`);
    const log = this.options.logs.read(id, query.task, query.type);
    const from = query.origin === 'start' ? Math.min(query.offset, log.length) : Math.max(log.length - query.offset, 0);
    const file = logFileName(query.task, query.type);
    const { res } = r;
    res.writeHead(200, { 'Content-Type': query.plain ? 'text/plain' : 'application/json' });
    const send = (data: Buffer, end: number): void => {
      for (let at = 0; at < data.length; at += FRAME_BYTES) {
        const part = data.subarray(at, at + FRAME_BYTES);
        const frameEnd = end - data.length + at + part.length;
        // Keys in the order Nomad 2.0.5 writes them (its codec sorts them): Data, File, Offset.
        res.write(query.plain ? part : JSON.stringify({ Data: part.toString('base64'), File: file, Offset: frameEnd }));
      }
    };
    send(log.subarray(from), log.length);
    if (!query.follow) return void res.end();
    this.open.add(res);
    const unsubscribe = this.options.logs.subscribe(id, query.task, query.type, (data, size) => {
      if (!res.destroyed) send(data, size);
    });
    const heartbeat = setInterval(() => {
      if (!res.destroyed && !query.plain) res.write('{}');
    }, HEARTBEAT_MS);
    heartbeat.unref();
    res.once('close', () => {
      unsubscribe();
      clearInterval(heartbeat);
      this.open.delete(res);
    });
  }
}

interface LogQuery {
  readonly task: string;
  readonly type: LogType;
  readonly follow: boolean;
  readonly plain: boolean;
  readonly origin: 'start' | 'end';
  readonly offset: number;
}

/** The agent's checks, in its order, with its messages. */
function parseQuery(params: URLSearchParams): LogQuery | string {
  const task = params.get('task') ?? '';
  if (!task) return 'must provide task name';
  const follow = params.get('follow') ? parseBool(params.get('follow')) : false;
  if (follow === undefined) return `failed to parse follow field to boolean: strconv.ParseBool: parsing ${JSON.stringify(params.get('follow'))}: invalid syntax`;
  const plain = params.get('plain') ? parseBool(params.get('plain')) : false;
  if (plain === undefined) return `failed to parse plain field to boolean: strconv.ParseBool: parsing ${JSON.stringify(params.get('plain'))}: invalid syntax`;
  const type = params.get('type');
  if (type !== 'stdout' && type !== 'stderr') return 'must provide log type (stdout/stderr)';
  const rawOffset = params.get('offset') ?? '';
  if (rawOffset !== '' && !/^-?\d+$/.test(rawOffset)) return `error parsing offset: strconv.ParseInt: parsing ${JSON.stringify(rawOffset)}: invalid syntax`;
  const origin = params.get('origin') || 'start';
  if (origin !== 'start' && origin !== 'end') return 'origin must be start or end';
  return { task, type, follow, plain, origin, offset: Math.max(0, Number(rawOffset || 0)) };
}
