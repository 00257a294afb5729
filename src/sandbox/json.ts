/**
 * JSON and time encodings the simulated servers share. Nomad sends unix-nanosecond integers
 * (~1.7e18) that do not fit a JS number, so they are kept as `bigint` and written as raw digits.
 */

/** Serializes like JSON.stringify, except that `bigint` values become exact integer literals. */
export function toJson(value: unknown, indent = ''): string {
  return write(value, indent, '');
}

function write(value: unknown, indent: string, pad: string): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'bigint':
      return value.toString();
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(value);
    case 'object':
      return Array.isArray(value) ? writeArray(value, indent, pad) : writeObject(value as Record<string, unknown>, indent, pad);
    default:
      return 'null';
  }
}

function writeArray(items: readonly unknown[], indent: string, pad: string): string {
  if (items.length === 0) return '[]';
  const inner = pad + indent;
  const parts = items.map((item) => write(item === undefined ? null : item, indent, inner));
  return indent ? `[\n${inner}${parts.join(`,\n${inner}`)}\n${pad}]` : `[${parts.join(',')}]`;
}

function writeObject(object: Record<string, unknown>, indent: string, pad: string): string {
  const inner = pad + indent;
  const sep = indent ? ': ' : ':';
  const parts: string[] = [];
  for (const [key, member] of Object.entries(object)) {
    if (member === undefined || typeof member === 'function') continue;
    parts.push(`${JSON.stringify(key)}${sep}${write(member, indent, inner)}`);
  }
  if (parts.length === 0) return '{}';
  return indent ? `{\n${inner}${parts.join(`,\n${inner}`)}\n${pad}}` : `{${parts.join(',')}}`;
}

let lastMicros = 0n;
let sameMicroCount = 0n;

/**
 * Sandbox milliseconds → unix nanoseconds. Successive calls within one microsecond still get
 * distinct, increasing values, and the low digits are non-zero like a real clock's, so a client
 * that parses them as doubles visibly loses precision.
 */
export function unixNanos(ms: number): bigint {
  const micros = BigInt(Math.floor(ms * 1000));
  sameMicroCount = micros === lastMicros ? sameMicroCount + 1n : 0n;
  lastMicros = micros;
  return micros * 1000n + 137n + (sameMicroCount % 800n);
}

/** Sandbox milliseconds → Go's RFC3339Nano (UTC, trailing zeros of the fraction trimmed). */
export function rfc3339(ms: number): string {
  const iso = new Date(Math.floor(ms)).toISOString(); // 2024-01-02T03:04:05.678Z
  const subMs = Math.round((ms - Math.floor(ms)) * 1e6);
  const fraction = `${iso.slice(20, 23)}${String(subMs).padStart(6, '0')}`.replace(/0+$/, '');
  return `${iso.slice(0, 19)}${fraction ? `.${fraction}` : ''}Z`;
}

/** Formats nanoseconds like Go's `time.Duration.String()` (`5m0s`, `1.5s`, `300ms`). */
export function goDuration(ns: number): string {
  if (ns === 0) return '0s';
  const sign = ns < 0 ? '-' : '';
  const abs = Math.abs(ns);
  if (abs < 1e3) return `${sign}${abs}ns`;
  if (abs < 1e6) return `${sign}${trim(abs / 1e3)}µs`;
  if (abs < 1e9) return `${sign}${trim(abs / 1e6)}ms`;
  const hours = Math.floor(abs / 3.6e12);
  const minutes = Math.floor((abs % 3.6e12) / 6e10);
  const seconds = trim((abs % 6e10) / 1e9);
  if (hours > 0) return `${sign}${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${sign}${minutes}m${seconds}s`;
  return `${sign}${seconds}s`;
}

function trim(value: number): string {
  return String(Number(value.toFixed(9)));
}

/**
 * Parses a Go duration string (`30s`, `5m`, `1h30m`, `250ms`) into milliseconds, or `undefined`
 * when malformed (Nomad then answers `400 Invalid wait time`).
 */
export function parseGoDuration(text: string): number | undefined {
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1e3, m: 6e4, h: 3.6e6 };
  if (text === '0') return 0;
  const pattern = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let consumed = 0;
  for (const match of text.matchAll(pattern)) {
    total += Number(match[1]) * units[match[2]!]!;
    consumed += match[0].length;
  }
  return consumed === text.length && consumed > 0 ? total : undefined;
}
