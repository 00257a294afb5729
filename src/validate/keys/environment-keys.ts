import type {
  CanaryAnalysisSettings, ConsulTarget, Environment, FabioSettings, LogSettings, LogSink, LogSinkAuth, LogSinkSecret, LokiSink, NomadTarget, PrometheusTarget,
  PromotionPolicy, RegistryTarget, SearchSink, VaultTarget,
} from '../../config/environment.ts';
import { arrayOf, leaf, object, type KeyShape } from './shape.ts';

type Fields<K extends PropertyKey> = Readonly<Record<K, KeyShape>>;

const sinkAuth = object({
  strategy: leaf,
  secret: object({ path: leaf, mount: leaf } satisfies Fields<keyof LogSinkSecret>),
} satisfies Fields<keyof LogSinkAuth>);
const lokiSink = { kind: leaf, address: leaf, auth: sinkAuth, tenantId: leaf } satisfies Fields<keyof LokiSink>;
const searchSink = { kind: leaf, address: leaf, auth: sinkAuth, index: leaf } satisfies Fields<keyof SearchSink>;
/** @see LogSettings */
const logs = object({
  sink: { kind: 'union', discriminant: 'kind', variants: { loki: lokiSink, elasticsearch: searchSink, opensearch: searchSink } satisfies Record<LogSink['kind'], Fields<string>> },
} satisfies Fields<keyof LogSettings>);

/**
 * Every key an environment may have, as a value; `satisfies` keeps it in step with
 * `src/config/environment.ts`. `pick` and `is` are the helpers defineEnvironment adds.
 */
export const environmentShape: KeyShape = object({
  name: leaf, description: leaf, datacenters: leaf, nodePool: leaf, pick: leaf, is: leaf,
  nomad: object({ address: leaf, region: leaf, namespace: leaf } satisfies Fields<keyof NomadTarget>),
  consul: object({ address: leaf } satisfies Fields<keyof ConsulTarget>),
  vault: object({ address: leaf, jwtAuthPath: leaf, audience: leaf, kvMount: leaf } satisfies Fields<keyof VaultTarget>),
  prometheus: object({ address: leaf, scrapeInterval: leaf } satisfies Fields<keyof PrometheusTarget>),
  fabio: object({
    domain: leaf, proxyPort: leaf, uiPort: leaf, metricsPort: leaf, metricsPrefix: leaf, consulAddress: leaf, address: leaf,
  } satisfies Fields<keyof FabioSettings>),
  promotion: object({
    canary: leaf, confirm: leaf, releasesFrom: leaf, maxReleaseAge: leaf, soak: leaf, prune: leaf,
    analysis: object({
      steps: leaf, interval: leaf, count: leaf, failureLimit: leaf, maxErrorRatio: leaf, maxP99Latency: leaf, confidence: leaf, window: leaf,
    } satisfies Fields<keyof CanaryAnalysisSettings>),
  } satisfies Fields<keyof PromotionPolicy>),
  registries: arrayOf(object({ host: leaf, address: leaf } satisfies Fields<keyof RegistryTarget>)),
  logs,
} satisfies Fields<keyof Environment>);
