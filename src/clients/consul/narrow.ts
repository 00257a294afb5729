/**
 * Narrows Consul's decoded JSON (`unknown`) into the wire types of src/wire/consul.ts, copying only
 * the fields drover uses. A shape that does not match throws a `ShapeError`, which the client turns
 * into an ApiError carrying the request; nothing here trusts a cast.
 */
import type {
  ConsulAgentService,
  ConsulCatalogService,
  ConsulCheckStatus,
  ConsulHealthCheck,
  ConsulHealthNode,
  ConsulKvPair,
  ConsulServiceEntry,
  ConsulServiceTags,
  ConsulSession,
} from '../../wire/consul.ts';

/** The response did not have the shape Consul documents; `detail` names the field. */
export class ShapeError extends Error {
  constructor(readonly detail: string) {
    super(`unexpected response shape: ${detail}`);
    this.name = 'ShapeError';
  }
}

type Json = Readonly<Record<string, unknown>>;

function record(value: unknown, where: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ShapeError(`${where} is not an object`);
  return value as Json;
}

function list(value: unknown, where: string): readonly unknown[] {
  if (!Array.isArray(value)) throw new ShapeError(`${where} is not an array`);
  return value;
}

function str(obj: Json, key: string, where: string): string {
  const value = obj[key];
  if (typeof value !== 'string') throw new ShapeError(`${where}.${key} is not a string`);
  return value;
}

/** Consul omits or nulls some strings (e.g. `Notes`, `Output` in older agents); `""` then. */
function optStr(obj: Json, key: string, where: string): string {
  return obj[key] === undefined || obj[key] === null ? '' : str(obj, key, where);
}

function num(obj: Json, key: string, where: string): number {
  const value = obj[key];
  if (typeof value !== 'number') throw new ShapeError(`${where}.${key} is not a number`);
  return value;
}

/** Go nil slices arrive as `null`; drover wants `[]`. */
function strings(value: unknown, where: string): string[] {
  if (value === undefined || value === null) return [];
  return list(value, where).map((item, i) => {
    if (typeof item !== 'string') throw new ShapeError(`${where}[${i}] is not a string`);
    return item;
  });
}

function stringMap(value: unknown, where: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(record(value, where))) out[key] = String(item);
  return out;
}

/** `GET /v1/catalog/services`. */
export function toServiceTags(body: unknown): ConsulServiceTags {
  const out: ConsulServiceTags = {};
  for (const [name, tags] of Object.entries(record(body, 'services'))) out[name] = strings(tags, `services.${name}`);
  return out;
}

/** `GET /v1/catalog/service/:name`. */
export function toCatalogServices(body: unknown): ConsulCatalogService[] {
  return list(body, 'catalog').map((raw, i) => {
    const at = `catalog[${i}]`;
    const o = record(raw, at);
    return {
      ID: optStr(o, 'ID', at),
      Node: str(o, 'Node', at),
      Address: str(o, 'Address', at),
      Datacenter: optStr(o, 'Datacenter', at),
      ServiceID: str(o, 'ServiceID', at),
      ServiceName: str(o, 'ServiceName', at),
      ServiceTags: strings(o['ServiceTags'], `${at}.ServiceTags`),
      ServiceAddress: optStr(o, 'ServiceAddress', at),
      ServicePort: num(o, 'ServicePort', at),
      ServiceMeta: stringMap(o['ServiceMeta'], `${at}.ServiceMeta`),
      CreateIndex: num(o, 'CreateIndex', at),
      ModifyIndex: num(o, 'ModifyIndex', at),
    };
  });
}

/** `GET /v1/health/service/:name`. */
export function toServiceEntries(body: unknown): ConsulServiceEntry[] {
  return list(body, 'health').map((raw, i) => {
    const at = `health[${i}]`;
    const o = record(raw, at);
    return {
      Node: toHealthNode(record(o['Node'], `${at}.Node`), `${at}.Node`),
      Service: toAgentService(record(o['Service'], `${at}.Service`), `${at}.Service`),
      Checks: list(o['Checks'] ?? [], `${at}.Checks`).map((c, j) => toHealthCheck(record(c, `${at}.Checks[${j}]`), `${at}.Checks[${j}]`)),
    };
  });
}

function toHealthNode(o: Json, at: string): ConsulHealthNode {
  return { ID: optStr(o, 'ID', at), Node: str(o, 'Node', at), Address: str(o, 'Address', at), Datacenter: optStr(o, 'Datacenter', at) };
}

function toAgentService(o: Json, at: string): ConsulAgentService {
  return {
    ID: str(o, 'ID', at),
    Service: str(o, 'Service', at),
    Tags: strings(o['Tags'], `${at}.Tags`),
    Address: optStr(o, 'Address', at),
    Port: num(o, 'Port', at),
    Meta: stringMap(o['Meta'], `${at}.Meta`),
  };
}

const CHECK_STATUSES: readonly string[] = ['passing', 'warning', 'critical'] satisfies ConsulCheckStatus[];

function toHealthCheck(o: Json, at: string): ConsulHealthCheck {
  const status = str(o, 'Status', at);
  if (!CHECK_STATUSES.includes(status)) throw new ShapeError(`${at}.Status is "${status}"`);
  return {
    Node: str(o, 'Node', at),
    CheckID: str(o, 'CheckID', at),
    Name: optStr(o, 'Name', at),
    Status: status as ConsulCheckStatus,
    Notes: optStr(o, 'Notes', at),
    Output: optStr(o, 'Output', at),
    ServiceID: optStr(o, 'ServiceID', at),
    ServiceName: optStr(o, 'ServiceName', at),
  };
}

/** `GET /v1/kv/:key` and `?recurse`; `Value` stays base64 here. */
export function toKvPairs(body: unknown): ConsulKvPair[] {
  return list(body, 'kv').map((raw, i) => {
    const at = `kv[${i}]`;
    const o = record(raw, at);
    const value = o['Value'];
    if (value !== null && value !== undefined && typeof value !== 'string') throw new ShapeError(`${at}.Value is not base64 text`);
    const session = o['Session'];
    return {
      Key: str(o, 'Key', at),
      Value: value ?? null,
      Flags: num(o, 'Flags', at),
      CreateIndex: num(o, 'CreateIndex', at),
      ModifyIndex: num(o, 'ModifyIndex', at),
      LockIndex: num(o, 'LockIndex', at),
      ...(typeof session === 'string' && session !== '' ? { Session: session } : {}),
    };
  });
}

/** `GET /v1/kv/:prefix?keys`. */
export function toKeys(body: unknown): string[] {
  return strings(body, 'keys');
}

/** One `Session` object (`info` answers `[Session]` or `[]`; node-consul unwraps the first). */
export function toSession(body: unknown): ConsulSession {
  const o = record(body, 'session');
  const behavior = str(o, 'Behavior', 'session');
  if (behavior !== 'release' && behavior !== 'delete') throw new ShapeError(`session.Behavior is "${behavior}"`);
  return {
    ID: str(o, 'ID', 'session'),
    Name: optStr(o, 'Name', 'session'),
    Node: str(o, 'Node', 'session'),
    LockDelay: num(o, 'LockDelay', 'session'),
    Behavior: behavior,
    TTL: optStr(o, 'TTL', 'session'),
    NodeChecks: o['NodeChecks'] === null || o['NodeChecks'] === undefined ? null : strings(o['NodeChecks'], 'session.NodeChecks'),
    CreateIndex: num(o, 'CreateIndex', 'session'),
    ModifyIndex: num(o, 'ModifyIndex', 'session'),
  };
}

/** `PUT /v1/session/create` → the new session's ID. */
export function toSessionId(body: unknown): string {
  return str(record(body, 'session/create'), 'ID', 'session/create');
}

/** Consul's `true`/`false` answers to KV writes and deletes. */
export function toBoolean(body: unknown, where: string): boolean {
  if (typeof body !== 'boolean') throw new ShapeError(`${where} answer is not true/false`);
  return body;
}
