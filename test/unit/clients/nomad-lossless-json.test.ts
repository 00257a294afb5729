import { describe, expect, it } from 'vitest';
import { parseLosslessJson, quoteUnsafeIntegers } from '../../../src/clients/http/lossless-json.ts';

describe('quoteUnsafeIntegers', () => {
  it('quotes unix-nano timestamps that JSON.parse would round', () => {
    const text = '{"SubmitTime":1717171717123456789,"Index":42}';
    expect(quoteUnsafeIntegers(text)).toBe('{"SubmitTime":"1717171717123456789","Index":42}');
    expect(String(JSON.parse(text).SubmitTime)).toBe('1717171717123456800'); // the loss being avoided
  });

  it('keeps safe 16-digit integers, fractions, exponents and negative numbers intact', () => {
    expect(quoteUnsafeIntegers('[1000000000000000,9007199254740991]')).toBe('[1000000000000000,9007199254740991]');
    expect(quoteUnsafeIntegers('[1.12345678901234567890,12345678901234567890.5]')).toBe('[1.12345678901234567890,12345678901234567890.5]');
    expect(quoteUnsafeIntegers('[1e12345678901234567,2E-12345678901234567,3e+12345678901234567]')).toBe('[1e12345678901234567,2E-12345678901234567,3e+12345678901234567]');
    expect(quoteUnsafeIntegers('[-1717171717123456789]')).toBe('["-1717171717123456789"]');
  });

  it('never touches digits inside strings, escaped quotes included', () => {
    const text = '{"Message":"took 1717171717123456789 ns","Quote":"a \\"1717171717123456789\\" b","Path":"C:\\\\","T":1717171717123456789}';
    const parsed = parseLosslessJson(text) as Record<string, string>;
    expect(parsed['Message']).toBe('took 1717171717123456789 ns');
    expect(parsed['Quote']).toBe('a "1717171717123456789" b');
    expect(parsed['Path']).toBe('C:\\');
    expect(parsed['T']).toBe('1717171717123456789');
  });

  it('handles keys that look like numbers and values in arrays and nested objects', () => {
    const text = '{"1717171717123456789":[1717171717123456790,{"Time":1717171717123456791}]}';
    expect(parseLosslessJson(text)).toEqual({ '1717171717123456789': ['1717171717123456790', { Time: '1717171717123456791' }] });
  });
});

describe('parseLosslessJson', () => {
  it('keeps neighbouring timestamps distinct (they collapse with JSON.parse)', () => {
    const text = '[1717171717123456789,1717171717123456790]';
    const [a, b] = parseLosslessJson(text) as string[];
    expect(a).not.toBe(b);
    const [x, y] = JSON.parse(text) as number[];
    expect(x).toBe(y);
  });

  it('parses an empty body as undefined and rejects malformed text like JSON.parse', () => {
    expect(parseLosslessJson('')).toBeUndefined();
    expect(parseLosslessJson('  \n')).toBeUndefined();
    expect(() => parseLosslessJson('{"a":')).toThrow(SyntaxError);
    expect(() => parseLosslessJson('Permission denied')).toThrow(SyntaxError);
  });

  it('parses bare values (GET /v1/status/leader answers a JSON string, /deployment may answer null)', () => {
    expect(parseLosslessJson('"127.0.0.1:4647"')).toBe('127.0.0.1:4647');
    expect(parseLosslessJson('null')).toBeNull();
  });
});
