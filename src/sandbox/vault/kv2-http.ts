/**
 * KV v2 endpoints of a mount: `data/`, `metadata/`, `subkeys/`, `delete/`, `undelete/`,
 * `destroy/`, `config`. Quirks kept: writes need the `{"data": {...}}` wrapper (else `400 no data
 * provided`); a soft-deleted or destroyed version is `404` *with* a full envelope whose `data.data`
 * is null; an unknown key or version is `404 {"errors":[]}`; LIST with nothing to list is a 404
 * too; a KV v1-style path (`secret/foo`) is a 404 whose envelope carries Vault's warning.
 * @see https://developer.hashicorp.com/vault/api-docs/secret/kv/kv-v2
 */
import { badRequest, durationSeconds, envelope, FieldError, goDurationString, int, isRecord, NO_CONTENT, NOT_FOUND, type Reply } from './http.ts';
import type { KvEngine, KvVersion } from './kv2-store.ts';
import { UNSUPPORTED_OPERATION, type Route, type RouteInput } from './route.ts';

const V1_PATH_WARNING =
  "Invalid path for a versioned K/V secrets engine. See the API docs for the appropriate API endpoints to use. If using the Vault CLI, use 'vault kv get' for this operation.";

/** Resolves `rest` (the path after `<mount>/`). */
export function kvRoute(engine: KvEngine, rest: string): Route {
  if (rest === 'config') return { run: (input) => config(engine, input) };
  const slash = rest.indexOf('/');
  const area = slash === -1 ? rest : rest.slice(0, slash);
  const path = slash === -1 ? '' : rest.slice(slash + 1);
  const exists = (): boolean => engine.secrets.has(path);
  switch (area) {
    case 'data':
      return { exists, run: (input) => data(engine, path, input) };
    case 'metadata':
      return { exists, run: (input) => metadata(engine, path, input) };
    case 'subkeys':
      return { run: (input) => (input.op === 'read' ? subkeys(engine, path, input.url) : UNSUPPORTED_OPERATION) };
    case 'delete':
    case 'undelete':
    case 'destroy':
      return { run: (input) => (input.op === 'write' ? versions(engine, area, path, input.body) : UNSUPPORTED_OPERATION) };
    default:
      return { run: () => envelope('kv', { warnings: [V1_PATH_WARNING] }, 404) };
  }
}

function data(engine: KvEngine, path: string, input: RouteInput): Reply {
  if (path === '' || path.endsWith('/')) return UNSUPPORTED_OPERATION;
  switch (input.op) {
    case 'read':
      return readVersion(engine, path, input.url, (v) => ({ data: v.data ?? null }));
    case 'write':
    case 'patch':
      return write(engine, path, input);
    case 'delete': {
      const secret = engine.secrets.get(path);
      if (secret) engine.softDelete(path, [secret.currentVersion]);
      return NO_CONTENT;
    }
    default:
      return UNSUPPORTED_OPERATION;
  }
}

function write(engine: KvEngine, path: string, input: RouteInput): Reply {
  const body = input.body['data'];
  if (body === undefined) return badRequest('no data provided');
  if (!isRecord(body)) return badRequest(`error converting input for field "data": expected a map`);
  const options = input.body['options'];
  const rawCas = isRecord(options) ? options['cas'] : undefined;
  const cas = rawCas === undefined ? undefined : Number(rawCas);
  if (cas !== undefined && !Number.isInteger(cas)) return badRequest('error parsing check-and-set parameter');
  let payload = body;
  if (input.op === 'patch') {
    // PATCH is a JSON merge patch (RFC 7386) of the current version, which must exist and be live.
    const secret = engine.secrets.get(path);
    const current = secret?.versions.get(secret.currentVersion);
    if (!secret || !current) return NOT_FOUND;
    if (!engine.isLive(current)) return envelope('kv', { data: engine.versionMetadata(secret, secret.currentVersion, current) }, 404);
    payload = mergePatch(current.data ?? {}, body);
  }
  const result = engine.write(path, payload, cas);
  if (typeof result === 'string') return badRequest(result);
  const version = result.versions.get(result.currentVersion) as KvVersion;
  return envelope('kv', { data: engine.versionMetadata(result, result.currentVersion, version) });
}

function readVersion(engine: KvEngine, path: string, url: URL, project: (v: KvVersion) => Record<string, unknown>): Reply {
  const secret = engine.secrets.get(path);
  if (!secret) return NOT_FOUND;
  let wanted: number;
  try {
    wanted = url.searchParams.has('version') ? int('version', url.searchParams.get('version')) : 0;
  } catch (error) {
    return badRequest((error as FieldError).message);
  }
  const number = wanted > 0 ? wanted : secret.currentVersion;
  const version = secret.versions.get(number);
  if (!version) return NOT_FOUND;
  const metadata = engine.versionMetadata(secret, number, version);
  if (!engine.isLive(version)) return envelope('kv', { data: { ...project({ ...version, data: undefined }), metadata } }, 404);
  return envelope('kv', { data: { ...project(version), metadata } });
}

function metadata(engine: KvEngine, path: string, input: RouteInput): Reply {
  switch (input.op) {
    case 'list': {
      const keys = engine.list(path === '' || path.endsWith('/') ? path : `${path}/`);
      return keys.length === 0 ? NOT_FOUND : envelope('kv', { data: { keys } });
    }
    case 'read': {
      const secret = engine.secrets.get(path);
      return secret && path !== '' ? envelope('kv', { data: engine.metadata(secret) }) : NOT_FOUND;
    }
    case 'write':
      return writeMetadata(engine, path, input.body);
    case 'delete':
      engine.secrets.delete(path);
      return NO_CONTENT;
    default:
      return UNSUPPORTED_OPERATION;
  }
}

function writeMetadata(engine: KvEngine, path: string, body: Record<string, unknown>): Reply {
  if (path === '') return badRequest('missing path');
  try {
    const update: Parameters<KvEngine['writeMetadata']>[1] = {
      ...(body['max_versions'] !== undefined ? { maxVersions: int('max_versions', body['max_versions']) } : {}),
      ...(body['cas_required'] !== undefined ? { casRequired: body['cas_required'] === true || body['cas_required'] === 'true' } : {}),
      ...(body['delete_version_after'] !== undefined ? { deleteVersionAfter: durationSeconds('delete_version_after', body['delete_version_after']) } : {}),
      ...(isRecord(body['custom_metadata']) ? { customMetadata: Object.fromEntries(Object.entries(body['custom_metadata']).map(([k, v]) => [k, String(v)])) } : {}),
    };
    engine.writeMetadata(path, update);
    return NO_CONTENT;
  } catch (error) {
    return badRequest((error as Error).message);
  }
}

/** Leaves become null; `depth` (0 = unlimited) stops the walk, turning deeper maps into null too. */
function subkeys(engine: KvEngine, path: string, url: URL): Reply {
  const depth = Number(url.searchParams.get('depth') ?? '0') || 0;
  const strip = (value: Record<string, unknown>, level: number): Record<string, unknown> =>
    Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, isRecord(v) && Object.keys(v).length > 0 && (depth === 0 || level + 1 <= depth) ? strip(v, level + 1) : null]),
    );
  return readVersion(engine, path, url, (v) => ({ subkeys: v.data ? strip(v.data, 1) : null }));
}

function versions(engine: KvEngine, action: 'delete' | 'undelete' | 'destroy', path: string, body: Record<string, unknown>): Reply {
  const list = body['versions'];
  const numbers = Array.isArray(list) ? list.map(Number).filter(Number.isInteger) : [];
  if (numbers.length === 0) return badRequest('no version number provided');
  if (action === 'delete') engine.softDelete(path, numbers);
  else if (action === 'undelete') engine.undelete(path, numbers);
  else engine.destroy(path, numbers);
  return NO_CONTENT;
}

function config(engine: KvEngine, input: RouteInput): Reply {
  if (input.op === 'read') {
    const { casRequired, deleteVersionAfter, maxVersions } = engine.config;
    return envelope('kv', { data: { cas_required: casRequired, delete_version_after: goDurationString(deleteVersionAfter), max_versions: maxVersions } });
  }
  if (input.op !== 'write') return UNSUPPORTED_OPERATION;
  try {
    const { body } = input;
    if (body['max_versions'] !== undefined) engine.config.maxVersions = int('max_versions', body['max_versions']);
    if (body['cas_required'] !== undefined) engine.config.casRequired = body['cas_required'] === true || body['cas_required'] === 'true';
    if (body['delete_version_after'] !== undefined) engine.config.deleteVersionAfter = durationSeconds('delete_version_after', body['delete_version_after']);
    return NO_CONTENT;
  } catch (error) {
    return badRequest((error as Error).message);
  }
}

function mergePatch(target: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = isRecord(value) && isRecord(out[key]) ? mergePatch(out[key] as Record<string, unknown>, value) : value;
  }
  return out;
}
