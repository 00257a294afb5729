/**
 * `/v1/kv/*` (agent/kvs_endpoint.go + agent/consul/kvs_endpoint.go). Quirks kept from the real
 * agent: a missing key (or an empty prefix) is `404` with an empty body but with `X-Consul-Index`;
 * writes answer the JSON literal `true`/`false` with `200` and no index header; a failed
 * cas/acquire/release is `200 false`; KV errors carry no `X-Consul-*` headers; `?keys` on the root
 * answers `[]` rather than 404.
 * @see https://developer.hashicorp.com/consul/api-docs/kv
 */
import type { ServerResponse } from 'node:http';
import { answerBlocking, type QueryResult } from './blocking.ts';
import type { ConsulContext, ConsulRequest } from './context.ts';
import { empty, encodeGoQuery, hasFlag, json, methodNotAllowed, parseUint, pathAfter, send, text, type Reply } from './http.ts';
import type { KvEntry, KvWrite } from './kv-store.ts';
import { keySearch, radixWatch } from './radix-watch.ts';
import { uuidError } from './session-store.ts';

const MAX_VALUE_BYTES = 512 * 1024;

/** Answers `/v1/kv/<key>`. */
export function handleKv(ctx: ConsulContext, req: ConsulRequest, res: ServerResponse): void {
  const key = pathAfter(req.url, '/v1/kv/') ?? '';
  if (!['GET', 'PUT', 'DELETE'].includes(req.method)) return send(res, methodNotAllowed(req.method, ['GET', 'PUT', 'DELETE']));
  if (req.method === 'GET') return read(ctx, req, res, key);
  return send(res, req.method === 'PUT' ? put(ctx, req, key) : remove(ctx, req, key));
}

function read(ctx: ConsulContext, req: ConsulRequest, res: ServerResponse, key: string): void {
  const { url, authorizer } = req;
  const listKeys = hasFlag(url, 'keys');
  const recurse = hasFlag(url, 'recurse');
  if (!listKeys && !recurse && key === '') return send(res, text(400, 'Missing key name'));
  if (!authorizer) return send(res, text(403, 'ACL not found'));
  const canRead = (name: string): boolean => authorizer.allows('key', name, 'read');
  let run: () => QueryResult;
  if (listKeys) {
    const separator = url.searchParams.get('separator') ?? '';
    run = () => {
      const { index, entries } = ctx.kv.list(key);
      const keys = collapse(entries, key, separator).filter(canRead);
      return { index, reply: keys.length === 0 && key !== '' ? empty(404) : json(keys), ...prefixWakes(ctx, key, entries.length) };
    };
  } else if (recurse) {
    run = () => {
      const { index, entries } = ctx.kv.list(key);
      const visible = entries.filter((e) => canRead(e.key));
      return { index, reply: visible.length === 0 ? empty(404) : json(visible.map(toJson)), ...prefixWakes(ctx, key, entries.length) };
    };
  } else {
    run = () => {
      const { index, entry } = ctx.kv.get(key);
      if (!canRead(key)) return { index, reply: text(403, 'Permission denied'), final: true };
      if (!entry) return { index, reply: empty(404), wakes: kvWakes(radixWatch(ctx.kv.keys(), keySearch(key))) };
      return { index, reply: hasFlag(url, 'raw') ? raw(entry) : json([toJson(entry)]) };
    };
  }
  answerBlocking(ctx, res, url, run);
}

function put(ctx: ConsulContext, req: ConsulRequest, key: string): Reply {
  const { url, authorizer, body } = req;
  if (key === '') return text(400, 'Missing key name');
  const conflict = conflictingFlags(url, ['cas', 'acquire', 'release']);
  if (conflict) return conflict;
  const flags = url.searchParams.has('flags') ? parseUint(url.searchParams.get('flags') ?? '') : 0;
  if (typeof flags !== 'number') return text(500, flags.error);
  const cas = url.searchParams.has('cas') ? parseUint(url.searchParams.get('cas') ?? '') : undefined;
  if (typeof cas === 'object') return text(500, cas.error);
  if (body.length > MAX_VALUE_BYTES) {
    return text(413, `Request body(${body.length} bytes) too large, max size: ${MAX_VALUE_BYTES} bytes. See https://www.consul.io/docs/agent/options.html#kv_max_value_size.`);
  }
  if (!authorizer) return text(403, 'ACL not found');
  if (!authorizer.allows('key', key, 'write')) return text(403, 'Permission denied');
  const write: KvWrite = { key, value: body, flags };
  if (cas !== undefined) return json(ctx.kv.setCas(write, cas));
  const acquire = url.searchParams.get('acquire');
  if (acquire !== null) {
    // Lock-delay is checked before the session itself, as the server does it ahead of the Raft apply.
    if (ctx.sessions.inLockDelay(key)) return json(false);
    const invalid = sessionError(ctx, acquire);
    return invalid ?? json(ctx.kv.lock(write, acquire));
  }
  const release = url.searchParams.get('release');
  if (release !== null) {
    if (release === '') return text(500, 'missing session');
    return json(ctx.kv.unlock(write, release));
  }
  return json(ctx.kv.set(write));
}

function remove(ctx: ConsulContext, req: ConsulRequest, key: string): Reply {
  const { url, authorizer } = req;
  const recurse = hasFlag(url, 'recurse');
  if (key === '' && !recurse) return text(400, 'Missing key name');
  const conflict = conflictingFlags(url, ['recurse', 'cas']);
  if (conflict) return conflict;
  const cas = url.searchParams.has('cas') ? parseUint(url.searchParams.get('cas') ?? '') : undefined;
  if (typeof cas === 'object') return text(500, cas.error);
  if (!authorizer) return text(403, 'ACL not found');
  if (recurse) {
    if (!authorizer.allowsKeyWritePrefix(key)) return text(403, 'Permission denied');
    return json(ctx.kv.deleteTree(key));
  }
  if (!authorizer.allows('key', key, 'write')) return text(403, 'Permission denied');
  return json(cas === undefined ? ctx.kv.delete(key) : ctx.kv.deleteCas(key, cas));
}

/**
 * A prefix with no keys and no tombstones answers the table's index, so, as for a missing key, only
 * the writes that touch its radix node wake it (see radix-watch.ts).
 */
function prefixWakes(ctx: ConsulContext, prefix: string, found: number): Pick<QueryResult, 'wakes'> {
  if (found > 0 || prefix === '' || ctx.kv.hasTombstoneUnder(prefix)) return {};
  return { wakes: kvWakes(radixWatch(ctx.kv.keys(), prefix)) };
}

function kvWakes(touches: (key: string) => boolean): NonNullable<QueryResult['wakes']> {
  return (change) => (change.kvKeys ?? []).some(touches);
}

/** The error the state store raises for `?acquire=<id>` with an unusable session. */
function sessionError(ctx: ConsulContext, session: string): Reply | undefined {
  if (session === '') return text(500, 'missing session');
  const malformed = uuidError(session);
  if (malformed) return text(500, `failed session lookup: ${malformed}`);
  if (!ctx.sessions.get(session)) return text(500, `invalid session "${session}"`);
  return undefined;
}

/** `400 Conflicting flags: <the whole query, Go-encoded>` when more than one of `flags` is present. */
function conflictingFlags(url: URL, flags: readonly string[]): Reply | undefined {
  const present = flags.filter((flag) => url.searchParams.has(flag));
  return present.length > 1 ? text(400, `Conflicting flags: ${encodeGoQuery(url.searchParams)}`) : undefined;
}

/** `?keys&separator=/`: keys below the prefix, cut after the first separator and de-duplicated. */
function collapse(entries: readonly KvEntry[], prefix: string, separator: string): string[] {
  const keys: string[] = [];
  for (const { key } of entries) {
    const at = separator === '' ? -1 : key.indexOf(separator, prefix.length);
    const shown = at === -1 ? key : key.slice(0, at + separator.length);
    if (keys[keys.length - 1] !== shown) keys.push(shown);
  }
  return keys;
}

function raw(entry: KvEntry): Reply {
  return {
    status: 200,
    headers: { 'Content-Type': 'text/plain', 'X-Content-Type-Options': 'nosniff', 'Content-Security-Policy': 'sandbox' },
    body: entry.value,
  };
}

/** Consul's DirEntry JSON: `Value` is base64, or `null` for an empty value; `Session` only while locked. */
function toJson(entry: KvEntry): Record<string, unknown> {
  return {
    LockIndex: entry.lockIndex,
    Key: entry.key,
    Flags: entry.flags,
    Value: entry.value.length === 0 ? null : entry.value.toString('base64'),
    ...(entry.session ? { Session: entry.session } : {}),
    CreateIndex: entry.createIndex,
    ModifyIndex: entry.modifyIndex,
  };
}
