/**
 * Redaction for anything a client might put in an error, an event or a log line. Tokens travel
 * only in headers (`X-Nomad-Token`, `X-Consul-Token`, `X-Vault-Token`, `Authorization`), so two
 * passes suffice: remove the known secret values wherever they appear, and blank the value of any
 * token header that shows up in text or in an object.
 */

/** What replaces a secret. */
export const REDACTED = '[redacted]';

/** Header names whose values are credentials, lower-cased. */
export const TOKEN_HEADERS: readonly string[] = [
  'x-nomad-token',
  'x-consul-token',
  'x-vault-token',
  'authorization',
  'proxy-authorization',
];

// `X-Consul-Token: abc`, `"x-vault-token":"abc"`, `authorization=Bearer abc`, `token=abc` (Consul's
// deprecated query parameter), in any letter case.
const HEADER_IN_TEXT =
  /((?:x-(?:nomad|consul|vault)-token|proxy-authorization|authorization)["']?\s*[:=]\s*["']?)(?:(?:bearer|basic)\s+)?[^\s"',;&}]+/gi;
const TOKEN_QUERY = /([?&]token=)[^&\s"']+/gi;

/**
 * Removes every occurrence of the given secrets and every token-header value from `text`.
 * Secrets shorter than 4 characters are ignored: blanking them would mangle ordinary words.
 */
export function redactText(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const secret of usable(secrets)) out = out.split(secret).join(REDACTED);
  return out.replace(HEADER_IN_TEXT, `$1${REDACTED}`).replace(TOKEN_QUERY, `$1${REDACTED}`);
}

/**
 * Returns a deep copy of `value` with secrets removed from every string and token headers blanked
 * by key. Cycles become `'[circular]'`; functions are dropped; class instances are copied as plain
 * objects of their own enumerable properties.
 */
export function redactValue<T>(value: T, secrets: readonly (string | undefined)[] = []): T {
  return copy(value, usable(secrets), new WeakSet()) as T;
}

/** True when `name` is a header that carries a credential. */
export function isTokenHeader(name: string): boolean {
  return TOKEN_HEADERS.includes(name.toLowerCase());
}

function usable(secrets: readonly (string | undefined)[]): string[] {
  // Longest first, so a secret that contains another is removed whole.
  return secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4).sort((a, b) => b.length - a.length);
}

function copy(value: unknown, secrets: readonly string[], seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactText(value, secrets);
  if (typeof value === 'function') return undefined;
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => copy(item, secrets, seen));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = isTokenHeader(key) ? REDACTED : copy(item, secrets, seen);
  }
  return out;
}
