/**
 * Follows one task's stdout or stderr: Nomad's log stream with `follow=true`, its lines given out
 * whole as they arrive, reconnecting after a dropped connection from the byte it got to.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiError } from '../clients/api-error.ts';
import type { NomadClient } from '../clients/nomad/index.ts';
import { createLineSplitter } from './lines.ts';

/** Where to start reading: a byte offset from the start of the log, or its current end. */
export type FollowFrom = { readonly origin: 'start'; readonly offset: number } | { readonly origin: 'end' };

/** Options of {@link followLog}. */
export interface FollowOptions {
  readonly nomad: Pick<NomadClient, 'allocations'>;
  readonly allocId: string;
  readonly task: string;
  readonly type: 'stdout' | 'stderr';
  readonly from: FollowFrom;
  /** Ends the follow (Ctrl-C, or the allocation stopped and its last lines were read). */
  readonly signal: AbortSignal;
  readonly onLine: (line: string) => void;
  /** Reconnecting, or given up: said to the person following. */
  readonly onNote: (message: string) => void;
  /** Consecutive failed connections before giving up on this log. @default 5 */
  readonly retries?: number;
}

/**
 * Streams until `signal` aborts (resolves), the log is gone (404, `file deleted`: resolves after
 * a note) or reconnecting failed `retries` times in a row (resolves after a note). A refusal (403)
 * rejects: it is the same for every allocation and needs the person to act.
 */
export async function followLog(options: FollowOptions): Promise<void> {
  const splitter = createLineSplitter();
  let from = options.from;
  // Bytes from the start of the log, while the start point was known (offset from `start`).
  let position = from.origin === 'start' ? from.offset : undefined;
  let failures = 0;
  const retries = options.retries ?? 5;
  try {
    for (;;) {
      try {
        const stream = await options.nomad.allocations.logs(options.allocId, {
          task: options.task, type: options.type, follow: true, signal: options.signal,
          ...(from.origin === 'start' ? { origin: 'start', offset: from.offset } : { origin: 'end', offset: 0 }),
        });
        for await (const frame of stream) {
          if (frame.kind === 'heartbeat') continue;
          failures = 0;
          if (frame.kind === 'file-event') {
            if (frame.event === 'file deleted') return options.onNote('its log file was deleted (allocation garbage-collected); no more lines');
            continue;
          }
          if (position !== undefined) position += frame.data.length;
          for (const line of splitter.push(frame.data)) options.onLine(line);
        }
        // A clean end of a follow stream: the agent closed it (restart, or the allocation is gone).
        throw new ApiError({ service: 'nomad', method: 'GET', path: `/v1/client/fs/logs/${options.allocId}`, status: undefined, code: 'ECLOSED' });
      } catch (error) {
        if (options.signal.aborted) return;
        if (!(error instanceof ApiError)) throw error;
        if (error.status === 404) return options.onNote(`its logs are gone (${error.body || 'not found'}); no more lines`);
        if (error.status !== undefined && error.status < 500) throw error;
        if (++failures > retries) return options.onNote(`gave up after ${retries} failed reconnects (${error.message})`);
        from = position === undefined ? { origin: 'end' } : { origin: 'start', offset: position };
        options.onNote(`log stream lost (${error.code ?? `HTTP ${error.status}`}); reconnecting${position === undefined ? ' at the end of the log: lines written meanwhile are not shown' : ` at byte ${position}`}`);
        await sleep(Math.min(5000, 250 * 2 ** failures), undefined, { signal: options.signal }).catch(() => undefined);
        if (options.signal.aborted) return;
      }
    }
  } finally {
    for (const line of splitter.flush()) options.onLine(line);
  }
}
