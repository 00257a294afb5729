/**
 * Glue shared by the resource groups: turns read/write options into a transport call and a
 * narrowed result, and maps shape errors onto ApiError.
 */
import { ApiError } from '../api-error.ts';
import { redactText } from '../redact.ts';
import { ShapeError } from './narrow.ts';
import type { BlockingQuery, CallOptions, ConsulPackage } from './package.ts';
import { send, type Answer, type CallSpec, type TransportSettings } from './transport.ts';
import type { ReadOptions, WriteOptions } from './types.ts';

/** What each resource group needs: the package instance and the shared settings. */
export interface Deps {
  readonly pkg: ConsulPackage;
  readonly settings: TransportSettings;
}

/** Consul's blocking `wait` is jittered by up to wait/16 on the server side. */
const JITTER_DIVISOR = 16;

/**
 * Runs a GET (retried, blocking when `opts.index` is set) and narrows its body. `invoke` receives
 * the papi options plus the blocking query, ready to spread into a node-consul call.
 */
export async function read<T>(
  deps: Deps,
  spec: { readonly path: string; readonly notFoundIsAnswer?: boolean },
  opts: ReadOptions,
  invoke: (call: CallOptions & BlockingQuery) => Promise<unknown>,
  narrow: (answer: Answer) => T,
): Promise<T> {
  const query = blockingQuery(opts);
  const callSpec: CallSpec = {
    method: 'GET',
    path: spec.path,
    notFoundIsAnswer: spec.notFoundIsAnswer ?? false,
    extraTimeoutMs: query.index === undefined ? 0 : blockingBudgetMs(opts.wait),
    ...timing(opts),
  };
  const answer = await send(callSpec, deps.settings, (call) => invoke({ ...call, ...query }));
  return narrowed(callSpec, deps.settings, () => narrow(answer));
}

/** Runs a PUT or DELETE exactly once and narrows its body. */
export async function write<T>(
  deps: Deps,
  spec: { readonly method: 'PUT' | 'DELETE'; readonly path: string },
  opts: WriteOptions,
  invoke: (call: CallOptions) => Promise<unknown>,
  narrow: (answer: Answer) => T,
): Promise<T> {
  const callSpec: CallSpec = { method: spec.method, path: spec.path, ...timing(opts) };
  const answer = await send(callSpec, deps.settings, invoke);
  return narrowed(callSpec, deps.settings, () => narrow(answer));
}

/** Path of a KV key for messages; a leading `/` is dropped as Consul's own clients do. */
export function kvKey(key: string): string {
  return key.replace(/^\/+/, '');
}

function timing(opts: WriteOptions): Pick<CallSpec, 'signal' | 'timeoutMs'> {
  return { ...(opts.signal ? { signal: opts.signal } : {}), ...(opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs }) };
}

/**
 * node-consul copies `index`/`wait` into the query whenever the option key exists, even when
 * undefined (which Consul would reject), so they are only added when set. Index 0 never blocks.
 */
function blockingQuery(opts: ReadOptions): BlockingQuery {
  if (opts.index === undefined || opts.index <= 0) return {};
  return { index: String(opts.index), ...(opts.wait ? { wait: opts.wait } : {}) };
}

function blockingBudgetMs(wait: string | undefined): number {
  const waitMs = wait === undefined ? 5 * 60_000 : Math.min(durationMs(wait), 10 * 60_000);
  return Math.ceil(waitMs + waitMs / JITTER_DIVISOR);
}

const UNIT_MS: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds of a Go duration string; unknown text counts as Consul's 5-minute default. */
function durationMs(text: string): number {
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ns|us|ms|s|m|h)/g)) {
    total += Number(amount) * (UNIT_MS[unit ?? ''] ?? 0);
  }
  return total > 0 ? total : 5 * 60_000;
}

function narrowed<T>(spec: CallSpec, settings: TransportSettings, narrow: () => T): T {
  try {
    return narrow();
  } catch (error) {
    if (!(error instanceof ShapeError)) throw error;
    throw new ApiError({
      service: 'consul',
      method: spec.method,
      path: redactText(spec.path, settings.secrets),
      status: 200,
      body: error.message,
      hint: 'Consul answered with a shape drover does not understand; check the agent version.',
    });
  }
}
