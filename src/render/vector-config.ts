import type { Environment, LogSink } from '../config/environment.ts';
import type { LoadedJob } from '../model/loaded-job.ts';
import { GENERATED_MARKER } from '../secrets/derive.ts';
import { printToml, type TomlTable } from './toml.ts';

/**
 * Vector's configuration for the log shipper (jobs/log-shipper.ts), a pure function of the
 * environment. Every key used here is listed, with the page that documents it for this version,
 * in docs/log-shipping.md, and test/unit/render/vector-config.test.ts holds the config to that list.
 */

/** The Vector release the config is written for; the job runs its image. */
export const VECTOR_VERSION = '0.46.1';
export const VECTOR_IMAGE = `timberio/vector:${VECTOR_VERSION}-debian`;
/** Host volume every client declares over `<data_dir>/alloc` (README "Shipping logs"). */
export const ALLOC_LOGS_VOLUME = 'nomad-alloc-logs';
/** Where the shipper task sees that volume. */
export const ALLOC_LOGS_MOUNT = '/nomad/alloc';
/** Where Nomad renders the config inside the task. */
export const VECTOR_CONFIG_DESTINATION = 'local/vector.toml';
/** Vector's API (GET /health) inside the task. */
export const VECTOR_API_PORT = 8686;
/** Job meta that marks the job shipping logs: its environments must say where (`logs.sink`). */
export const LOG_SHIPPER_META = 'drover.log-shipper';

/** Variables the task's environment provides and the config reads (Vector interpolates `${NAME}`). */
export const SHIPPER_ENV = {
  /** Nomad ACL token (from Vault) allowed to list allocations in every namespace. */
  nomadToken: 'NOMAD_TOKEN',
  /** `${node.unique.id}` and `${node.unique.name}`, set by the job (Nomad interpolates them). */
  nodeId: 'NODE_ID',
  nodeName: 'NODE_NAME',
  /** Set by Nomad in every task. */
  datacenter: 'NOMAD_DC',
  sinkUsername: 'LOG_SINK_USERNAME',
  sinkPassword: 'LOG_SINK_PASSWORD',
  sinkToken: 'LOG_SINK_TOKEN',
} as const;

/** Index written to Elasticsearch and OpenSearch unless the environment names one. */
export const DEFAULT_LOG_INDEX = 'nomad-logs-%Y.%m.%d';

/** The labels every line carries (Loki stream labels; fields in the JSON line everywhere). */
export const LINE_LABELS = ['job', 'group', 'task', 'namespace', 'node', 'datacenter', 'canary'] as const;

/**
 * Nomad writes a task's output to `<data_dir>/alloc/<alloc id>/alloc/logs/<task>.<stdout|stderr>.<n>`;
 * the path gives alloc, task and stream. `\z` rather than `$`, which Vector would read as a variable.
 */
const LOG_PATH = String.raw`/(?P<alloc>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/alloc/logs/(?P<task>.+)\.(?P<stream>stdout|stderr)\.[0-9]+\z`;

/** One row per allocation on this node, keyed by its ID, into the memory table. */
const ALLOCATION_ROW = `id = .ID
. = set!(value: {}, path: [id], data: {
  "job": .JobID,
  "group": .TaskGroup,
  "namespace": .Namespace,
  "canary": .DeploymentStatus.Canary == true
})
`;

/** Labels a log line from its file path, the node's environment and the allocation's row. */
const LABEL_LINE = `parts = parse_regex(string(.file) ?? "", r'${LOG_PATH}') ?? {}
.alloc = string(parts.alloc) ?? "unknown"
.task = string(parts.task) ?? "unknown"
.stream = string(parts.stream) ?? "unknown"
.node = get_env_var("${SHIPPER_ENV.nodeName}") ?? "unknown"
.datacenter = get_env_var("${SHIPPER_ENV.datacenter}") ?? "unknown"
row = get_enrichment_table_record("nomad_allocs", { "key": .alloc }) ?? {}
.job = string(row.value.job) ?? "unknown"
.group = string(row.value.group) ?? "unknown"
.namespace = string(row.value.namespace) ?? "unknown"
.canary = row.value.canary == true
del(.file)
del(.host)
del(.offset)
del(.source_type)
`;

/** The config as a table (what the tests inspect); undefined when the environment ships no logs. */
export function vectorConfig(env: Environment): TomlTable | undefined {
  const sink = env.logs?.sink;
  if (!sink) return undefined;
  return {
    data_dir: '/alloc/data',
    api: { enabled: true, address: `0.0.0.0:${VECTOR_API_PORT}` },
    enrichment_tables: {
      // Rows expire unless the next poll writes them again: an allocation gone from the node drops out.
      nomad_allocs: { type: 'memory', inputs: ['nomad_allocation_rows'], ttl: 600 },
    },
    sources: {
      alloc_logs: {
        type: 'file',
        include: [`${ALLOC_LOGS_MOUNT}/*/alloc/logs/*.stdout.[0-9]*`, `${ALLOC_LOGS_MOUNT}/*/alloc/logs/*.stderr.[0-9]*`],
        // logmon's FIFOs (.<task>.stdout.fifo) live next to the files: reading one would block.
        exclude: [`${ALLOC_LOGS_MOUNT}/*/alloc/logs/.*`],
        read_from: 'beginning',
        ignore_older_secs: 86400,
      },
      nomad_allocations: {
        type: 'http_client',
        endpoint: `${env.nomad.address.replace(/\/+$/, '')}/v1/allocations`,
        method: 'GET',
        scrape_interval_secs: 10,
        scrape_timeout_secs: 5,
        headers: { 'X-Nomad-Token': [`\${${SHIPPER_ENV.nomadToken}}`] },
        query: { namespace: ['*'], filter: [`NodeID == "\${${SHIPPER_ENV.nodeId}}"`] },
        decoding: { codec: 'json' },
      },
    },
    transforms: {
      nomad_allocation_rows: { type: 'remap', inputs: ['nomad_allocations'], drop_on_error: true, source: ALLOCATION_ROW },
      labelled_lines: { type: 'remap', inputs: ['alloc_logs'], source: LABEL_LINE },
    },
    sinks: { log_store: sinkConfig(sink, 'labelled_lines') },
  };
}

function sinkConfig(sink: LogSink, input: string): TomlTable {
  const user = `\${${SHIPPER_ENV.sinkUsername}}`;
  const password = `\${${SHIPPER_ENV.sinkPassword}}`;
  const auth = sink.auth?.strategy === 'bearer'
    ? { strategy: 'bearer', token: `\${${SHIPPER_ENV.sinkToken}}` }
    : sink.auth ? { strategy: 'basic', user, password } : undefined;
  if (sink.kind === 'loki') {
    return {
      type: 'loki',
      inputs: [input],
      endpoint: sink.address.replace(/\/+$/, ''),
      tenant_id: sink.tenantId,
      out_of_order_action: 'accept',
      encoding: { codec: 'json' },
      // alloc stays a field of the line: one stream per allocation would grow Loki's index with every deploy.
      labels: Object.fromEntries(LINE_LABELS.map((label) => [label, `{{ ${label} }}`])),
      auth,
    };
  }
  return {
    type: 'elasticsearch',
    inputs: [input],
    endpoints: [sink.address.replace(/\/+$/, '')],
    mode: 'bulk',
    // OpenSearch answers the version probe with its own 2.x/3.x numbering; its bulk API is Elasticsearch 7's.
    api_version: sink.kind === 'opensearch' ? 'v7' : 'auto',
    bulk: { index: sink.index ?? DEFAULT_LOG_INDEX },
    auth,
  };
}

/** The committed file's text: a header saying where it comes from, then the TOML. */
export function renderVectorConfig(env: Environment): string | undefined {
  const table = vectorConfig(env);
  if (!table) return undefined;
  const header = [
    `# ${GENERATED_MARKER}; source: environments/${env.name}.ts via src/render/vector-config.ts`,
    `# Vector ${VECTOR_VERSION} for the ${env.name} environment: every allocation's stdout/stderr on the node,`,
    `# labelled with ${LINE_LABELS.join(', ')} and alloc, shipped to ${env.logs?.sink.kind}. See docs/log-shipping.md.`,
  ];
  return `${header.join('\n')}\n\n${printToml(table)}\n`;
}

/** Committed path of a shipper job's config: `jobs/log-shipper.ts` → `jobs/log-shipper/vector.qa.toml`. */
export function vectorConfigPath(jobFile: string, envName: string): string {
  return `${jobFile.replace(/\.[cm]?[jt]s$/, '')}/vector.${envName}.toml`;
}

/** The committed Vector configs `env`'s jobs render: one per job marked as the log shipper, none without `logs.sink`. */
export function vectorConfigPaths(jobs: readonly LoadedJob[], env: Environment): string[] {
  if (!env.logs?.sink) return [];
  return jobs.filter(({ spec }) => spec.meta?.[LOG_SHIPPER_META] !== undefined).map(({ file }) => vectorConfigPath(file, env.name));
}
