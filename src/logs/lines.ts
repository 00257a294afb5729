/**
 * Bytes of one log into lines. Frames split lines (and multi-byte characters) anywhere; a line is
 * given out once its newline arrives, so lines of different allocations interleave whole. Pure.
 */
import { StringDecoder } from 'node:string_decoder';
import { redactText } from '../clients/redact.ts';

/** Longest partial line held while waiting for its newline; past this it is given out as it is. */
export const MAX_PENDING_CHARS = 64 * 1024;

/** Splits one log's bytes into lines. */
export interface LineSplitter {
  /** Feeds bytes; returns the lines they completed, without `\n` or `\r\n`. */
  push(data: Buffer): string[];
  /** The partial last line, if any (the stream ended, or a stop was reported); clears it. */
  flush(): string[];
}

export function createLineSplitter(): LineSplitter {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  return {
    push: (data) => {
      const parts = (pending + decoder.write(data)).split('\n');
      pending = parts.pop() ?? '';
      if (pending.length > MAX_PENDING_CHARS) parts.push(pending), (pending = '');
      return parts.map(trimCarriageReturn);
    },
    flush: () => {
      const rest = pending + decoder.end();
      pending = '';
      return rest === '' ? [] : [trimCarriageReturn(rest)];
    },
  };
}

/**
 * The last `count` lines of a log's tail and how many bytes of it they and the lines before them
 * span up to the last newline (`completeBytes`): where to continue reading without repeating or
 * cutting a line. A partial last line is left for the follow to deliver whole.
 */
export function lastLines(data: Buffer, count: number, options: { readonly includePartial?: boolean } = {}): { lines: string[]; completeBytes: number; complete: number } {
  const lastNewline = data.lastIndexOf(0x0a);
  const completeBytes = lastNewline + 1;
  const complete = data.subarray(0, completeBytes).toString('utf8').split('\n').slice(0, -1).map(trimCarriageReturn);
  const partial = options.includePartial && completeBytes < data.length ? [trimCarriageReturn(data.subarray(completeBytes).toString('utf8'))] : [];
  const all = [...complete, ...partial];
  return { lines: count <= 0 ? [] : all.slice(-count), completeBytes, complete: complete.length };
}

/**
 * What a line may show: known secret values and token headers removed (the same redaction as every
 * client error), at most `maxChars` characters (the rest counted, not shown).
 */
export function boundLine(line: string, secrets: readonly string[], maxChars = Number.POSITIVE_INFINITY): string {
  const clean = redactText(line, secrets);
  return clean.length > maxChars ? `${clean.slice(0, maxChars)}… (${clean.length - maxChars} more chars)` : clean;
}

function trimCarriageReturn(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
