/**
 * `/v1/session/*` (agent/session_endpoint.go + agent/consul/session_endpoint.go), with the real
 * agent's status codes: validation failures of the Raft apply (TTL range, Behavior, unknown node)
 * are `500`, only body decoding is `400`; renew of an unknown session is `404 Session id '<id>' not
 * found`; info of an unknown session is `200 []`; destroy is idempotent (`200 true`); malformed IDs
 * fail memdb's UUID index with a `500`. `LockDelay` is accepted as a duration string or a number
 * (nanoseconds, or seconds below 1000) and answered as nanoseconds.
 * @see https://developer.hashicorp.com/consul/api-docs/session
 */
import type { ServerResponse } from 'node:http';
import { answerBlocking, errorMetaHeaders } from './blocking.ts';
import type { ConsulContext, ConsulRequest } from './context.ts';
import { parseGoDuration } from './duration.ts';
import { json, methodNotAllowed, pathAfter, send, text, withHeaders, type Reply } from './http.ts';
import { ttlError, uuidError, type SessionSpec } from './session-store.ts';

/** Answers session calls; `false` if the path is not one of them. */
export function handleSession(ctx: ConsulContext, req: ConsulRequest, res: ServerResponse): boolean {
  const { url, method } = req;
  const path = url.pathname;
  const write = (handler: () => Reply): true => {
    send(res, method === 'PUT' ? handler() : methodNotAllowed(method, ['PUT']));
    return true;
  };
  if (path === '/v1/session/create') return write(() => create(ctx, req));
  const renewId = pathAfter(url, '/v1/session/renew/');
  if (renewId !== undefined) return write(() => renew(ctx, req, renewId));
  const destroyId = pathAfter(url, '/v1/session/destroy/');
  if (destroyId !== undefined) return write(() => destroy(ctx, req, destroyId));
  const infoId = pathAfter(url, '/v1/session/info/');
  if (path !== '/v1/session/list' && infoId === undefined) return false;
  if (method !== 'GET') {
    send(res, methodNotAllowed(method, ['GET']));
    return true;
  }
  if (infoId === '') {
    send(res, text(400, 'Missing session'));
    return true;
  }
  const authorizer = req.authorizer;
  if (!authorizer) {
    send(res, withHeaders(text(403, 'ACL not found'), errorMetaHeaders()));
    return true;
  }
  const malformed = infoId === undefined ? undefined : uuidError(infoId);
  if (malformed) {
    send(res, withHeaders(text(500, `failed session lookup: ${malformed}`), errorMetaHeaders()));
    return true;
  }
  answerBlocking(ctx, res, url, () => {
    const sessions = infoId === undefined ? ctx.sessions.list() : [ctx.sessions.get(infoId)].filter((s) => s !== undefined);
    const visible = sessions.filter((s) => authorizer.allows('session', s.Node, 'read'));
    return { index: ctx.sessions.index(), reply: json(visible) };
  });
  return true;
}

function create(ctx: ConsulContext, req: ConsulRequest): Reply {
  const spec = decodeCreate(req.body, ctx.nodeName);
  if ('error' in spec) return text(400, `Request decode failed: ${spec.error}`);
  if (!ctx.catalog.nodes.has(spec.Node)) return text(500, 'Missing node registration');
  if (!req.authorizer) return text(403, 'ACL not found');
  if (!req.authorizer.allows('session', spec.Node, 'write')) return text(403, 'Permission denied');
  if (spec.Behavior !== 'release' && spec.Behavior !== 'delete') return text(500, `Invalid Behavior setting '${spec.Behavior as string}'`);
  const invalidTtl = ttlError(spec.TTL);
  if (invalidTtl) return text(500, invalidTtl);
  const checks = ctx.catalog.checksInState('any').checks.filter((c) => c.node === spec.Node);
  for (const id of spec.NodeChecks) {
    const check = checks.find((c) => c.checkId === id);
    if (!check) return text(500, `Missing check '${id}' registration`);
    if (check.status === 'critical') return text(500, `Check '${id}' is in critical state`);
  }
  return json({ ID: ctx.sessions.create(spec).ID });
}

function renew(ctx: ConsulContext, req: ConsulRequest, id: string): Reply {
  if (id === '') return text(400, 'Missing session');
  const malformed = uuidError(id);
  if (malformed) return text(500, `failed session lookup: ${malformed}`);
  // The server looks the session up before resolving the token.
  const session = ctx.sessions.get(id);
  if (!session) return text(404, `Session id '${id}' not found`);
  if (!req.authorizer) return text(403, 'ACL not found');
  if (!req.authorizer.allows('session', session.Node, 'write')) return text(403, 'Permission denied');
  return json([ctx.sessions.renew(id)]);
}

function destroy(ctx: ConsulContext, req: ConsulRequest, id: string): Reply {
  if (id === '') return text(400, 'Missing session');
  if (!req.authorizer) return text(403, 'ACL not found');
  const malformed = uuidError(id);
  if (malformed) return text(500, `Session lookup failed: failed session lookup: ${malformed}`);
  const session = ctx.sessions.get(id);
  if (session && !req.authorizer.allows('session', session.Node, 'write')) return text(403, 'Permission denied');
  ctx.sessions.destroy(id);
  return json(true);
}

type Decoded = (SessionSpec & { readonly Behavior: string }) | { readonly error: string };

/** The create body: every field optional; `Checks` is the deprecated alias of `NodeChecks`. */
function decodeCreate(body: Buffer, agentNode: string): Decoded {
  let raw: Record<string, unknown> = {};
  if (body.length > 0) {
    try {
      const parsed: unknown = JSON.parse(body.toString('utf8'));
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) raw = parsed as Record<string, unknown>;
      else return { error: 'json: cannot unmarshal into Go value of type structs.Session' };
    } catch {
      return { error: 'unexpected EOF' };
    }
  }
  const lockDelay = decodeLockDelay(raw['LockDelay']);
  if (typeof lockDelay === 'object') return lockDelay;
  const checks = raw['NodeChecks'] ?? raw['Checks'];
  return {
    Name: typeof raw['Name'] === 'string' ? raw['Name'] : '',
    Node: typeof raw['Node'] === 'string' && raw['Node'] !== '' ? raw['Node'] : agentNode,
    LockDelay: lockDelay,
    Behavior: (typeof raw['Behavior'] === 'string' && raw['Behavior'] !== '' ? raw['Behavior'] : 'release') as SessionSpec['Behavior'],
    TTL: typeof raw['TTL'] === 'string' ? raw['TTL'] : '',
    NodeChecks: Array.isArray(checks) ? checks.filter((c): c is string => typeof c === 'string') : ['serfHealth'],
    ServiceChecks: null,
  };
}

/** Default 15s; a string is a Go duration; a number below 1000 is seconds, otherwise nanoseconds. */
function decodeLockDelay(value: unknown): number | { readonly error: string } {
  if (value === undefined || value === null) return 15e9;
  if (typeof value === 'number') return value < 1000 ? value * 1e9 : value;
  if (typeof value !== 'string') return { error: 'json: cannot unmarshal LockDelay' };
  const parsed = parseGoDuration(value);
  return 'error' in parsed ? { error: parsed.error } : parsed.ns;
}
