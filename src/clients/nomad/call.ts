/**
 * Glue shared by the resource groups: turns options into a transport call and narrows the
 * answer, mapping a shape mismatch onto ApiError (the response was a 200, but not what the
 * reference says Nomad sends).
 */
import { ApiError } from '../api-error.ts';
import { ShapeError, type Shape } from '../http/shape.ts';
import { redactText } from '../redact.ts';
import type { NomadAnswer, NomadCall, NomadTransport, Query } from './transport.ts';
import type { CallOptions, Indexed, ReadOptions } from './types.ts';

/** A GET, blocking when `opts.index` is set; retried on transient failures. */
export async function read<T>(transport: NomadTransport, path: string, opts: ReadOptions & { readonly query?: Query }, shape: Shape<T>): Promise<Indexed<T>> {
  const call: NomadCall = {
    method: 'GET',
    path,
    ...(opts.query ? { query: opts.query } : {}),
    ...(opts.index !== undefined ? { index: opts.index } : {}),
    ...(opts.wait !== undefined ? { wait: opts.wait } : {}),
    signal: opts.signal,
    timeoutMs: opts.timeoutMs,
  };
  const answer = await transport.call(call);
  return { value: narrow(transport, call, answer, shape), index: answer.index };
}

/** A POST or DELETE, sent exactly once. */
export async function write<T>(
  transport: NomadTransport,
  request: { readonly method: 'POST' | 'DELETE'; readonly path: string; readonly body?: unknown; readonly query?: Query },
  opts: CallOptions,
  shape: Shape<T>,
): Promise<T> {
  const call: NomadCall = { ...request, signal: opts.signal, timeoutMs: opts.timeoutMs };
  return narrow(transport, call, await transport.call(call), shape);
}

/** One path segment (job IDs may hold characters that need escaping). */
export function seg(value: string): string {
  return encodeURIComponent(value);
}

function narrow<T>(transport: NomadTransport, call: NomadCall, answer: NomadAnswer, shape: Shape<T>): T {
  try {
    return shape(answer.body, 'response');
  } catch (error) {
    if (!(error instanceof ShapeError)) throw error;
    throw new ApiError({
      service: 'nomad',
      method: call.method,
      path: transport.describe(call),
      status: answer.status,
      body: redactText(error.message, transport.secrets),
      hint: 'Nomad answered with a shape drover does not understand; check the agent version.',
    });
  }
}
