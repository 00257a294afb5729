/**
 * Agent and status endpoints Fabio and drover touch: `GET /v1/agent/self` (Fabio reads
 * `Config.Datacenter`), `PUT /v1/agent/service/register` and `deregister/:id` (Fabio registers
 * itself), `PUT /v1/agent/check/update|pass|warn|fail/:id` (TTL checks) and `GET /v1/status/leader`.
 * Registered checks are not executed: HTTP/TCP/script checks keep their initial `Status` (default
 * `critical`, like a real agent before the first run); TTL checks turn critical with output
 * `TTL expired` when not updated in time. Error texts and codes are 1.8.7's (e.g. an unknown
 * service on deregister is `500 Unknown service {"<id>" {}}`; newer agents answer 404).
 * @see https://developer.hashicorp.com/consul/api-docs/agent/service
 */
import type { ServerResponse } from 'node:http';
import type { CheckSpec, ConsulCheckStatus } from './catalog-store.ts';
import type { ConsulContext, ConsulRequest } from './context.ts';
import { nanosToMillis, parseGoDuration } from './duration.ts';
import { empty, json, methodNotAllowed, pathAfter, send, text, type Reply } from './http.ts';
import { agentSelf } from './agent-self.ts';

const STATUSES: readonly string[] = ['passing', 'warning', 'critical'];

/** Answers agent and status calls; `false` if the path is not one of them. */
export function handleAgent(ctx: ConsulContext, req: ConsulRequest, res: ServerResponse): boolean {
  const { url, method } = req;
  const answer = (allowed: string, handler: () => Reply): true => {
    send(res, method === allowed ? handler() : methodNotAllowed(method, [allowed]));
    return true;
  };
  if (url.pathname === '/v1/status/leader') return answer('GET', () => json('127.0.0.1:8300'));
  if (url.pathname === '/v1/agent/self') return answer('GET', () => self(ctx, req));
  if (url.pathname === '/v1/agent/service/register') return answer('PUT', () => register(ctx, req));
  const deregisterId = pathAfter(url, '/v1/agent/service/deregister/');
  if (deregisterId !== undefined) return answer('PUT', () => deregister(ctx, req, deregisterId));
  const update = /^\/v1\/agent\/check\/(update|pass|warn|fail)\/(.*)$/.exec(url.pathname);
  if (update) return answer('PUT', () => updateCheck(ctx, req, update[1] ?? '', decodeURIComponent(update[2] ?? '')));
  return false;
}

function self(ctx: ConsulContext, req: ConsulRequest): Reply {
  if (!req.authorizer) return text(403, 'ACL not found');
  if (!req.authorizer.allows('agent', ctx.nodeName, 'read')) return text(403, 'Permission denied');
  const node = ctx.catalog.nodes.get(ctx.nodeName);
  return json(agentSelf({ datacenter: ctx.datacenter, nodeName: ctx.nodeName, nodeId: node?.id ?? '' }));
}

function register(ctx: ConsulContext, req: ConsulRequest): Reply {
  const decoded = decodeObject(req.body);
  if ('error' in decoded) return text(400, `Request decode failed: ${decoded.error}`);
  const body = decoded.value;
  const name = str(body['Name']);
  if (name === '') return text(400, 'Missing service name');
  const id = str(body['ID']) || name;
  const rawChecks = [...(isObject(body['Check']) ? [body['Check']] : []), ...(Array.isArray(body['Checks']) ? body['Checks'].filter(isObject) : [])];
  const checks: CheckSpec[] = [];
  for (const [i, raw] of rawChecks.entries()) {
    const check = decodeCheck(raw, rawChecks.length === 1 ? `service:${id}` : `service:${id}:${i + 1}`, name);
    if ('error' in check) return text(400, check.error);
    checks.push(check);
  }
  if (!req.authorizer) return text(403, 'ACL not found');
  if (!req.authorizer.allows('service', name, 'write')) return text(403, 'Permission denied');
  const meta = isObject(body['Meta']) ? Object.fromEntries(Object.entries(body['Meta']).map(([k, v]) => [k, str(v)])) : null;
  const tags = Array.isArray(body['Tags']) ? body['Tags'].map(str) : [];
  const port = typeof body['Port'] === 'number' ? body['Port'] : 0;
  ctx.catalog.registerService({ node: ctx.nodeName, id, name, tags, address: str(body['Address']), port, meta }, checks);
  return empty(200);
}

function deregister(ctx: ConsulContext, req: ConsulRequest, id: string): Reply {
  if (!req.authorizer) return text(403, 'ACL not found');
  const service = ctx.catalog.getService(id);
  if (!service) return text(500, `Unknown service {"${id}" {}}`);
  if (!req.authorizer.allows('service', service.name, 'write')) return text(403, 'Permission denied');
  ctx.catalog.deregisterService(id);
  return empty(200);
}

function updateCheck(ctx: ConsulContext, req: ConsulRequest, verb: string, checkId: string): Reply {
  let status: string;
  let output: string;
  if (verb === 'update') {
    const decoded = decodeObject(req.body);
    if ('error' in decoded) return text(400, `Request decode failed: ${decoded.error}`);
    status = str(decoded.value['Status']);
    output = str(decoded.value['Output']);
    if (!STATUSES.includes(status)) return text(400, `Invalid check status: '${status}'`);
  } else {
    status = verb === 'pass' ? 'passing' : verb === 'warn' ? 'warning' : 'critical';
    output = req.url.searchParams.get('note') ?? '';
  }
  if (!req.authorizer) return text(403, 'ACL not found');
  const check = ctx.catalog.checksInState('any').checks.find((c) => c.node === ctx.nodeName && c.checkId === checkId);
  if (!check) return text(500, `Unknown check "${checkId}"`);
  const allowed = check.serviceName ? req.authorizer.allows('service', check.serviceName, 'write') : req.authorizer.allows('node', check.node, 'write');
  if (!allowed) return text(403, 'Permission denied');
  ctx.catalog.updateCheck(checkId, status as ConsulCheckStatus, output, check.serviceId);
  return empty(200);
}

/** One `Check`/`Checks[]` entry, validated like `CheckType.Validate`. */
function decodeCheck(raw: Record<string, unknown>, defaultId: string, serviceName: string): CheckSpec | { readonly error: string } {
  const status = str(raw['Status']) || 'critical';
  if (!STATUSES.includes(status)) return { error: "Status for checks must 'passing', 'warning', 'critical'" };
  const ttl = durationMs(raw['TTL']);
  const interval = durationMs(raw['Interval']);
  if (typeof ttl === 'object') return ttl;
  if (typeof interval === 'object') return interval;
  const type = raw['HTTP'] ? 'http' : raw['TCP'] ? 'tcp' : raw['GRPC'] ? 'grpc' : raw['Args'] || raw['ScriptArgs'] ? 'script' : raw['AliasService'] ? 'alias' : 'ttl';
  if (type !== 'ttl' && type !== 'alias' && interval <= 0) return { error: 'Invalid check: Interval must be > 0 for Script, HTTP, or TCP checks' };
  if (type === 'ttl' && ttl <= 0) return { error: 'Invalid check: TTL must be > 0 for TTL checks' };
  return {
    checkId: str(raw['CheckID']) || str(raw['ID']) || defaultId,
    name: str(raw['Name']) || `Service '${serviceName}' check`,
    status: status as ConsulCheckStatus,
    notes: str(raw['Notes']),
    output: '',
    type,
    ...(type === 'ttl' ? { ttlMs: ttl } : {}),
  };
}

function durationMs(value: unknown): number | { readonly error: string } {
  if (value === undefined || value === null || value === '') return 0;
  if (typeof value === 'number') return nanosToMillis(value);
  const parsed = parseGoDuration(String(value));
  return 'error' in parsed ? { error: `Request decode failed: ${parsed.error}` } : nanosToMillis(parsed.ns);
}

function decodeObject(body: Buffer): { readonly value: Record<string, unknown> } | { readonly error: string } {
  if (body.length === 0) return { error: 'EOF' };
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return isObject(value) ? { value } : { error: 'json: cannot unmarshal non-object into Go value' };
  } catch {
    return { error: 'unexpected EOF' };
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
}
