/**
 * A Fabio route for a Consul service, rendered as a `urlprefix-` tag.
 * @see https://fabiolb.net/feature/ (tag grammar in shared/reference/fabio.md §3)
 */
export type FabioRoute = HttpRoute | TcpRoute | RedirectRoute;

/** HTTP(S)/gRPC route on a host and/or path prefix. */
export interface HttpRoute {
  readonly kind?: 'http';
  /** Host to match, e.g. `api.qa.example.internal`; omit to match any host. */
  readonly host?: string;
  /** Path prefix; must start with `/`. @default "/" */
  readonly path?: string;
  /** Prefix removed before forwarding (`strip=`), usually equal to `path`. */
  readonly strip?: string;
  /** Protocol spoken to the upstream. @default "http" */
  readonly proto?: 'http' | 'https' | 'grpc' | 'grpcs';
  /** Skip TLS verification of the upstream (`tlsskipverify=true`); only with https/grpcs. */
  readonly tlsSkipVerify?: boolean;
}

/** TCP route on a Fabio listener port (`urlprefix-:<port> proto=tcp`). */
export interface TcpRoute {
  readonly kind: 'tcp';
  /** Fabio listener port that must exist with `proto=tcp` in `proxy.addr`. */
  readonly port: number;
}

/** Permanent or temporary redirect served by Fabio itself. */
export interface RedirectRoute {
  readonly kind: 'redirect';
  readonly host?: string;
  readonly path?: string;
  /** 3xx status code. */
  readonly code: 301 | 302 | 303 | 307 | 308;
  /** Target URL; `$path` appends the original request URI. */
  readonly to: string;
}
