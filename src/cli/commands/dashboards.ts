import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createPrometheusClient } from '../../clients/prometheus/index.ts';
import { renderDashboards, type Dashboard } from '../../dashboards/index.ts';
import { esc, queriesOf, renderDashboardHtml, type LiveValues } from '../../dashboards/html.ts';
import { ExitCode, UsageError } from '../../errors.ts';
import { toNanoseconds } from '../../model/duration.ts';
import type { Style } from '../../report/style.ts';
import { parseCommandArgs } from '../args.ts';
import { readLiveValues } from '../dashboard-values.ts';
import { withErrorOrigin } from '../origin.ts';
import type { CliIo } from '../io.ts';
import { openProject, prepare, reportPrepared } from '../pipeline.ts';
import { prometheusTarget } from '../prometheus-target.ts';
import { DASHBOARDS_HELP, DASHBOARDS_OPTIONS } from '../usage/dashboards.ts';

/** `drover dashboards <env>`: the static HTML pages of the environment's dashboards. */
export async function dashboardsCommand(argv: readonly string[], io: CliIo, style: Style): Promise<number> {
  const { values, positionals } = parseCommandArgs('dashboards', argv, DASHBOARDS_OPTIONS);
  if (values.help) return io.stdout.write(DASHBOARDS_HELP), ExitCode.ok;
  if (positionals.length !== 1) throw new UsageError(positionals.length ? `Unexpected arguments: ${positionals.slice(1).join(' ')}` : 'Missing <env>', { hint: 'Usage: drover dashboards <env> [--prometheus URL | --live] [--out DIR]' });
  if (values.prometheus && values.live) throw new UsageError('--prometheus and --live both say where Prometheus is', { hint: 'Give one of them.' });
  const rangeNanos = toNanoseconds(values.range ?? '1h');
  if (!rangeNanos) throw new UsageError(`--range ${values.range} is not a duration`, { hint: 'Use a Go duration such as 30m, 6h or 1h30m.' });
  const project = await openProject(io, values, { typecheck: !values['no-typecheck'] });
  const prepared = prepare(project, positionals[0], io);
  if (!reportPrepared(prepared, io, style, 'nothing was written')) return ExitCode.validation;
  const dashboards = renderDashboards(prepared.env, prepared.jobs);
  const address = values.prometheus ?? (values.live ? prometheusTarget(prepared.env, io.env).address : undefined);
  if (values.live && !address) throw new UsageError(`Environment ${prepared.env.name} names no Prometheus`, { hint: `Set prometheus.address in environments/${prepared.env.name}.ts, export DROVER_PROMETHEUS_ADDR, or pass --prometheus URL.` });
  const addressFrom = values.prometheus ? '--prometheus' : prometheusTarget(prepared.env, io.env).addressFrom;
  const live = address ? await readAll(dashboards, { address, addressFrom }, rangeNanos / 1e6, io) : new Map<string, LiveValues>();
  const outDir = join(values.out ?? join('build', 'dashboards'), prepared.env.name);
  await mkdir(resolve(io.cwd, outDir), { recursive: true });
  for (const dashboard of dashboards) {
    const file = join(outDir, `${dashboard.uid}.html`);
    const values = live.get(dashboard.uid);
    await writeFile(resolve(io.cwd, file), renderDashboardHtml(dashboard, { siblings: dashboards, ...(values ? { live: values } : {}) }));
    io.stdout.write(`${file}\n`);
  }
  await writeFile(resolve(io.cwd, outDir, 'index.html'), indexPage(prepared.env.name, dashboards));
  io.stdout.write(`${join(outDir, 'index.html')}\n`);
  const failed = [...live.values()].reduce((n, v) => n + [...v.results.values()].filter((r) => !r.ok).length, 0);
  const summary = address ? ` with values from ${address}${failed ? ` (${failed} quer${failed === 1 ? 'y' : 'ies'} refused, shown on the pages)` : ''}` : '';
  io.stderr.write(`${style.green('✔')} Wrote ${dashboards.length} dashboard pages for ${prepared.env.name}${summary}: open ${join(outDir, 'index.html')}\n`);
  return ExitCode.ok;
}

async function readAll(dashboards: readonly Dashboard[], target: { address: string; addressFrom: string }, rangeMs: number, io: CliIo): Promise<Map<string, LiveValues>> {
  const { address } = target;
  const token = io.env['DROVER_PROMETHEUS_TOKEN'];
  const client = createPrometheusClient({ address, ...(token ? { token } : {}) });
  // Connection failures and refused tokens name this Prometheus and where its address came from.
  const prometheus = withErrorOrigin(client, { name: 'Prometheus', address, addressFrom: target.addressFrom, addressVariable: 'DROVER_PROMETHEUS_ADDR', tokenVariable: 'DROVER_PROMETHEUS_TOKEN', tokenSet: Boolean(token) });
  try {
    const endMs = Date.now();
    const live = new Map<string, LiveValues>();
    for (const dashboard of dashboards) live.set(dashboard.uid, await readLiveValues(prometheus, queriesOf(dashboard), { address, endMs, rangeMs }));
    return live;
  } finally {
    client.close();
  }
}

function indexPage(env: string, dashboards: readonly Dashboard[]): string {
  const items = dashboards.map((d) => `<li><a href="${esc(d.uid)}.html">${esc(d.title)}</a><br>${esc(d.description)}</li>`).join('\n');
  return `<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8"><title>drover ${esc(env)} dashboards</title>\n<style>body{font:15px/1.5 system-ui,sans-serif;margin:24px;max-width:80ch}li{margin:10px 0}</style></head>\n<body><h1>drover ${esc(env)} dashboards</h1>\n<ul>\n${items}\n</ul>\n</body>\n</html>\n`;
}
