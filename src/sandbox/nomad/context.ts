import { asObject, field, parseJsonBody, type RouteRequest } from '../http.ts';
import type { FaultInjector } from '../faults.ts';
import { NomadError } from './job-writes.ts';
import type { Runtime } from './runtime.ts';

/** What the route modules share. */
export interface NomadContext {
  readonly rt: Runtime;
  readonly namespaces: Set<string>;
  readonly faults: FaultInjector | undefined;
}

/** `?namespace=` (default `default`); `*` means every namespace on list endpoints. */
export function requestNamespace(url: URL): string {
  return url.searchParams.get('namespace') || 'default';
}

/** Does `namespace` match the request's namespace filter? */
export function inNamespace(filter: string, namespace: string): boolean {
  return filter === '*' || filter === namespace;
}

/**
 * Decodes a JSON request body like the Nomad agent: empty → `400 Request body is empty`,
 * malformed → 400 with a Go-style decoder message; returns the top-level object.
 */
export function decodeBody(request: RouteRequest): Record<string, unknown> {
  if (request.body.length === 0) throw new NomadError(400, 'Request body is empty');
  const parsed = parseJsonBody(request.body);
  if (!parsed.ok) throw new NomadError(400, `invalid character in JSON body: ${parsed.error}`);
  const object = asObject(parsed.value);
  if (!object) throw new NomadError(400, `json: cannot unmarshal ${typeof parsed.value} into Go value of type api.Request`);
  return object;
}

/** An optional unsigned integer body field (case-insensitive like Go). */
export function uintField(body: Record<string, unknown>, name: string, struct: string): number | undefined {
  const value = field(body, name);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new NomadError(400, `json: cannot unmarshal ${jsonKind(value)} into Go struct field ${struct}.${name} of type uint64`);
  }
  return value;
}

/** Go's name for a JSON value kind in decoder errors. */
export function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'object' : typeof value;
}
