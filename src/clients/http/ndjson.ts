/**
 * Framing of newline-delimited JSON (NDJSON) as streamed by Nomad's event stream: one JSON
 * document per `\n`-terminated line. Chunks from the socket split lines (and multi-byte UTF-8
 * characters) anywhere, so bytes are decoded incrementally and a partial line is held until its
 * newline arrives. Pure: no I/O, unit-tested with hand-made chunks.
 * @see https://developer.hashicorp.com/nomad/api-docs/events#event-stream
 */
import { StringDecoder } from 'node:string_decoder';

/** Turns arbitrary chunks into complete lines. */
export interface NdjsonFramer {
  /** Feeds one chunk; returns the lines it completed (without `\n` / `\r\n`, blank lines dropped). */
  push(chunk: Buffer | string): string[];
  /**
   * Ends the input; returns the last line if the stream closed without a final newline. A
   * close-delimited body (Nomad 2.0 hijacks the connection) may end that way.
   */
  end(): string[];
  /** Characters held while waiting for a newline; a guard against a peer that never sends one. */
  readonly pendingLength: number;
}

/** Creates a framer. `maxLineChars` bounds memory when a peer never sends a newline. */
export function createNdjsonFramer(options: { readonly maxLineChars?: number } = {}): NdjsonFramer {
  const maxLineChars = options.maxLineChars ?? 64 * 1024 * 1024;
  const decoder = new StringDecoder('utf8');
  let pending = '';

  const split = (text: string): string[] => {
    // A large document arrives in many chunks: only re-split when this chunk ends a line.
    const parts = text.includes('\n') ? (pending + text).split('\n') : [pending + text];
    pending = parts.pop() ?? '';
    if (pending.length > maxLineChars) {
      throw new RangeError(`NDJSON line longer than ${maxLineChars} characters without a newline`);
    }
    return parts.map(trimCarriageReturn).filter((line) => line.trim() !== '');
  };

  return {
    push: (chunk) => split(typeof chunk === 'string' ? chunk : decoder.write(chunk)),
    end: () => {
      const lines = split(decoder.end());
      const last = trimCarriageReturn(pending);
      pending = '';
      return last.trim() === '' ? lines : [...lines, last];
    },
    get pendingLength() {
      return pending.length;
    },
  };
}

function trimCarriageReturn(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
