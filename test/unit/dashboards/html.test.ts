import { describe, expect, it } from 'vitest';
import { formatLegend, formatValue } from '../../../src/dashboards/format.ts';
import { queriesOf, renderDashboardHtml, type QueryOutcome } from '../../../src/dashboards/html.ts';
import type { Dashboard } from '../../../src/dashboards/model.ts';
import { literalRegex, substituteVariables, variablesOf } from '../../../src/dashboards/promql.ts';

const dashboard: Dashboard = {
  uid: 'drover-qa-test',
  title: 'drover qa · Test <board>',
  description: 'A board & its panels.',
  env: 'qa',
  tags: ['drover'],
  variables: [{ name: 'datacenter', label: 'Datacenter', metric: 'nomad_client_uptime', labelName: 'datacenter' }],
  rateInterval: '60s',
  rows: [
    {
      title: 'Row one',
      panels: [
        { title: 'Requests', description: 'Requests per target.', kind: 'timeseries', unit: 'reqps', queries: [{ expr: 'sum by (target) (rate(x{dc=~"$datacenter"}[$__rate_interval]))', legend: '{{target}}' }], thresholds: [{ value: 5, color: 'red' }] },
        { title: 'Outcome', description: 'Exit code.', kind: 'stat', unit: 'none', queries: [{ expr: 'max(exit)', legend: 'exit' }], thresholds: [{ value: 1, color: 'red' }], valueText: { '0': 'deployed', '1': 'failed' } },
        { title: 'Broken', description: 'A query Prometheus refuses.', kind: 'table', unit: 'none', queries: [{ expr: 'sum(', legend: '' }] },
      ],
    },
  ],
};

describe('static dashboard pages', () => {
  it('sends each query once with the variables filled in as "all" and the rate interval', () => {
    expect(queriesOf(dashboard)).toEqual(['sum by (target) (rate(x{dc=~".*"}[60s]))', 'max(exit)', 'sum(']);
  });

  it('shows titles, descriptions and queries, escaped, without values when no Prometheus was given', () => {
    const html = renderDashboardHtml(dashboard, { siblings: [dashboard] });
    expect(html).toContain('<title>drover qa · Test &lt;board&gt;</title>');
    expect(html).toContain('A board &amp; its panels.');
    expect(html).toContain('<code>sum by (target) (rate(x{dc=~&quot;.*&quot;}[60s]))</code>');
    expect(html).toContain('No Prometheus was given');
    expect(html).not.toContain('<svg');
    expect(html).not.toMatch(/<script|https?:\/\/(?!prometheus)/);
    expect(renderDashboardHtml(dashboard, { siblings: [dashboard] })).toBe(html);
  });

  it('draws series as inline SVG with their last values, maps stat values to words and shows refusals', () => {
    const results = new Map<string, QueryOutcome>([
      ['sum by (target) (rate(x{dc=~".*"}[60s]))', { ok: true, series: [{ labels: { target: 'http://10.0.0.1:8080/' }, points: [{ timeMs: 1000, value: 2 }, { timeMs: 2000, value: 10 }, { timeMs: 3000, value: 12.5 }] }] }],
      ['max(exit)', { ok: true, series: [{ labels: {}, points: [{ timeMs: 3000, value: 1 }] }] }],
      ['sum(', { ok: false, error: 'bad_data: 1:5: parse error: unclosed left parenthesis' }],
    ]);
    const html = renderDashboardHtml(dashboard, { siblings: [dashboard], live: { prometheus: 'http://127.0.0.1:9090', startMs: 1000, endMs: 3000, results } });
    expect(html).toContain('<polyline');
    expect(html).toContain('stroke-dasharray'); // the threshold at 5 lies inside 0..12.5
    expect(html).toContain('http://10.0.0.1:8080/</td><td class="num">12.5 req/s</td>');
    expect(html).toContain('<p class="stat-value" style="background:#e02f44">failed</p>');
    expect(html).toContain('parse error: unclosed left parenthesis');
  });
});

describe('values and legends', () => {
  it.each([
    [0.1234, 'percentunit', '12.3 %'],
    [1234.5, 'reqps', '1230 req/s'],
    [25_000, 'reqps', '25k req/s'],
    [0.2345, 's', '235 ms'],
    [3600, 's', '60 min'],
    [768 * 1024 * 1024, 'bytes', '768 MiB'],
    [1000, 'mhz', '1000 MHz'],
    [Number.NaN, 'short', 'NaN'],
  ] as const)('formats %s as %s → %s', (value, unit, text) => {
    expect(formatValue(value, unit)).toBe(text);
  });

  it('fills legends from labels', () => {
    expect(formatLegend('{{task_group}} running', { task_group: 'api' })).toBe('api running');
    expect(formatLegend('{{missing}}', {})).toBe('{}');
  });

  it('substitutes longest variable names first and leaves regex groups alone', () => {
    expect(substituteVariables('rate(x[$__rate_interval]) $__rate ${dc} "$1"', { __rate_interval: '1m', __rate: 'R', dc: 'a' })).toBe('rate(x[1m]) R a "$1"');
    expect(variablesOf('label_replace(x, "i", "$1", "t", "(.*)")[$__rate_interval] $dc')).toEqual(['__rate_interval', 'dc']);
    expect(literalRegex('a.b|c')).toBe('a\\.b\\|c');
  });
});
