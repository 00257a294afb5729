/**
 * Vault's HTTP conventions (http/logical.go, sdk/framework): logical responses wrapped in the
 * envelope `{request_id, lease_id, renewable, lease_duration, data, wrap_info, warnings, auth,
 * mount_type}`; errors always JSON `{"errors": [...]}` (`[]` for a plain 404); `204` with no body
 * for writes that return nothing; `Cache-Control: no-store` on everything. Field parsing follows the
 * framework's types: durations are seconds or Go duration strings, comma-string slices accept
 * `"a,b"` or lists.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';

/** A complete answer. */
export interface Reply {
  readonly status: number;
  readonly body?: unknown;
}

/** The mount type reported in the envelope (`kv`, `system`, `token`, `jwt`). */
export type MountType = 'kv' | 'system' | 'token' | 'jwt';

/** Optional parts of a logical response. */
export interface EnvelopeParts {
  readonly data?: unknown;
  readonly auth?: unknown;
  readonly warnings?: readonly string[];
  /** `sys/*` copies `data`'s keys to the top level for backwards compatibility. */
  readonly topLevel?: boolean;
}

/** A logical response in Vault's envelope. */
export function envelope(mountType: MountType, parts: EnvelopeParts, status = 200): Reply {
  const data = parts.data ?? null;
  const body = {
    ...(parts.topLevel && data !== null && typeof data === 'object' ? data : {}),
    request_id: randomUUID(),
    lease_id: '',
    renewable: false,
    lease_duration: 0,
    data,
    wrap_info: null,
    warnings: parts.warnings && parts.warnings.length > 0 ? [...parts.warnings] : null,
    auth: parts.auth ?? null,
    mount_type: mountType,
  };
  return { status, body };
}

/** `{"errors": [...]}` with the given status. */
export function errors(status: number, ...messages: string[]): Reply {
  return { status, body: { errors: messages } };
}

/** A 400 from a handler's `logical.ErrorResponse`. */
export function badRequest(message: string): Reply {
  return errors(400, message);
}

/** Vault's plain not-found: `404 {"errors":[]}`. */
export const NOT_FOUND: Reply = errors(404);

/** No content. */
export const NO_CONTENT: Reply = { status: 204 };

/** A raw (non-envelope) JSON body, as sys/health and sys/seal-status answer. */
export function raw(body: unknown, status = 200): Reply {
  return { status, body };
}

/** Writes `reply`; `omitBody` serves HEAD. */
export function send(res: ServerResponse, reply: Reply, omitBody = false): void {
  if (res.headersSent || res.destroyed) return;
  const text = reply.status === 204 || reply.body === undefined ? '' : JSON.stringify(reply.body);
  const headers: Record<string, string> = { 'Cache-Control': 'no-store' };
  // A real server labels its empty 204 answers as JSON too (test/fixtures/recorded/vault/post_auth_jwt_role_name.json).
  if (reply.status === 204) headers['Content-Type'] = 'application/json';
  if (text !== '') {
    headers['Content-Type'] = 'application/json';
    headers['Content-Length'] = String(Buffer.byteLength(text));
  }
  res.writeHead(reply.status, headers);
  res.end(omitBody ? undefined : text);
}

/** A parsed request body, or the 400 to answer. */
export type ParsedBody = { readonly ok: true; readonly value: Record<string, unknown> } | { readonly ok: false; readonly reply: Reply };

/** Parses a JSON request body; an empty body is `{}`. */
export function parseBody(body: Buffer): ParsedBody {
  if (body.length === 0) return { ok: true, value: {} };
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    if (isRecord(value)) return { ok: true, value };
    return { ok: false, reply: badRequest('failed to parse JSON input: body must be a JSON object') };
  } catch (error) {
    return { ok: false, reply: badRequest(`failed to parse JSON input: ${(error as Error).message}`) };
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A field-conversion failure, as the framework reports it. */
export class FieldError extends Error {}

const UNIT_SECONDS: Readonly<Record<string, number>> = { ns: 1e-9, us: 1e-6, 'µs': 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600, d: 86_400 };

/** `TypeDurationSecond`: integer seconds, a numeric string, or a duration string (`"30m"`, `"1h30m"`). */
export function durationSeconds(field: string, value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.trunc(value);
  if (typeof value === 'string') {
    if (/^-?[0-9]+$/.test(value.trim())) return Number(value.trim());
    const parts = [...value.matchAll(/([0-9]+(?:\.[0-9]*)?)(ns|us|µs|ms|s|m|h|d)/g)];
    if (parts.length > 0 && parts.map((p) => p[0]).join('') === value.replace(/^-/, '')) {
      const total = parts.reduce((sum, p) => sum + Number(p[1]) * (UNIT_SECONDS[p[2] ?? 's'] ?? 1), 0);
      return (value.startsWith('-') ? -1 : 1) * Math.trunc(total);
    }
  }
  throw new FieldError(`error converting input ${String(value)} for field "${field}": time: invalid duration "${String(value)}"`);
}

/** Go's `time.Duration.String()` for whole seconds (`0s`, `30m0s`, `3h25m19s`). */
export function goDurationString(seconds: number): string {
  if (seconds === 0) return '0s';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return h > 0 ? `${h}h${m}m${s}s` : m > 0 ? `${m}m${s}s` : `${s}s`;
}

/** `TypeCommaStringSlice`: `"a, b"` or `["a", "b"]`. */
export function commaSlice(field: string, value: unknown): string[] {
  if (typeof value === 'string') return value === '' ? [] : value.split(',').map((s) => s.trim());
  if (Array.isArray(value)) return value.map((v) => String(v).trim());
  throw new FieldError(`error converting input ${String(value)} for field "${field}"`);
}

/** `TypeBool`: booleans or their string forms. */
export function bool(field: string, value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new FieldError(`error converting input ${String(value)} for field "${field}"`);
}

/** `TypeInt`. */
export function int(field: string, value: unknown): number {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?[0-9]+$/.test(value)) return Number(value);
  throw new FieldError(`error converting input ${String(value)} for field "${field}"`);
}

/** An RFC 3339 time as Vault prints it (UTC). */
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString();
}
