/**
 * The Vector configuration keys drover's generated config may use, per component type, each with
 * the page of Vector's reference that documents it (read for Vector 0.46.1; the memory enrichment
 * table exists since 0.45.0, see its release notes). docs/log-shipping.md carries the same table
 * for readers; test/unit/render/vector-config.test.ts holds the generated config and that page to
 * this one. A key added to src/render/vector-config.ts must be looked up and added here first.
 */
const REFERENCE = 'https://vector.dev/docs/reference/configuration';

export interface DocumentedComponent {
  /** Where Vector documents these options. */
  readonly url: string;
  /** Dotted option paths (`auth.strategy`); a parent object is listed too (`auth`). */
  readonly keys: readonly string[];
  /** Options whose members are user-chosen names (headers, query parameters, labels). */
  readonly maps?: readonly string[];
  /** The values drover may write for options with a fixed set of them. */
  readonly values?: Readonly<Record<string, readonly (string | boolean)[]>>;
}

/** Top-level options: `global`; components: `<section>.<type>`. */
export const VECTOR_DOCUMENTED_KEYS: Readonly<Record<string, DocumentedComponent>> = {
  global: {
    url: `${REFERENCE}/global-options/`,
    keys: ['data_dir', 'api', 'api.enabled', 'api.address', 'enrichment_tables', 'sources', 'transforms', 'sinks'],
  },
  'enrichment_tables.memory': {
    url: `${REFERENCE}/global-options/#enrichment_tables`,
    keys: ['type', 'inputs', 'ttl'],
  },
  'sources.file': {
    url: `${REFERENCE}/sources/file/`,
    keys: ['type', 'include', 'exclude', 'read_from', 'ignore_older_secs'],
    values: { read_from: ['beginning', 'end'] },
  },
  'sources.http_client': {
    url: `${REFERENCE}/sources/http_client/`,
    keys: ['type', 'endpoint', 'method', 'scrape_interval_secs', 'scrape_timeout_secs', 'headers', 'query', 'decoding', 'decoding.codec'],
    maps: ['headers', 'query'],
    values: { method: ['GET'], 'decoding.codec': ['json'] },
  },
  'transforms.remap': {
    url: `${REFERENCE}/transforms/remap/`,
    keys: ['type', 'inputs', 'source', 'drop_on_error'],
  },
  'sinks.loki': {
    url: `${REFERENCE}/sinks/loki/`,
    keys: ['type', 'inputs', 'endpoint', 'tenant_id', 'out_of_order_action', 'encoding', 'encoding.codec', 'labels', 'auth', 'auth.strategy', 'auth.user', 'auth.password', 'auth.token'],
    maps: ['labels'],
    values: { out_of_order_action: ['accept', 'drop', 'rewrite_timestamp'], 'encoding.codec': ['json'], 'auth.strategy': ['basic', 'bearer'] },
  },
  'sinks.elasticsearch': {
    url: `${REFERENCE}/sinks/elasticsearch/`,
    keys: ['type', 'inputs', 'endpoints', 'mode', 'api_version', 'bulk', 'bulk.index', 'auth', 'auth.strategy', 'auth.user', 'auth.password'],
    values: { mode: ['bulk'], api_version: ['auto', 'v7'], 'auth.strategy': ['basic'] },
  },
};
