/**
 * JSON parsing that keeps integers above `Number.MAX_SAFE_INTEGER` exact. Nomad sends unix
 * nanosecond timestamps (`SubmitTime`, `CreateTime`, `ModifyTime`, `TaskEvent.Time`,
 * `RescheduleTime`, ~1.7e18) as bare JSON integers; `JSON.parse` rounds them to the nearest double,
 * so two events 100 ns apart can compare equal. Node 20's `JSON.parse` reviver gets no source text
 * (that arrives with Node 22's `context.source`), so unsafe integer literals are quoted before
 * parsing instead: they come out as decimal strings, and the narrowing step decides per field what
 * they mean.
 * @see https://developer.hashicorp.com/nomad/api-docs#data-model-and-definitions
 */

/**
 * Either a whole JSON string (skipped as-is, escapes included) or an integer literal of 16 or more
 * digits. The look-behind keeps digits that belong to a fraction or an exponent (`1.2345…`,
 * `1e12345…`) out, the look-ahead keeps a long mantissa with a fraction or exponent out.
 */
const TOKEN = /"(?:[^"\\]|\\.)*"|(?<![\d.eE+-])-?\d{16,}(?![\d.eE])/g;

/**
 * Rewrites `text` so that every integer literal outside strings that is not a safe JS integer
 * becomes a JSON string of the same digits. Everything else is left byte for byte.
 * @example quoteUnsafeIntegers('{"T":1717171717123456789,"N":5}') === '{"T":"1717171717123456789","N":5}'
 */
export function quoteUnsafeIntegers(text: string): string {
  return text.replace(TOKEN, (token) => {
    if (token.startsWith('"')) return token;
    return Number.isSafeInteger(Number(token)) ? token : `"${token}"`;
  });
}

/**
 * `JSON.parse` without precision loss: unsafe integers arrive as decimal strings. Throws
 * `SyntaxError` like `JSON.parse` for malformed text. An empty body parses to `undefined`.
 */
export function parseLosslessJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  // Fast path: most responses (indexes, small lists) carry no long literal at all.
  const prepared = /\d{16}/.test(text) ? quoteUnsafeIntegers(text) : text;
  return JSON.parse(prepared) as unknown;
}
