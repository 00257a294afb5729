/**
 * KV and locks. Consul quirks handled here: a missing key is a 404 with an empty body (still with
 * `X-Consul-Index`), values are base64 (`null` when empty), and failed `cas`/`acquire`/`release`
 * conditions are a `200 false`, not an error status.
 * @see https://developer.hashicorp.com/consul/api-docs/kv
 */
import type { ConsulKvPair } from '../../wire/consul.ts';
import { kvKey, read, write, type Deps } from './call.ts';
import { toBoolean, toKeys, toKvPairs } from './narrow.ts';
import type { Answer } from './transport.ts';
import type { ConsulClient, KvEntry, KvRead } from './types.ts';

/** Builds the `kv` group. */
export function createKv(deps: Deps): ConsulClient['kv'] {
  const { pkg } = deps;
  return {
    get: (key, opts = {}) =>
      read(
        deps,
        { path: `/v1/kv/${kvKey(key)}`, notFoundIsAnswer: true },
        opts,
        (call) => pkg._get({ ...call, name: 'kv.get', path: '/kv/{key}', params: { key: kvKey(key) }, query: queryOf(call) }),
        toKvRead,
      ),
    list: (prefix, opts = {}) =>
      read(
        deps,
        { path: `/v1/kv/${kvKey(prefix)}?recurse`, notFoundIsAnswer: true },
        opts,
        (call) =>
          pkg._get({ ...call, name: 'kv.list', path: '/kv/{key}', params: { key: kvKey(prefix) }, query: { ...queryOf(call), recurse: 'true' } }),
        (answer) => ({ value: pairsOf(answer).map(toEntry), index: answer.index }),
      ),
    keys: (prefix, opts = {}) =>
      read(
        deps,
        { path: `/v1/kv/${kvKey(prefix)}?keys`, notFoundIsAnswer: true },
        opts,
        (call) => pkg.kv.keys({ ...call, key: kvKey(prefix), ...(opts.separator ? { separator: opts.separator } : {}) }),
        (answer) => ({ value: answer.status === 404 ? [] : toKeys(answer.body), index: answer.index }),
      ),
    set: (key, value, opts = {}) =>
      write(
        deps,
        { method: 'PUT', path: `/v1/kv/${kvKey(key)}` },
        opts,
        (call) => pkg.kv.set({ ...call, key: kvKey(key), value, ...defined({ cas: opts.cas, acquire: opts.acquire, release: opts.release }) }),
        (answer) => toBoolean(answer.body, 'kv set'),
      ),
    delete: (key, opts = {}) =>
      write(
        deps,
        { method: 'DELETE', path: `/v1/kv/${kvKey(key)}` },
        opts,
        (call) => pkg.kv.del({ ...call, key: kvKey(key), ...defined({ cas: opts.cas, recurse: opts.recurse }) }),
        (answer) => toBoolean(answer.body, 'kv delete'),
      ),
  };
}

/** Builds the `locks` group on top of `kv.set`'s `acquire`/`release`. */
export function createLocks(kv: ConsulClient['kv']): ConsulClient['locks'] {
  return {
    acquire: (key, sessionId, value, opts = {}) => kv.set(key, value, { ...opts, acquire: sessionId }),
    release: (key, sessionId, value = '', opts = {}) => kv.set(key, value, { ...opts, release: sessionId }),
  };
}

/** papi's bare `_get` does not apply node-consul's option mapping, so the blocking query is copied here. */
function queryOf(call: { readonly index?: string; readonly wait?: string }): Record<string, string> {
  return { ...(call.index ? { index: call.index } : {}), ...(call.wait ? { wait: call.wait } : {}) };
}

/**
 * node-consul sets a query parameter whenever the option key exists, so `cas: undefined` would be
 * sent as `cas=` (a 400); only defined options are passed on.
 */
function defined<T extends Record<string, unknown>>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function pairsOf(answer: Answer): ConsulKvPair[] {
  return answer.status === 404 ? [] : toKvPairs(answer.body);
}

function toKvRead(answer: Answer): KvRead {
  const pair = pairsOf(answer)[0];
  if (!pair) return { value: null, index: answer.index, modifyIndex: 0, session: undefined };
  return { value: decode(pair.Value), index: answer.index, modifyIndex: pair.ModifyIndex, session: pair.Session };
}

function toEntry(pair: ConsulKvPair): KvEntry {
  return {
    key: pair.Key,
    value: decode(pair.Value),
    flags: pair.Flags,
    createIndex: pair.CreateIndex,
    modifyIndex: pair.ModifyIndex,
    lockIndex: pair.LockIndex,
    session: pair.Session,
  };
}

/** Consul sends `null` for an empty value; drover's values are UTF-8 text. */
function decode(base64: string | null): string {
  return base64 === null ? '' : Buffer.from(base64, 'base64').toString('utf8');
}
