/**
 * A dashboard as one self-contained HTML page (inline CSS and SVG, no script, nothing fetched):
 * every panel with its title, description, unit and the queries as sent, and, when values from a
 * Prometheus are given, a sparkline and the last value of each series. Pure: the caller runs the
 * queries (`queriesOf`) and hands their outcomes in.
 */
import type { PromSeries } from '../wire/prometheus-answer.ts';
import { formatLegend, formatValue } from './format.ts';
import { widthOf } from './grafana.ts';
import type { Dashboard, Panel, PanelQuery } from './model.ts';
import { substituteVariables } from './promql.ts';
import { PALETTE, renderSparkline } from './sparkline.ts';

/** One query's outcome: its series over the window, or why Prometheus refused it. */
export type QueryOutcome = { readonly ok: true; readonly series: readonly PromSeries[] } | { readonly ok: false; readonly error: string };

/** Values read from a Prometheus for one page. */
export interface LiveValues {
  /** Address shown on the page. */
  readonly prometheus: string;
  readonly startMs: number;
  readonly endMs: number;
  /** By query as sent ({@link queriesOf}). */
  readonly results: ReadonlyMap<string, QueryOutcome>;
}

/** Options of {@link renderDashboardHtml}. */
export interface HtmlOptions {
  /** Every dashboard of the environment, linked from the page's navigation (file `<uid>.html`). */
  readonly siblings: readonly Dashboard[];
  readonly live?: LiveValues;
}

const COLORS = { green: '#37872d', orange: '#ff9830', red: '#e02f44' } as const;

/** What each variable means on a page without Grafana: every value (`.*`), and 4 scrape intervals for rates. */
export function staticVariables(dashboard: Dashboard): Record<string, string> {
  return { __rate_interval: dashboard.rateInterval, ...Object.fromEntries(dashboard.variables.map((v) => [v.name, '.*'])) };
}

/** A query as the page (and the tests) send it: variables filled in. */
export function querySent(dashboard: Dashboard, query: PanelQuery): string {
  return substituteVariables(query.expr, staticVariables(dashboard));
}

/** Every query of a dashboard as sent, each once, in order. */
export function queriesOf(dashboard: Dashboard): string[] {
  return [...new Set(dashboard.rows.flatMap((r) => r.panels.flatMap((p) => p.queries.map((q) => querySent(dashboard, q)))))];
}

/** The page of `dashboard`. Deterministic for the same input (no clock: times come with `live`). */
export function renderDashboardHtml(dashboard: Dashboard, options: HtmlOptions): string {
  const { live } = options;
  const source = live
    ? `Values from <code>${esc(live.prometheus)}</code>, ${esc(new Date(live.startMs).toISOString())} to ${esc(new Date(live.endMs).toISOString())}.`
    : 'No Prometheus was given (<code>--prometheus</code>): panels show their queries only.';
  const nav = options.siblings.map((d) => (d.uid === dashboard.uid ? `<strong>${esc(shortTitle(d))}</strong>` : `<a href="${esc(d.uid)}.html">${esc(shortTitle(d))}</a>`)).join(' · ');
  const rows = dashboard.rows
    .map((row) => `<section class="row"><h2>${esc(row.title)}</h2><div class="grid">${row.panels.map((p) => renderPanel(p, dashboard, live)).join('\n')}</div></section>`)
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="drover">
<title>${esc(dashboard.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>${esc(dashboard.title)}</h1><nav>${nav}</nav><p>${esc(dashboard.description)}</p><p class="source">${source} Rates over <code>${esc(dashboard.rateInterval)}</code>${dashboard.variables.length ? `; ${dashboard.variables.map((v) => `<code>$${esc(v.name)}</code>`).join(', ')} = all` : ''}.</p></header>
<main>
${rows}
</main>
</body>
</html>
`;
}

function shortTitle(dashboard: Dashboard): string {
  return dashboard.title.replace(/^drover \S+ · /, '');
}

function renderPanel(panel: Panel, dashboard: Dashboard, live: LiveValues | undefined): string {
  const sent = panel.queries.map((q) => ({ query: q, expr: querySent(dashboard, q) }));
  const queries = sent.map(({ query, expr }) => `<li><code>${esc(expr)}</code>${query.legend ? ` <span class="legend">as ${esc(query.legend)}</span>` : ''}</li>`).join('');
  const body = live ? renderValues(panel, sent, live) : '';
  return `<article class="panel ${panel.kind}" style="grid-column: span ${widthOf(panel)}" data-kind="${panel.kind}">
<h3>${esc(panel.title)}</h3>
<p class="description">${esc(panel.description)}</p>
${body}<details${live ? '' : ' open'}><summary>${panel.queries.length === 1 ? 'Query' : `${panel.queries.length} queries`} · unit ${esc(panel.unit)}</summary><ul class="queries">${queries}</ul></details>
</article>`;
}

interface Labelled {
  readonly name: string;
  readonly series: PromSeries;
}

function renderValues(panel: Panel, sent: readonly { query: PanelQuery; expr: string }[], live: LiveValues): string {
  const errors: string[] = [];
  const named: Labelled[] = [];
  for (const { query, expr } of sent) {
    const outcome = live.results.get(expr);
    if (!outcome) errors.push(`${expr}: not queried`);
    else if (!outcome.ok) errors.push(outcome.error);
    else named.push(...outcome.series.map((series) => ({ name: formatLegend(query.legend, series.labels), series })));
  }
  const errorText = errors.map((e) => `<p class="error">${esc(e)}</p>`).join('');
  if (named.length === 0) return `${errorText}<p class="nodata">No data${errors.length ? '' : ': no series matched'}.</p>`;
  if (panel.kind === 'stat') return errorText + renderStat(panel, named[0]!);
  const chart = panel.kind === 'timeseries' ? renderSparkline({ series: named.map((n) => n.series), startMs: live.startMs, endMs: live.endMs, thresholds: (panel.thresholds ?? []).map((t) => ({ value: t.value, color: COLORS[t.color] })) }) : '';
  return `${errorText}${chart}${renderTable(panel, named)}`;
}

function lastValue(series: PromSeries): number | undefined {
  return series.points.at(-1)?.value;
}

function colorOf(panel: Panel, value: number): string {
  let color = COLORS[panel.baseColor ?? 'green'];
  for (const t of panel.thresholds ?? []) if (value >= t.value) color = COLORS[t.color];
  return color;
}

function renderStat(panel: Panel, first: Labelled): string {
  const value = lastValue(first.series);
  if (value === undefined) return '<p class="nodata">No data.</p>';
  const text = panel.valueText?.[String(value)] ?? formatValue(value, panel.unit);
  return `<p class="stat-value" style="background:${colorOf(panel, value)}">${esc(text)}</p>`;
}

function renderTable(panel: Panel, named: readonly Labelled[]): string {
  const shown = named.slice(0, 20);
  const rows = shown
    .map((n, index) => {
      const value = lastValue(n.series);
      const swatch = panel.kind === 'timeseries' ? `<span class="swatch" style="background:${PALETTE[index % PALETTE.length]}"></span>` : '';
      return `<tr><td>${swatch}${esc(n.name)}</td><td class="num">${value === undefined ? '–' : esc(panel.valueText?.[String(value)] ?? formatValue(value, panel.unit))}</td></tr>`;
    })
    .join('');
  const more = named.length > shown.length ? `<tr><td colspan="2">… ${named.length - shown.length} more series</td></tr>` : '';
  return `<table class="values"><thead><tr><th>Series</th><th>Last</th></tr></thead><tbody>${rows}${more}</tbody></table>`;
}

/** Text for HTML content and attribute values. */
export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const STYLE = `
:root { color-scheme: light; --fg: #1f2329; --muted: #5b6270; --line: #d8dce3; --card: #fff; --bg: #f4f5f8; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
header { padding: 16px 24px 8px; background: #111217; color: #e8e9ed; }
header h1 { margin: 0 0 4px; font-size: 20px; }
header p { margin: 4px 0; color: #c7c9d1; max-width: 110ch; }
header nav { margin: 4px 0 8px; }
header a { color: #8ab8ff; }
header code { color: #fff; }
main { padding: 8px 24px 24px; }
.row h2 { font-size: 16px; margin: 18px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
.grid { display: grid; grid-template-columns: repeat(24, minmax(0, 1fr)); gap: 10px; }
.panel { background: var(--card); border: 1px solid var(--line); border-radius: 4px; padding: 10px 12px; min-width: 0; }
.panel h3 { margin: 0 0 4px; font-size: 14px; }
.description { margin: 0 0 8px; color: var(--muted); font-size: 12px; }
.spark { width: 100%; height: 90px; background: #fafbfc; border: 1px solid #eceef2; }
.stat-value { margin: 6px 0; padding: 10px; color: #fff; font-size: 26px; font-weight: 600; text-align: center; border-radius: 3px; }
.values { width: 100%; border-collapse: collapse; font-size: 12px; margin-top: 6px; }
.values th, .values td { text-align: left; padding: 2px 4px; border-bottom: 1px solid #eceef2; overflow-wrap: anywhere; }
.values .num { text-align: right; white-space: nowrap; }
.swatch { display: inline-block; width: 10px; height: 3px; margin-right: 6px; vertical-align: middle; }
details { margin-top: 6px; font-size: 12px; }
summary { cursor: pointer; color: var(--muted); }
.queries { margin: 4px 0 0; padding-left: 16px; }
.queries code { font-size: 11px; overflow-wrap: anywhere; }
.legend { color: var(--muted); }
.error { color: #b3141d; font-size: 12px; overflow-wrap: anywhere; }
.nodata { color: var(--muted); font-style: italic; }
@media (max-width: 900px) { .panel { grid-column: span 24 !important; } }
`;
