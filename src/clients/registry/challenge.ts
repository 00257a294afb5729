/**
 * `WWW-Authenticate` challenges of a registry's 401 answers. Docker Hub, GHCR, Harbor and GitLab
 * send `Bearer realm="…",service="…",scope="…"` (get a token from the realm, then retry); a plain
 * distribution registry behind htpasswd sends `Basic realm="…"`.
 * @see https://distribution.github.io/distribution/spec/auth/token/
 */

/** A parsed challenge: its scheme, lower-cased, and its parameters. */
export interface AuthChallenge {
  readonly scheme: string;
  readonly params: Readonly<Record<string, string>>;
}

// One `key=value` or `key="quoted value"` parameter, commas between them.
const PARAM = /\s*([A-Za-z][\w-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*(?:,|$)/y;

/** Parses one header value holding one challenge; undefined when it is not one. Pure. */
export function parseChallenge(header: string | undefined): AuthChallenge | undefined {
  const match = /^\s*([A-Za-z][\w-]*)(?:\s+(.*))?$/s.exec(header ?? '');
  if (!match) return undefined;
  const params: Record<string, string> = {};
  const rest = match[2] ?? '';
  PARAM.lastIndex = 0;
  while (PARAM.lastIndex < rest.length) {
    const start = PARAM.lastIndex;
    const param = PARAM.exec(rest);
    if (!param || PARAM.lastIndex === start) break;
    params[param[1]!.toLowerCase()] = param[2] !== undefined ? param[2].replace(/\\(.)/g, '$1') : (param[3] ?? '');
  }
  return { scheme: match[1]!.toLowerCase(), params };
}

/** The token endpoint URL of a Bearer challenge for pulling `name`, or undefined when the challenge is not usable. */
export function tokenUrl(challenge: AuthChallenge, name: string): URL | undefined {
  if (challenge.scheme !== 'bearer' || !challenge.params.realm) return undefined;
  let url: URL;
  try {
    url = new URL(challenge.params.realm);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  if (challenge.params.service) url.searchParams.set('service', challenge.params.service);
  // The registry's own scope when it names one; a HEAD of a manifest needs pull on the repository.
  url.searchParams.set('scope', challenge.params.scope ?? `repository:${name}:pull`);
  return url;
}
