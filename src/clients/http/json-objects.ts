/**
 * Framing of a stream of JSON objects written back to back with no separator, as Nomad's client
 * filesystem endpoints stream their frames (`{"Data":…}{"Data":…}{}`): Nomad encodes each
 * frame with its JSON codec, which writes no newline between documents. Chunks split objects (and
 * multi-byte characters) anywhere, so bytes are decoded incrementally and an object is complete
 * when its outermost brace closes outside a string. Pure: no I/O, unit-tested with hand-made chunks.
 */
import { StringDecoder } from 'node:string_decoder';

/** Turns arbitrary chunks into the text of complete top-level objects. */
export interface JsonObjectFramer {
  /** Feeds one chunk; returns the objects it completed, as text (whitespace between them dropped). */
  push(chunk: Buffer | string): string[];
  /** Characters of an object still waiting for its closing brace. */
  readonly pendingLength: number;
}

/** Creates a framer. `maxObjectChars` bounds memory when a peer never closes an object. */
export function createJsonObjectFramer(options: { readonly maxObjectChars?: number } = {}): JsonObjectFramer {
  const maxObjectChars = options.maxObjectChars ?? 16 * 1024 * 1024;
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let depth = 0;
  let inString = false;
  let escaped = false;
  // Where scanning resumes in `pending`: characters before it were already looked at.
  let scanned = 0;

  const scan = (): string[] => {
    const done: string[] = [];
    let start = 0;
    for (let i = scanned; i < pending.length; i++) {
      const c = pending[i];
      if (inString) {
        if (escaped) escaped = false;
        else if (c === '\\') escaped = true;
        else if (c === '"') inString = false;
        continue;
      }
      if (c === '"') inString = true;
      else if (c === '{') {
        if (depth === 0) start = i;
        depth++;
      } else if (c === '}') {
        depth--;
        if (depth === 0) done.push(pending.slice(start, i + 1)), (start = i + 1);
        if (depth < 0) throw new SyntaxError(`unbalanced "}" in a JSON object stream near: ${pending.slice(Math.max(0, i - 40), i + 1)}`);
      } else if (depth === 0 && !/\s/.test(c ?? '')) {
        throw new SyntaxError(`expected a JSON object in the stream, got ${JSON.stringify(pending.slice(i, i + 40))}`);
      }
    }
    pending = depth === 0 ? '' : pending.slice(start);
    scanned = pending.length;
    if (pending.length > maxObjectChars) throw new RangeError(`JSON object longer than ${maxObjectChars} characters in the stream`);
    return done;
  };

  return {
    push: (chunk) => {
      pending += typeof chunk === 'string' ? chunk : decoder.write(chunk);
      return scan();
    },
    get pendingLength() {
      return pending.length;
    },
  };
}
