/**
 * Reads Fabio's `urlprefix-` service tags, the subset the simulated Fabio routes: HTTP routes
 * (`/path`, `host/path`, `host/`) with the `strip=` option. Grammar: shared/reference/fabio.md §3.
 * Pure.
 */

/** Fabio's `registry.consul.tagprefix` default. */
export const TAG_PREFIX = 'urlprefix-';

/** An HTTP route from one tag. */
export interface UrlprefixRoute {
  /** Lower-cased; `""` for a route on any host. */
  readonly host: string;
  readonly path: string;
  /** `strip=` option: removed from the request path before proxying. */
  readonly strip?: string;
}

/** A route, a tag the simulator does not route (with why), or not a urlprefix tag at all. */
export type UrlprefixResult =
  | { readonly kind: 'route'; readonly route: UrlprefixRoute }
  | { readonly kind: 'unsupported'; readonly reason: string }
  | { readonly kind: 'not-urlprefix' };

// Options that change where or how Fabio connects: routing plain HTTP while ignoring them would lie.
const UNSUPPORTED_OPTIONS = ['proto', 'redirect'];

/** Parses one service tag. Options other than `strip`, `proto` and `redirect` are ignored. */
export function parseUrlprefixTag(tag: string): UrlprefixResult {
  if (!tag.startsWith(TAG_PREFIX)) return { kind: 'not-urlprefix' };
  // Only the first whitespace separates the route from its options.
  const [source = '', ...optionWords] = tag.slice(TAG_PREFIX.length).trim().split(/\s+/);
  if (source.startsWith(':')) return { kind: 'unsupported', reason: `"${tag}" is a TCP route; the simulated Fabio routes HTTP only` };
  const slash = source.indexOf('/');
  if (slash < 0) return { kind: 'unsupported', reason: `"${tag}" has no "/"; Fabio does not make it an HTTP route` };
  const options = Object.fromEntries(optionWords.map((word) => [word.split('=')[0] ?? '', word.slice(word.indexOf('=') + 1)]));
  const unsupported = UNSUPPORTED_OPTIONS.find((name) => name in options && !(name === 'proto' && options[name] === 'http'));
  if (unsupported) return { kind: 'unsupported', reason: `"${tag}" uses ${unsupported}=, which the simulated Fabio does not implement` };
  const route = { host: source.slice(0, slash).toLowerCase(), path: source.slice(slash) };
  return { kind: 'route', route: options.strip ? { ...route, strip: options.strip } : route };
}
