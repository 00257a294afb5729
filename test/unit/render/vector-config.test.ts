import { readFile } from 'node:fs/promises';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import prod from '../../../environments/prod.ts';
import qa from '../../../environments/qa.ts';
import logShipper from '../../../jobs/log-shipper.ts';
import { defineEnvironment, type Environment } from '../../../src/config/environment.ts';
import type { LogSink } from '../../../src/config/environment.ts';
import { renderJob } from '../../../src/render/job.ts';
import { LINE_LABELS, renderVectorConfig, VECTOR_CONFIG_DESTINATION, vectorConfig, vectorConfigPath } from '../../../src/render/vector-config.ts';
import { aContext } from '../../support/environments.ts';
import { repoRoot } from '../../support/run-cli.ts';
import { VECTOR_DOCUMENTED_KEYS } from '../../support/vector-documented-keys.ts';

type Table = Record<string, unknown>;

const withSink = (sink: LogSink): Environment => defineEnvironment({ ...qa, logs: { sink } });
const CASES: readonly (readonly [string, Environment])[] = [
  ['qa (loki, basic auth)', qa],
  ['prod (elasticsearch, basic auth)', prod],
  ['loki with bearer token and tenant', withSink({ kind: 'loki', address: 'http://loki:3100/', tenantId: 'shop', auth: { strategy: 'bearer', secret: { path: 'logs/loki', mount: 'kv' } } })],
  ['opensearch without auth, own index', withSink({ kind: 'opensearch', address: 'https://os.internal:9200', index: 'shop-%Y.%m' })],
];

const isTable = (value: unknown): value is Table => typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);

/** `component.option` paths of a component's table, not descending into user-named maps. */
function optionPaths(table: Table, maps: readonly string[], prefix = ''): string[] {
  return Object.entries(table).flatMap(([key, value]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    return isTable(value) && !maps.includes(path) ? [path, ...optionPaths(value, maps, path)] : [path];
  });
}

/** Every option of `config` that the documented-keys table does not list, or lists with other values. */
function undocumented(config: Table): string[] {
  const found: string[] = [];
  const global = VECTOR_DOCUMENTED_KEYS.global;
  for (const path of optionPaths(config, ['enrichment_tables', 'sources', 'transforms', 'sinks'])) {
    if (!global?.keys.includes(path)) found.push(`global: ${path}`);
  }
  for (const section of ['enrichment_tables', 'sources', 'transforms', 'sinks']) {
    for (const [id, component] of Object.entries((config[section] ?? {}) as Record<string, Table>)) {
      const doc = VECTOR_DOCUMENTED_KEYS[`${section}.${String(component.type)}`];
      if (!doc) {
        found.push(`${section}.${id}: type ${String(component.type)} is not in the table`);
        continue;
      }
      for (const path of optionPaths(component, doc.maps ?? [])) {
        if (!doc.keys.includes(path)) found.push(`${section}.${id}: ${path}`);
        const allowed = doc.values?.[path];
        const value = path.split('.').reduce<unknown>((v, k) => (v as Table)[k], component);
        if (allowed && !allowed.includes(value as string)) found.push(`${section}.${id}: ${path} = ${String(value)}`);
      }
    }
  }
  return found;
}

describe('the generated Vector config', () => {
  it.each(CASES)('parses as TOML and uses only options Vector documents (%s)', (_name, env) => {
    const text = renderVectorConfig(env);
    expect(text).toBeDefined();
    const parsed = parse(text as string) as Table;
    expect(parsed).toEqual(JSON.parse(JSON.stringify(vectorConfig(env))));
    expect(undocumented(parsed)).toEqual([]);
  });

  it('finds an option the table does not list, and a value it does not allow (the check can fail)', () => {
    const config = JSON.parse(JSON.stringify(vectorConfig(qa))) as Table;
    const sinks = config.sinks as Record<string, Table>;
    (sinks.log_store as Table).remove_label_field = true;
    ((config.sources as Record<string, Table>).alloc_logs as Table).read_from = 'start';
    expect(undocumented(config)).toEqual(['sources.alloc_logs: read_from = start', 'sinks.log_store: remove_label_field']);
  });

  it.each(CASES)('connects every input to a component that exists (%s)', (_name, env) => {
    const config = vectorConfig(env) as Table;
    const ids = new Set(['enrichment_tables', 'sources', 'transforms'].flatMap((s) => Object.keys((config[s] ?? {}) as Table)));
    const inputs = ['enrichment_tables', 'transforms', 'sinks'].flatMap((s) => Object.values((config[s] ?? {}) as Record<string, Table>).flatMap((c) => (c.inputs ?? []) as string[]));
    expect(inputs.filter((input) => !ids.has(input))).toEqual([]);
    expect(new Set(inputs)).toEqual(new Set([...ids].filter((id) => id !== 'nomad_allocs')));
  });

  it('labels each Loki stream with the issue\'s labels and keeps alloc in the line', () => {
    const sink = (vectorConfig(qa) as { sinks: { log_store: Table } }).sinks.log_store;
    expect(sink.labels).toEqual(Object.fromEntries(LINE_LABELS.map((l) => [l, `{{ ${l} }}`])));
    const program = ((vectorConfig(qa) as { transforms: { labelled_lines: Table } }).transforms.labelled_lines.source as string);
    for (const field of [...LINE_LABELS, 'alloc', 'stream']) expect(program).toMatch(new RegExp(`^\\.${field} = `, 'm'));
  });

  it('sends OpenSearch the Elasticsearch 7 API, Elasticsearch whatever it announces, and the index asked for', () => {
    const sinkOf = (env: Environment) => (vectorConfig(env) as { sinks: { log_store: Table } }).sinks.log_store;
    expect(sinkOf(prod)).toMatchObject({ type: 'elasticsearch', api_version: 'auto', bulk: { index: 'nomad-logs-%Y.%m.%d' }, endpoints: ['https://logs.prod.example.internal:9200'] });
    const opensearch = CASES[3]?.[1] as Environment;
    expect(sinkOf(opensearch)).toMatchObject({ api_version: 'v7', bulk: { index: 'shop-%Y.%m' } });
    expect(sinkOf(opensearch).auth).toBeUndefined();
  });

  it('reads only variables the log-shipper task is given, and holds no credential', () => {
    for (const [, env] of CASES) {
      const text = renderVectorConfig(env) as string;
      const task = logShipper.build(env).groups[0]?.tasks[0];
      const provided = new Set(['NOMAD_DC', ...Object.keys(task?.env ?? {}), ...(task?.secrets ?? []).map((s) => s.env)]);
      const read = [...text.matchAll(/\$\{(\w+)\}|get_env_var\("(\w+)"\)/g)].map((m) => m[1] ?? m[2]);
      expect(read.filter((name) => !provided.has(name as string))).toEqual([]);
      // Vector interpolates $NAME anywhere in the file, VRL included: no other $ may appear.
      expect(text.replace(/\$\{\w+\}/g, '')).not.toContain('$');
      expect(text).not.toMatch(/password = "[^$]/);
    }
  });

  it('is absent for an environment without logs.sink', () => {
    const none = defineEnvironment({ ...qa, logs: undefined });
    expect(vectorConfig(none)).toBeUndefined();
    expect(renderVectorConfig(none)).toBeUndefined();
  });

  it.each([qa, prod])('is committed next to the job as rendered ($name)', async (env) => {
    const committed = await readFile(`${repoRoot}${vectorConfigPath('jobs/log-shipper.ts', env.name)}`, 'utf8');
    expect(committed).toBe(renderVectorConfig(env));
  });

  it('reaches the task through a template whose only consul-template actions print braces', () => {
    const job = renderJob(logShipper.build(qa), aContext(qa));
    const template = job.TaskGroups?.[0]?.Tasks?.[0]?.Templates?.find((t) => t.DestPath === VECTOR_CONFIG_DESTINATION);
    const data = template?.EmbeddedTmpl ?? '';
    const actions = /\{\{"(\{\{|\}\})"\}\}/g;
    expect(data.replace(actions, '')).not.toMatch(/\{\{|\}\}/);
    expect(data.replace(actions, '$1')).toBe(renderVectorConfig(qa));
    expect(template).toMatchObject({ ChangeMode: 'signal', ChangeSignal: 'SIGHUP' });
  });
});

describe('docs/log-shipping.md', () => {
  it('lists every documented option, under its component, with the page that documents it', async () => {
    const page = await readFile(`${repoRoot}docs/log-shipping.md`, 'utf8');
    const missing: string[] = [];
    for (const [component, doc] of Object.entries(VECTOR_DOCUMENTED_KEYS)) {
      const row = page.split('\n').find((line) => line.startsWith(`| \`${component}\``));
      if (!row) {
        missing.push(component);
        continue;
      }
      if (!row.includes(doc.url)) missing.push(`${component}: ${doc.url}`);
      for (const key of doc.keys) if (!row.includes(`\`${key}\``)) missing.push(`${component}: ${key}`);
    }
    expect(missing).toEqual([]);
  });
});
