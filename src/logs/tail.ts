/**
 * The last lines of a task's log. Nomad's API counts in bytes from the start or the end of the
 * log, not in lines, so the tail is read from the end with a growing window until it holds enough
 * lines or the whole log.
 */
import type { NomadClient } from '../clients/nomad/index.ts';
import { lastLines } from './lines.ts';

/** Largest window read from the end of a log for a tail. */
export const MAX_TAIL_BYTES = 8 * 1024 * 1024;

/** A tail read. */
export interface LogTail {
  /** At most the asked number of lines, oldest first (a partial last line left out). */
  readonly lines: string[];
  /** The window held the whole log: `nextOffset` then counts from its start. */
  readonly whole: boolean;
  /** From the start of the log (when `whole`): where the first line not shown begins. */
  readonly nextOffset: number;
}

/** Reads a tail of `count` lines of one task's stdout or stderr (no follow). */
export async function readTail(
  nomad: Pick<NomadClient, 'allocations'>,
  source: { readonly allocId: string; readonly task: string; readonly type: 'stdout' | 'stderr' },
  count: number,
  signal: AbortSignal,
): Promise<LogTail> {
  let window = Math.min(MAX_TAIL_BYTES, Math.max(16 * 1024, count * 200));
  for (;;) {
    const data = await readAll(nomad, source, window, signal);
    const whole = data.length < window;
    // A window that did not hold the whole log starts inside a line: that line is not shown.
    const usable = whole ? data : data.subarray(data.indexOf(0x0a) + 1);
    const tail = lastLines(usable, count);
    if (whole || tail.complete >= count || window >= MAX_TAIL_BYTES) {
      return { lines: tail.lines, whole, nextOffset: whole ? tail.completeBytes : 0 };
    }
    window = Math.min(MAX_TAIL_BYTES, window * 4);
  }
}

async function readAll(nomad: Pick<NomadClient, 'allocations'>, source: { readonly allocId: string; readonly task: string; readonly type: 'stdout' | 'stderr' }, window: number, signal: AbortSignal): Promise<Buffer> {
  const stream = await nomad.allocations.logs(source.allocId, { task: source.task, type: source.type, origin: 'end', offset: window, signal });
  const parts: Buffer[] = [];
  for await (const frame of stream) {
    if (frame.kind === 'data') parts.push(frame.data);
    // Truncated while read: what came before is no longer the log.
    if (frame.kind === 'file-event' && frame.event === 'file truncated') parts.length = 0;
  }
  return Buffer.concat(parts);
}
