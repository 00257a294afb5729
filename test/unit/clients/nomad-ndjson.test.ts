import { describe, expect, it } from 'vitest';
import { createNdjsonFramer } from '../../../src/clients/http/ndjson.ts';
import { ShapeError } from '../../../src/clients/http/shape.ts';
import { parseEventLine } from '../../../src/clients/nomad/index.ts';

const BATCH = '{"Index":7,"Events":[{"Topic":"Deployment","Type":"PlanResult","Key":"d1","Namespace":"default","FilterKeys":["web"],"Index":7,"Payload":{"Deployment":{"ID":"d1","JobID":"web","Status":"running","CreateTime":1717171717123456789}}}]}';

/** Feeds `text` split at every given offset, then ends. */
function frame(text: string | Buffer, cuts: readonly number[]): string[] {
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text);
  const framer = createNdjsonFramer();
  const lines: string[] = [];
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    lines.push(...framer.push(bytes.subarray(from, cut)));
    from = cut;
  }
  return [...lines, ...framer.end()];
}

describe('createNdjsonFramer', () => {
  it('yields the same lines wherever the chunks are cut', () => {
    const text = `{}\n${BATCH}\n{}\n`;
    const expected = ['{}', BATCH, '{}'];
    for (let cut = 0; cut <= text.length; cut++) expect(frame(text, [cut])).toEqual(expected);
    expect(frame(text, Array.from({ length: text.length }, (_, i) => i))).toEqual(expected); // one byte at a time
  });

  it('reassembles multi-byte UTF-8 characters split across chunks', () => {
    const text = Buffer.from('{"Message":"héllo ✓ 🚀"}\n');
    const emoji = text.indexOf(Buffer.from('🚀'));
    expect(frame(text, [emoji + 1, emoji + 2, emoji + 3])).toEqual(['{"Message":"héllo ✓ 🚀"}']);
  });

  it('returns a last line without newline at the end (close-delimited body) and drops blank lines and \\r', () => {
    expect(frame('{}\r\n\n\n{"Index":1,"Events":[]}', [3])).toEqual(['{}', '{"Index":1,"Events":[]}']);
  });

  it('holds a partial line until its newline arrives', () => {
    const framer = createNdjsonFramer();
    expect(framer.push('{"Index":')).toEqual([]);
    expect(framer.pendingLength).toBe(9);
    expect(framer.push('1,"Events":[]}\n{')).toEqual(['{"Index":1,"Events":[]}']);
    expect(framer.end()).toEqual(['{']);
  });

  it('refuses to buffer without bound when a peer never sends a newline', () => {
    const framer = createNdjsonFramer({ maxLineChars: 10 });
    expect(() => framer.push('x'.repeat(11))).toThrow(RangeError);
  });
});

describe('parseEventLine', () => {
  it('reads {} as a heartbeat', () => {
    expect(parseEventLine('{}')).toEqual({ type: 'heartbeat' });
  });

  it('reads a batch with its events, keeping unix-nano times exact', () => {
    const item = parseEventLine(BATCH);
    expect(item.type).toBe('events');
    if (item.type !== 'events') return;
    expect(item.index).toBe(7);
    const [event] = item.events;
    expect(event).toMatchObject({ Topic: 'Deployment', Type: 'PlanResult', Key: 'd1', FilterKeys: ['web'], Index: 7 });
    expect(event?.Payload.Deployment).toMatchObject({ ID: 'd1', Status: 'running', CreateTime: '1717171717123456789', TaskGroups: {} });
  });

  it('keeps only the payload keys of watched topics', () => {
    const item = parseEventLine('{"Index":3,"Events":[{"Topic":"Node","Type":"NodeRegistration","Key":"n1","Index":3,"Payload":{"Node":{"ID":"n1"}}}]}');
    expect(item).toEqual({ type: 'events', index: 3, events: [{ Topic: 'Node', Type: 'NodeRegistration', Key: 'n1', Namespace: '', FilterKeys: [], Index: 3, Payload: {} }] });
  });

  it('rejects lines that are not batches', () => {
    expect(() => parseEventLine('[1,2]')).toThrow(ShapeError);
    expect(() => parseEventLine('{"Index":"x","Events":[]}')).toThrow(ShapeError);
    expect(() => parseEventLine('{"Index":1,')).toThrow(SyntaxError);
  });
});
