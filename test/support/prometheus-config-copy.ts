/**
 * A runnable copy of prometheus/prometheus.yml for the real `promtool check config` and a real
 * `prometheus`: no Prometheus build that can run here knows `consul_sd_configs` (Debian's
 * packages leave Consul discovery out: bookworm's 2.42, trixie's 2.53.3 and sid's 3.5.3 all answer
 * "field consul_sd_configs not found in type config.ScrapeConfig"), so the copy changes only:
 *
 * - each job's (and the Alertmanagers') `consul_sd_configs` → `static_configs` with targets
 *   labelled as Consul discovery labels them (`__meta_consul_*`), so the real relabelling runs
 *   on them;
 * - every `ca_file` / `credentials_file` → a file that exists (check config stats them; the
 *   Prometheus host's /etc/prometheus/… do not exist here);
 * - `rule_files` → absolute paths; optionally intervals, for a test that cannot wait 15 s.
 *
 * Everything else (relabel and metric_relabel rules, params, schemes, TLS and authorization
 * blocks, external labels, alerting) is the production file's, untouched.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A target as Consul discovery would produce it: `__address__` plus `__meta_consul_*` labels. */
export interface DiscoveredTarget {
  readonly address: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface CopyOptions {
  /** Directory for the secret stand-ins (created). */
  readonly dir: string;
  /** A PEM certificate to stand in for every ca_file. */
  readonly caPem: string;
  /** Targets per scrape job name; a job without any gets none. */
  readonly targets: Readonly<Record<string, readonly DiscoveredTarget[]>>;
  /** Absolute paths of the rule files to load instead of the configured ones. */
  readonly ruleFiles: readonly string[];
  /** `host:port` of an Alertmanager; without one the alerting block has no targets. */
  readonly alertmanager?: string;
  /** Global intervals to use instead of production's (scrape_interval, evaluation_interval, …). */
  readonly global?: Readonly<Record<string, string>>;
  /** Per-job scrape_interval (and an equal scrape_timeout). */
  readonly jobIntervals?: Readonly<Record<string, string>>;
}

type Json = Record<string, unknown>;

/** Returns the copied configuration (JSON, which is YAML) and writes the secret stand-ins into `options.dir`. */
export function testCopyOfPrometheusConfig(production: Json, options: CopyOptions): Json {
  mkdirSync(options.dir, { recursive: true });
  const copy = structuredClone(production) as Json;
  const standIns = new Map<string, string>();
  const standIn = (key: 'ca_file' | 'credentials_file', path: string): string => {
    let file = standIns.get(path);
    if (!file) {
      file = join(options.dir, `${standIns.size}-${path.split('/').pop()}`);
      writeFileSync(file, key === 'ca_file' ? options.caPem : 'test-token-not-a-secret\n');
      standIns.set(path, file);
    }
    return file;
  };
  replaceFiles(copy, standIn);
  copy.global = { ...(copy.global as Json), ...options.global };
  copy.rule_files = [...options.ruleFiles];
  for (const job of copy.scrape_configs as Json[]) {
    delete job.consul_sd_configs;
    job.static_configs = (options.targets[String(job.job_name)] ?? []).map((t) => ({ targets: [t.address], labels: t.labels }));
    const interval = options.jobIntervals?.[String(job.job_name)];
    if (interval) Object.assign(job, { scrape_interval: interval, scrape_timeout: interval });
  }
  const alerting = copy.alerting as { alertmanagers: Json[] } | undefined;
  for (const manager of alerting?.alertmanagers ?? []) {
    delete manager.consul_sd_configs;
    manager.static_configs = options.alertmanager ? [{ targets: [options.alertmanager] }] : [];
  }
  return copy;
}

/** Every consul_sd_configs block of the file (scrape jobs and Alertmanagers), with where it is. */
export function consulSdBlocks(production: Json): { readonly where: string; readonly block: Json }[] {
  const jobs = (production.scrape_configs as Json[]).flatMap((job) => ((job.consul_sd_configs as Json[] | undefined) ?? []).map((block) => ({ where: `scrape job ${String(job.job_name)}`, block })));
  const managers = ((production.alerting as { alertmanagers?: Json[] } | undefined)?.alertmanagers ?? []).flatMap((m) => ((m.consul_sd_configs as Json[] | undefined) ?? []).map((block) => ({ where: 'alerting', block })));
  return [...jobs, ...managers];
}

function replaceFiles(node: unknown, standIn: (key: 'ca_file' | 'credentials_file', path: string) => string): void {
  if (Array.isArray(node)) {
    for (const item of node) replaceFiles(item, standIn);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const object = node as Json;
  for (const [key, value] of Object.entries(object)) {
    if ((key === 'ca_file' || key === 'credentials_file') && typeof value === 'string') object[key] = standIn(key, value);
    else replaceFiles(value, standIn);
  }
}
