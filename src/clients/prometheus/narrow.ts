/**
 * Narrows Prometheus's decoded JSON (`unknown`) into drover's result types: sample values from
 * strings to numbers, times from float seconds to milliseconds. A mismatch is a `ShapeError`,
 * which the client turns into an ApiError carrying the request.
 */
import type { PrometheusErrorBody } from '../../wire/prometheus.ts';
import { ShapeError, record } from '../http/shape.ts';
import type { PromAnswer, PromLabels, PromPoint, PromResult, PromSample, PromSeries } from './types.ts';

/** What drover keeps of an error envelope. */
export type PromErrorFields = Readonly<Pick<PrometheusErrorBody, 'errorType' | 'error'>>;

/**
 * A sample value as Prometheus formats it (Go's `strconv.FormatFloat` plus `+Inf`/`-Inf`/`NaN`).
 * `Number("+Inf")` is `NaN`, hence the explicit cases.
 */
export function parseSampleValue(text: unknown, at = 'value'): number {
  if (typeof text !== 'string') throw new ShapeError(`${at} is ${typeof text}, expected a string sample value`);
  if (text === 'NaN') return Number.NaN;
  if (text === '+Inf' || text === 'Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  const value = Number(text);
  if (text.trim() === '' || Number.isNaN(value)) throw new ShapeError(`${at} is "${text}", expected a number`);
  return value;
}

/** A `PrometheusSamplePair` (`[<unix seconds>, "<value>"]`) → a point in unix milliseconds. */
export function narrowPoint(value: unknown, at: string): PromPoint {
  if (!Array.isArray(value) || value.length !== 2) throw new ShapeError(`${at} is not a [time, value] pair`);
  const [seconds, text] = value as [unknown, unknown];
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) throw new ShapeError(`${at}[0] is not a unix time in seconds`);
  // Prometheus times have millisecond precision; rounding removes float noise such as 1.7e9 + 0.1.
  return { timeMs: Math.round(seconds * 1000), value: parseSampleValue(text, `${at}[1]`) };
}

/** A `PrometheusSuccessBody` (`{status:"success", data, warnings?}`) → the narrowed answer. */
export function narrowQueryAnswer(body: unknown): PromAnswer {
  const envelope = record(body, 'response');
  if (envelope.status !== 'success') throw new ShapeError(`response.status is ${JSON.stringify(envelope.status)}, expected "success"`);
  const warnings = envelope.warnings === undefined || envelope.warnings === null ? [] : stringList(envelope.warnings, 'response.warnings');
  return { ...narrowQueryData(envelope.data), warnings };
}

/** A `PrometheusQueryData` (by `resultType`) → a `PromResult` (by `kind`). */
export function narrowQueryData(value: unknown): PromResult {
  const data = record(value, 'response.data');
  const at = 'response.data.result';
  switch (data.resultType) {
    case 'vector':
      return { kind: 'vector', samples: list(data.result, at).map((item, i) => narrowSample(item, `${at}[${i}]`)) };
    case 'matrix':
      return { kind: 'matrix', series: list(data.result, at).map((item, i) => narrowSeries(item, `${at}[${i}]`)) };
    case 'scalar':
      return { kind: 'scalar', point: narrowPoint(data.result, at) };
    case 'string': {
      const pair = data.result;
      if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'number' || typeof pair[1] !== 'string') throw new ShapeError(`${at} is not a [time, string] pair`);
      return { kind: 'string', timeMs: Math.round(pair[0] * 1000), value: pair[1] };
    }
    default:
      throw new ShapeError(`response.data.resultType is ${JSON.stringify(data.resultType)}, expected vector|matrix|scalar|string`);
  }
}

/** `errorType` and `error` of `{status:"error", errorType, error}`, else `undefined`. */
export function errorFields(body: unknown): PromErrorFields | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const { status, errorType, error } = body as Record<string, unknown>;
  if (status !== 'error' || typeof error !== 'string') return undefined;
  return { errorType: typeof errorType === 'string' ? errorType : 'unknown', error };
}

function narrowSample(value: unknown, at: string): PromSample {
  const item = record(value, at);
  // A native-histogram sample carries `histogram` instead of `value`; drover queries floats only.
  if (item.value === undefined && item.histogram !== undefined) throw new ShapeError(`${at} is a native histogram sample; wrap the query in histogram_quantile() or sum()`);
  return { labels: labels(item.metric, `${at}.metric`), ...narrowPoint(item.value, `${at}.value`) };
}

function narrowSeries(value: unknown, at: string): PromSeries {
  const item = record(value, at);
  return { labels: labels(item.metric, `${at}.metric`), points: list(item.values ?? [], `${at}.values`).map((p, i) => narrowPoint(p, `${at}.values[${i}]`)) };
}

function labels(value: unknown, at: string): PromLabels {
  if (value === undefined || value === null) return {};
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(record(value, at))) {
    if (typeof item !== 'string') throw new ShapeError(`${at}.${key} is not a string`);
    out[key] = item;
  }
  return out;
}

function list(value: unknown, at: string): readonly unknown[] {
  if (value === null) return [];
  if (!Array.isArray(value)) throw new ShapeError(`${at} is not an array`);
  return value;
}

function stringList(value: unknown, at: string): string[] {
  return list(value, at).map((item, i) => {
    if (typeof item !== 'string') throw new ShapeError(`${at}[${i}] is not a string`);
    return item;
  });
}
