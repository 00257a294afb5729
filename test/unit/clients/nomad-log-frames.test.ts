import { describe, expect, it } from 'vitest';
import { createJsonObjectFramer } from '../../../src/clients/http/json-objects.ts';
import { ShapeError } from '../../../src/clients/http/shape.ts';
import { parseLogFrame } from '../../../src/clients/nomad/logs.ts';

// Frames as Nomad 2.0.5 writes them (seen on a real agent: test/integration/logs-real.test.ts): keys
// sorted, no separator between documents.
const DATA = `{"Data":"${Buffer.from('hello\nwor').toString('base64')}","File":"alloc/logs/api.stdout.0","Offset":12}`;
const MORE = `{"Data":"${Buffer.from('ld\n"}{').toString('base64')}","File":"alloc/logs/api.stdout.0","Offset":16}`;
const TRUNCATED = '{"File":"alloc/logs/api.stdout.0","FileEvent":"file truncated"}';

describe('JSON object framing of Nomad log streams', () => {
  it('splits frames written back to back, with heartbeats in between', () => {
    const framer = createJsonObjectFramer();
    expect(framer.push(`${DATA}{}${MORE}`)).toEqual([DATA, '{}', MORE]);
    expect(framer.pendingLength).toBe(0);
  });

  it('holds a frame split anywhere, even inside a string holding braces and escaped quotes, until it closes', () => {
    const tricky = '{"Data":"","File":"a\\"}{b","FileEvent":"x"}';
    const whole = `${DATA}${tricky}${TRUNCATED}`;
    for (let cut = 1; cut < whole.length; cut += 7) {
      const framer = createJsonObjectFramer();
      const out = [...framer.push(whole.slice(0, cut)), ...framer.push(whole.slice(cut))];
      expect(out).toEqual([DATA, tricky, TRUNCATED]);
    }
  });

  it('keeps a multi-byte character split across chunks whole', () => {
    const frame = '{"File":"ü"}';
    const bytes = Buffer.from(frame);
    const at = bytes.indexOf(0xc3) + 1;
    const framer = createJsonObjectFramer();
    expect([...framer.push(bytes.subarray(0, at)), ...framer.push(bytes.subarray(at))]).toEqual([frame]);
  });

  it('refuses text that is not a stream of objects', () => {
    expect(() => createJsonObjectFramer().push('Permission denied')).toThrow(SyntaxError);
    expect(() => createJsonObjectFramer().push('{}}')).toThrow(SyntaxError);
  });
});

describe('parseLogFrame', () => {
  it('decodes base64 data with its file and offset', () => {
    const frame = parseLogFrame(DATA);
    expect(frame).toMatchObject({ kind: 'data', file: 'alloc/logs/api.stdout.0', offset: 12 });
    expect(frame.kind === 'data' && frame.data.toString()).toBe('hello\nwor');
  });

  it('tells heartbeats and file events apart from data', () => {
    expect(parseLogFrame('{}')).toEqual({ kind: 'heartbeat' });
    expect(parseLogFrame(TRUNCATED)).toEqual({ kind: 'file-event', file: 'alloc/logs/api.stdout.0', event: 'file truncated', offset: 0 });
    expect(parseLogFrame('{"Data":"","File":"f","Offset":7}')).toMatchObject({ kind: 'data', offset: 7 });
  });

  it('rejects a frame whose fields have the wrong type or whose data is not base64', () => {
    expect(() => parseLogFrame('{"Offset":"12"}')).toThrow(ShapeError);
    expect(() => parseLogFrame('{"Data":"not base64!","File":"f"}')).toThrow(ShapeError);
  });
});
