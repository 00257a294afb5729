import type { ServerResponse } from 'node:http';
import { sendJson, sendText, type RouteRequest } from '../http.ts';
import { parseGoDuration } from '../json.ts';
import { NomadError } from './job-writes.ts';
import type { NomadStore, Table } from './store.ts';

/** Longest blocking wait: `MaxBlockingRPCQueryTime` (docs claim 10 min; the code caps at 5). */
const MAX_WAIT_MS = 300_000;

/** What a read produces: the value and the index that describes it. */
export interface ReadResult {
  readonly value: unknown;
  readonly index: number;
}

/**
 * Headers every Nomad read carries. The index is the read's own, 0 for a table never written: a
 * fresh Nomad 2.0.5 answers `X-Nomad-Index: 0` for /v1/jobs, /v1/deployments and the like, and
 * a blocking query with `index=0` does not block.
 */
export function queryHeaders(index: number): Record<string, string> {
  return { 'X-Nomad-Index': String(index), 'X-Nomad-KnownLeader': 'true', 'X-Nomad-LastContact': '0' };
}

/** `?pretty` (any value but 0) indents with four spaces, like Go's MarshalIndent. */
export function indentFor(url: URL): string {
  const pretty = url.searchParams.get('pretty');
  return pretty !== null && pretty !== '0' ? '    ' : '';
}

/** Writes a JSON answer with the Nomad read headers. */
export function answer(request: Pick<RouteRequest, 'res' | 'url'>, value: unknown, index: number, status = 200): void {
  sendJson(request.res, status, value, queryHeaders(index), indentFor(request.url));
}

/** Writes a Nomad error (plain text); reads still carry X-Nomad-Index (nomad.md §2). */
export function answerError(res: ServerResponse, error: unknown, index?: number): void {
  const headers = index === undefined ? {} : queryHeaders(index);
  if (error instanceof NomadError) return sendText(res, error.status, error.message, headers);
  sendText(res, 500, error instanceof Error ? error.message : String(error), headers);
}

/** Parsed `index` and `wait` query parameters. */
export function blockingParams(url: URL): { index: number; waitMs: number } {
  const rawIndex = url.searchParams.get('index');
  const index = rawIndex === null ? 0 : Number(rawIndex);
  if (!Number.isInteger(index) || index < 0) throw new NomadError(400, 'Invalid index');
  const rawWait = url.searchParams.get('wait');
  const wait = rawWait === null ? MAX_WAIT_MS : parseGoDuration(rawWait);
  if (wait === undefined) throw new NomadError(400, 'Invalid wait time');
  return { index, waitMs: Math.min(wait, MAX_WAIT_MS) };
}

/**
 * Runs a read as a Nomad blocking query: with `?index=N` it waits (up to `wait`, capped at 5 min,
 * in sandbox time) until the read's own index exceeds N, re-reading whenever one of `tables`
 * changes. A timeout is not an error: the current data comes back with an unchanged index.
 */
export async function blockingRead(store: NomadStore, request: RouteRequest, tables: readonly Table[], read: () => ReadResult): Promise<void> {
  let params: { index: number; waitMs: number };
  try {
    params = blockingParams(request.url);
  } catch (error) {
    return answerError(request.res, error);
  }
  const closed = new AbortController();
  request.res.once('close', () => closed.abort());
  const deadline = store.clock.now() + params.waitMs;
  let result = attempt(store, tables, read);
  while (params.index > 0 && result.index <= params.index && store.clock.now() < deadline && !closed.signal.aborted) {
    await store.waitForChange(tables, deadline - store.clock.now(), closed.signal);
    result = attempt(store, tables, read);
  }
  if (closed.signal.aborted) return;
  if ('error' in result) return answerError(request.res, result.error, result.index);
  answer(request, result.value, result.index);
}

function attempt(store: NomadStore, tables: readonly Table[], read: () => ReadResult): ReadResult | { error: unknown; index: number } {
  try {
    return read();
  } catch (error) {
    // A missing resource answers with the index of its table, and blocks like any read.
    return { error, index: Math.max(...tables.map((t) => store.tableIndex[t])) };
  }
}

/** Largest ModifyIndex among `items`, falling back to `fallback` for an empty scope. */
export function maxIndex(items: readonly { ModifyIndex: number }[], fallback: number): number {
  return items.reduce((max, item) => Math.max(max, item.ModifyIndex), items.length ? 0 : fallback);
}
