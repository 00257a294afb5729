import type { Duration } from '../model/duration.ts';
import type { Exact } from '../model/exact.ts';

/**
 * The project's environment names. A project declares them once by augmenting this interface
 * (see `environments/index.ts`), which makes `env.pick({ qa: …, prod: … })` exhaustive: adding an
 * environment fails type-checking until every job says what it gets there.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface EnvironmentNames {}

/** A declared environment name, or any string before a project declares its names. */
export type EnvironmentName = [keyof EnvironmentNames] extends [never] ? string : Extract<keyof EnvironmentNames, string>;

/**
 * How canary deployments are promoted: `auto` when Nomad finds them healthy (auto_promote),
 * `manual` by someone running `drover promote`, `progressive` by drover after shifting a growing
 * share of the route's traffic to them through Fabio and judging each step with Prometheus.
 */
export type CanaryPromotion = 'auto' | 'manual' | 'progressive';

/**
 * How a progressive canary is stepped and judged. The default gates judge the canary itself: its
 * instances' own 5xx ratio (the app's `http_requests_total{code}`) against the stable instances',
 * and its p99 through Fabio (`fabio_route_bucket{target}`) against theirs. A job may replace them
 * with its own PromQL.
 */
export interface CanaryAnalysisSettings {
  /** Shares of the route's traffic sent to the canaries, increasing, each in (0, 1]. @default [0.05, 0.25, 0.5] */
  readonly steps: readonly number[];
  /** Pause before each measurement; at least 2 × Prometheus's scrape interval. @default "30s" */
  readonly interval: Duration;
  /** Measurements per gate and step: a step lasts `interval × count` (up to twice that while evidence is missing). @default 4 */
  readonly count: number;
  /** Failing measurements tolerated per gate and step; one more fails the canary. @default 0 */
  readonly failureLimit: number;
  /** How far the canary's 5xx ratio may exceed the stable instances' (default gate). @default 0.05 */
  readonly maxErrorRatio: number;
  /** Highest acceptable p99 latency of the canary through Fabio, unless the stable p99 is higher (default gate). @default "500ms" */
  readonly maxP99Latency: Duration;
  /** One-sided confidence a verdict needs: below it a measurement is "not enough requests to tell". @default 0.9 */
  readonly confidence: number;
  /**
   * Longest query range. The range is the time spent at the step so far, never older traffic;
   * this only shortens it. @default the whole time at the step
   */
  readonly window?: Duration;
}

/** drover's defaults for {@link CanaryAnalysisSettings}. */
export const DEFAULT_CANARY_ANALYSIS: CanaryAnalysisSettings = {
  steps: [0.05, 0.25, 0.5],
  interval: '30s',
  count: 4,
  failureLimit: 0,
  maxErrorRatio: 0.05,
  maxP99Latency: '500ms',
  confidence: 0.9,
};

/** Where drover finds Prometheus, and how often it scrapes (canary steps must see at least two scrapes). */
export interface PrometheusTarget {
  /** Base URL, e.g. `http://prometheus.qa.internal:9090`. */
  readonly address: string;
  /** Its `scrape_interval` for the apps and Fabio. @default "15s" */
  readonly scrapeInterval?: Duration;
}

/** Where drover finds Nomad. Tokens are never configured here; they come from `NOMAD_TOKEN`. */
export interface NomadTarget {
  /** Base URL of a Nomad agent, e.g. `https://nomad.qa.internal:4646`. */
  readonly address: string;
  /** @default "global" @see https://developer.hashicorp.com/nomad/docs/configuration#region */
  readonly region: string;
  /** @default "default" @see https://developer.hashicorp.com/nomad/docs/other-specifications/namespace */
  readonly namespace: string;
}

export interface ConsulTarget {
  /** Base URL of a Consul agent, e.g. `https://consul.qa.internal:8501`. */
  readonly address: string;
}

export interface VaultTarget {
  /** Base URL of Vault, e.g. `https://vault.qa.internal:8200`. */
  readonly address: string;
  /**
   * Mount path of the JWT auth method that trusts Nomad's workload identities.
   * @default "jwt-nomad" @see https://developer.hashicorp.com/nomad/docs/integrations/vault/acl
   */
  readonly jwtAuthPath: string;
  /** Audience of the workload identity JWT (`aud`). @default "vault.io" */
  readonly audience: string;
  /** KV v2 mount that job secrets live in unless a reference names another. @default "secret" */
  readonly kvMount: string;
}

/** Fabio as deployed in this environment: what `fabio/fabio.<env>.properties` is rendered from. */
export interface FabioSettings {
  /** DNS suffix that host-based routes hang off, e.g. `qa.example.internal`. */
  readonly domain: string;
  /** HTTP proxy listener port. @default 9999 @see https://fabiolb.net/ref/proxy.addr/ */
  readonly proxyPort: number;
  /** UI and admin API listener port. @default 9998 */
  readonly uiPort: number;
  /** Port of the `proto=prometheus` listener Prometheus scrapes (9100 is node-exporter's). @default 9101 */
  readonly metricsPort: number;
  /**
   * Literal metric prefix. Fabio's default embeds the host name, which breaks on hosts with `-`.
   * @default "fabio"
   */
  readonly metricsPrefix: string;
  /**
   * Consul agent Fabio reads routes from; each Fabio talks to its node-local agent.
   * @default "127.0.0.1:8500" @see https://fabiolb.net/ref/registry.consul.addr/
   */
  readonly consulAddress: string;
  /**
   * Base URL of Fabio's HTTP listener as drover can reach it, e.g. `http://fabio.qa.internal:9999`:
   * where smoke checks with `via: 'fabio'` send their requests. Not rendered into Fabio's config.
   */
  readonly address?: string;
}

/**
 * A container registry drover asks for image digests (Docker Registry HTTP API v2, as served by
 * Docker Hub, GHCR, Harbor, GitLab, Artifactory and the CNCF distribution registry).
 * @see https://distribution.github.io/distribution/spec/api/
 */
export interface RegistryTarget {
  /** Host as image references write it: `ghcr.io`, `registry.acme.internal:5000`, `docker.io` for Docker Hub. */
  readonly host: string;
  /**
   * Base URL of its API (a mirror or pull-through cache may stand in).
   * @default "https://<host>" ("https://registry-1.docker.io" for docker.io)
   */
  readonly address?: string;
}

/**
 * A Vault KV v2 secret holding a log store's credentials: `username` and `password` for basic
 * auth, `token` for bearer. Only the reference is configured; Nomad renders the values into the
 * shipper's environment at run time.
 */
export interface LogSinkSecret {
  /** Secret path inside the mount, e.g. `log-shipper/loki` (no `data/` segment). */
  readonly path: string;
  /** KV v2 mount. @default the environment's `vault.kvMount` */
  readonly mount?: string;
}

/** How the shipper authenticates to the log store; none when the store is open on its network. */
export interface LogSinkAuth {
  /** `basic` reads `username` and `password` from the secret, `bearer` reads `token` (Loki only). */
  readonly strategy: 'basic' | 'bearer';
  readonly secret: LogSinkSecret;
}

/** Grafana Loki. @see https://vector.dev/docs/reference/configuration/sinks/loki/ */
export interface LokiSink {
  readonly kind: 'loki';
  /** Base URL of Loki, e.g. `https://loki.qa.internal:3100` (the push path is added). */
  readonly address: string;
  readonly auth?: LogSinkAuth;
  /** `X-Scope-OrgID` of a multi-tenant Loki. */
  readonly tenantId?: string;
}

/**
 * Elasticsearch or OpenSearch (the same bulk API; OpenSearch is spoken to as Elasticsearch 7).
 * @see https://vector.dev/docs/reference/configuration/sinks/elasticsearch/
 */
export interface SearchSink {
  readonly kind: 'elasticsearch' | 'opensearch';
  /** Base URL of the cluster, e.g. `https://es.prod.internal:9200`. */
  readonly address: string;
  /** Basic auth only (Vector's Elasticsearch sink has no bearer strategy). */
  readonly auth?: LogSinkAuth & { readonly strategy: 'basic' };
  /** Index, strftime specifiers allowed. @default "nomad-logs-%Y.%m.%d" */
  readonly index?: string;
}

/** The log store every allocation's output is shipped to. */
export type LogSink = LokiSink | SearchSink;

/** Where the log shipper (jobs/log-shipper.ts) sends what the allocations print. */
export interface LogSettings {
  readonly sink: LogSink;
}

/** Release and rollout policy of an environment. */
export interface PromotionPolicy {
  /** Canary promotion when a job does not say. @default "manual" */
  readonly canary: CanaryPromotion;
  /** Steps and gates of progressive canaries (jobs may override them). */
  readonly analysis: CanaryAnalysisSettings;
  /** Ask for confirmation before deploying (prompt on a TTY, `--yes` otherwise). */
  readonly confirm: boolean;
  /** Environment whose verified releases this one deploys (prod takes what qa verified). */
  readonly releasesFrom?: EnvironmentName;
  /** Oldest verified release this environment accepts. */
  readonly maxReleaseAge?: Duration;
  /** Time after a successful deploy during which no allocation may fail or restart. */
  readonly soak?: Duration;
  /** Stop jobs this project owns that no longer exist in `jobs/`. @default false */
  readonly prune: boolean;
}

/** Everything drover knows about one environment: addresses and policy, never credentials. */
export interface EnvironmentDefinition {
  readonly name: EnvironmentName;
  readonly description?: string;
  readonly nomad: NomadTarget;
  readonly consul: ConsulTarget;
  readonly vault: VaultTarget;
  /** Prometheus used for canary analysis and dashboards. */
  readonly prometheus?: PrometheusTarget;
  /** Nomad datacenters jobs may run in. @default ["*"] */
  readonly datacenters: readonly string[];
  /** @default "default" @see https://developer.hashicorp.com/nomad/docs/concepts/node-pools */
  readonly nodePool: string;
  readonly fabio: FabioSettings;
  readonly promotion: PromotionPolicy;
  /**
   * Registries whose image tags drover resolves to digests when it deploys here: every task then
   * runs `repo:tag@sha256:…`, and a release records that digest, so the environments taking it
   * run the very image verified here even if someone pushes the tag again. Images on other
   * registries run as written. Credentials come from Docker's `config.json`, never from here.
   * @default []
   */
  readonly registries: readonly RegistryTarget[];
  /**
   * Log shipping: required where a job marked as the log shipper runs (README "Shipping logs").
   * @default none: nothing is shipped
   */
  readonly logs?: LogSettings;
}

/** What a job definition receives: the environment plus helpers to vary values by environment. */
export interface Environment extends EnvironmentDefinition {
  /** Picks the value for this environment, e.g. `env.pick({ qa: 1, prod: 3 })`. */
  pick<T>(values: Readonly<Record<EnvironmentName, T>>): T;
  /** True in the named environment. */
  is(name: EnvironmentName): boolean;
}

export type EnvironmentInput = Omit<EnvironmentDefinition, 'vault' | 'fabio' | 'promotion' | 'nodePool' | 'datacenters' | 'nomad' | 'registries'> & {
  readonly nomad: Pick<NomadTarget, 'address'> & Partial<NomadTarget>;
  readonly vault: Pick<VaultTarget, 'address'> & Partial<VaultTarget>;
  readonly fabio: Pick<FabioSettings, 'domain'> & Partial<FabioSettings>;
  readonly promotion?: Partial<Omit<PromotionPolicy, 'analysis'>> & { readonly analysis?: Partial<CanaryAnalysisSettings> };
  readonly nodePool?: string;
  readonly datacenters?: readonly string[];
  readonly registries?: readonly RegistryTarget[];
};

/**
 * Declares an environment, filling Nomad's and Fabio's defaults for anything left out. A key the
 * types do not declare is a type error even when the object is built with spreads ({@link Exact});
 * `pick` and `is` are allowed so that one environment can be derived by spreading another.
 */
export function defineEnvironment<T extends EnvironmentInput>(input: T & Exact<T, EnvironmentInput & Partial<Pick<Environment, 'pick' | 'is'>>>): Environment {
  const definition: EnvironmentDefinition = {
    ...input,
    nomad: { region: 'global', namespace: 'default', ...input.nomad },
    vault: { jwtAuthPath: 'jwt-nomad', audience: 'vault.io', kvMount: 'secret', ...input.vault },
    fabio: { proxyPort: 9999, uiPort: 9998, metricsPort: 9101, metricsPrefix: 'fabio', consulAddress: '127.0.0.1:8500', ...input.fabio },
    promotion: { canary: 'manual', confirm: false, prune: false, ...input.promotion, analysis: { ...DEFAULT_CANARY_ANALYSIS, ...input.promotion?.analysis } },
    nodePool: input.nodePool ?? 'default',
    datacenters: input.datacenters ?? ['*'],
    registries: input.registries ?? [],
  };
  return withHelpers(definition);
}

function withHelpers(definition: EnvironmentDefinition): Environment {
  return {
    ...definition,
    pick<T>(values: Readonly<Record<EnvironmentName, T>>): T {
      if (!Object.hasOwn(values, definition.name)) {
        throw new Error(`env.pick() has no value for environment "${definition.name}"`);
      }
      return values[definition.name] as T;
    },
    is: (name) => name === definition.name,
  };
}
