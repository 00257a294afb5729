/**
 * drover's Prometheus client: instant and range queries on axios, answers narrowed to numbers.
 * See types.ts for the surface and narrow.ts for the value rules.
 * @see https://prometheus.io/docs/prometheus/latest/querying/api/
 */
import { ApiError } from '../api-error.ts';
import type { PrometheusTarget } from '../../wire/cluster-agents.ts';
import { list, obj, record, ShapeError, str, stringMap, type Shape } from '../http/shape.ts';
import { redactText } from '../redact.ts';
import { narrowQueryAnswer } from './narrow.ts';
import { createPromTransport, type PromCall, type PromTransport } from './transport.ts';
import type { PromAnswer, PrometheusClient, PrometheusClientOptions } from './types.ts';

export type * from './types.ts';
export { parseSampleValue } from './narrow.ts';

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Creates a Prometheus client. Nothing is contacted until the first call.
 *
 * @example
 * const prometheus = createPrometheusClient({ address: 'http://127.0.0.1:9090' });
 * const answer = await prometheus.query('sum(rate(fabio_http_status_count{service="api"}[1m]))', { signal });
 * if (answer.kind === 'vector') answer.samples[0]?.value; // a number, possibly NaN or Infinity
 */
export function createPrometheusClient(options: PrometheusClientOptions): PrometheusClient {
  const transport = createPromTransport({ ...options, timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS });
  return {
    query: (promql, opts = {}) =>
      ask(transport, {
        path: '/api/v1/query',
        query: { query: promql, ...(opts.time === undefined ? {} : { time: unixSeconds(opts.time) }) },
        signal: opts.signal,
        timeoutMs: opts.timeoutMs,
      }),
    queryRange: async (promql, opts) => {
      if (!(opts.stepMs > 0)) throw new RangeError(`queryRange: stepMs must be > 0, got ${opts.stepMs}`);
      const call: PromCall = {
        path: '/api/v1/query_range',
        query: { query: promql, start: unixSeconds(opts.start), end: unixSeconds(opts.end), step: String(opts.stepMs / 1000) },
        signal: opts.signal,
        timeoutMs: opts.timeoutMs,
      };
      const answer = await ask(transport, call);
      if (answer.kind === 'matrix') return answer;
      throw shapeFailure(transport, call, new ShapeError(`response.data.resultType is ${answer.kind}, expected matrix`));
    },
    targets: async (opts = {}) => {
      const call: PromCall = { path: '/api/v1/targets', query: { state: 'active' }, signal: opts.signal, timeoutMs: opts.timeoutMs };
      const reply = await transport.get(call);
      try {
        return list(target)(record(record(reply.body, 'response')['data'], 'response.data')['activeTargets'], 'response.data.activeTargets');
      } catch (error) {
        if (!(error instanceof ShapeError)) throw error;
        throw shapeFailure(transport, call, error, reply.status);
      }
    },
    close: () => transport.close(),
  };
}

const target: Shape<PrometheusTarget> = obj({ labels: stringMap, scrapePool: str, scrapeUrl: str, health: str, lastError: str });

async function ask(transport: PromTransport, call: PromCall): Promise<PromAnswer> {
  const reply = await transport.get(call);
  try {
    return narrowQueryAnswer(reply.body);
  } catch (error) {
    if (!(error instanceof ShapeError)) throw error;
    throw shapeFailure(transport, call, error, reply.status);
  }
}

function shapeFailure(transport: PromTransport, call: PromCall, error: ShapeError, status = 200): ApiError {
  return new ApiError({
    service: 'prometheus',
    method: 'GET',
    path: transport.describe(call),
    status,
    body: redactText(error.message, transport.secrets),
    hint: 'Prometheus answered with a shape drover does not understand; check the server version.',
  });
}

/** Prometheus takes RFC 3339 or float unix seconds; seconds keep millisecond precision exactly. */
function unixSeconds(time: Date | number): string {
  const ms = typeof time === 'number' ? time : time.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`invalid time: ${String(time)}`);
  return (ms / 1000).toFixed(3);
}
