/** Name grammars shared by several rules. */

/** RFC 1123 label: what Consul service names and DNS labels accept (≤ 63, no dots). */
export const RFC1123_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** POSIX environment variable name; anything else is dropped or mangled by shells and env files. */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** An identifier, as Go templates need for `.Data.data.<key>` field access. */
export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Fabio expands `$DC` / `${DC}` in hosts and paths with the Consul datacenter. */
const DC_PLACEHOLDER = /\$\{DC\}|\$DC/g;

/**
 * True for a DNS host name Fabio can match: labels of letters, digits and `-`, dot-separated,
 * ≤ 253 characters, optionally a leading `*.` (glob matching) and `$DC` placeholders. Upper-case
 * letters are allowed because Fabio lower-cases hosts.
 */
export function isRouteHost(host: string): boolean {
  const expanded = host.replace(DC_PLACEHOLDER, 'dc').replace(/^\*\./, '');
  if (expanded.length === 0 || expanded.length > 253) return false;
  return expanded.split('.').every((label) => /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(label));
}
