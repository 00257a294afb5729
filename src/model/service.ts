import type { Duration } from './duration.ts';
import type { FabioRoute } from './route.ts';

/** Restart the task when a check keeps failing (a Kubernetes liveness probe). */
export interface CheckRestart {
  /** Consecutive failures before the task restarts. */
  readonly limit: number;
  /** Time after start before failures count. @default "1s" */
  readonly grace?: Duration;
  /** @default false */
  readonly ignoreWarnings?: boolean;
}

interface CheckBase {
  /** Shown in Consul; defaults to `<service>-<type>`. */
  readonly name?: string;
  /** @default "10s" */
  readonly interval?: Duration;
  /** @default "2s" */
  readonly timeout?: Duration;
  /** Port label to probe; defaults to the service's port. */
  readonly port?: string;
  /**
   * Also restart the task when this check fails repeatedly (liveness). Without it the check only
   * gates traffic and deployments (readiness).
   */
  readonly restart?: CheckRestart;
}

/** @see https://developer.hashicorp.com/nomad/docs/job-specification/check */
export type ServiceCheck =
  | (CheckBase & { readonly type: 'http'; readonly path: string; readonly method?: string; readonly protocol?: 'http' | 'https'; readonly tlsSkipVerify?: boolean })
  | (CheckBase & { readonly type: 'tcp' })
  | (CheckBase & { readonly type: 'grpc'; readonly grpcService?: string; readonly grpcUseTls?: boolean })
  | (CheckBase & { readonly type: 'script'; readonly command: string; readonly args?: readonly string[]; readonly task: string });

/**
 * A service registered in Consul for every allocation of the group. Fabio reads only Consul, so
 * drover always uses the Consul provider.
 * @see https://developer.hashicorp.com/nomad/docs/job-specification/service
 */
export interface ServiceSpec {
  /** Consul service name (RFC 1123 label). */
  readonly name: string;
  /** Port label from the group's `ports`. */
  readonly port: string;
  readonly tags?: readonly string[];
  /** Consul service meta (keys: letters, digits, `_`, `-`). */
  readonly meta?: Readonly<Record<string, string>>;
  readonly checks?: readonly ServiceCheck[];
  /** Fabio routes; each becomes a `urlprefix-` tag. */
  readonly routes?: readonly FabioRoute[];
  /**
   * Whether unpromoted canaries are routed too, tagged `canary` so that weighted routes can pick
   * them out. @default true when the group deploys canaries
   */
  readonly routeCanaries?: boolean;
}

/** Wait in a prestart task until another Consul service has a healthy instance. */
export interface ServiceDependency {
  readonly service: string;
}
