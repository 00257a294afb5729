import { createHash } from 'node:crypto';
import { type Router, sendJson, sendText } from '../http.ts';
import { answer } from './blocking.ts';
import type { NomadContext } from './context.ts';
import { current } from './encode.ts';
import { isTerminal } from './model.ts';
import { summaryOf } from './routes-jobs.ts';

/** The address `GET /v1/status/leader` reports (a bare JSON string). */
const LEADER = '127.0.0.1:4647';

/** Status, region, namespace and metrics endpoints. */
export function addStatusRoutes(router: Router, ctx: NomadContext): void {
  router.add(['GET'], '/v1/status/leader', (r) => sendJson(r.res, 200, LEADER));
  router.add(['GET'], '/v1/status/peers', (r) => sendJson(r.res, 200, [LEADER]));
  router.add(['GET'], '/v1/regions', (r) => sendJson(r.res, 200, ['global']));
  router.add(['GET'], '/v1/namespaces', (r) => answer(r, [...ctx.namespaces].sort().map((name) => namespace(name)), 1));
  router.add(['GET'], '/v1/namespace/:name', (r) => {
    if (!ctx.namespaces.has(r.params.name!)) return sendText(r.res, 404, 'namespace not found');
    answer(r, namespace(r.params.name!), 1);
  });
  router.add(['GET'], '/v1/metrics', (r) => {
    const format = r.url.searchParams.get('format');
    if (format === 'prometheus') return sendText(r.res, 200, prometheus(metrics(ctx)), { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' });
    sendJson(r.res, 200, { Timestamp: goTimeString(ctx.rt.clock.now()), Gauges: metrics(ctx), Counters: [], Samples: [], Points: [], PrecisionGauges: [] });
  });
}

/** A namespace as Nomad 2.0.5 sends it (test/fixtures/recorded/nomad/get_v1_namespaces.json); Hash is a base64 SHA-256 like the server's. */
function namespace(name: string): unknown {
  const description = name === 'default' ? 'Default shared namespace' : '';
  return {
    Name: name, Description: description, Quota: '', Capabilities: null, NodePoolConfiguration: null,
    VaultConfiguration: null, ConsulConfiguration: null, Meta: null, OptionalExtraClaims: null, RequiredExtraClaims: null,
    Hash: createHash('sha256').update(`${name}\n${description}`).digest('base64'), CreateIndex: 1, ModifyIndex: 1,
  };
}

interface Gauge {
  Name: string;
  Value: number;
  Labels: Record<string, string>;
}

/** Leader gauges: `nomad.nomad.job_summary.*` per group, `nomad.nomad.job_status.*`, blocked evals. */
function metrics(ctx: NomadContext): Gauge[] {
  const { store } = ctx.rt;
  const gauges: Gauge[] = [];
  const status = { pending: 0, running: 0, dead: 0 };
  for (const record of store.jobs.values()) {
    const job = current(record);
    status[job.Status]++;
    const summary = summaryOf(store, record).value as { Summary: Record<string, Record<string, number>> };
    for (const [group, counts] of Object.entries(summary.Summary)) {
      for (const [key, value] of Object.entries(counts)) {
        gauges.push({ Name: `nomad.nomad.job_summary.${key.toLowerCase()}`, Value: value, Labels: { job: job.ID, namespace: job.Namespace, task_group: group } });
      }
    }
  }
  for (const [key, value] of Object.entries(status)) gauges.push({ Name: `nomad.nomad.job_status.${key}`, Value: value, Labels: {} });
  const blocked = [...store.evals.values()].filter((e) => e.Status === 'blocked').length;
  gauges.push({ Name: 'nomad.nomad.blocked_evals.total_blocked', Value: blocked, Labels: {} });
  const running = [...store.allocs.values()].filter((a) => !isTerminal(a) && a.ClientStatus === 'running').length;
  gauges.push({ Name: 'nomad.client.allocations.running', Value: running, Labels: { datacenter: ctx.rt.nodes[0]?.Datacenter ?? 'dc1' } });
  return gauges;
}

/** Prometheus text exposition (names with `.` → `_`). */
function prometheus(gauges: readonly Gauge[]): string {
  const lines: string[] = [];
  for (const name of [...new Set(gauges.map((g) => g.Name))]) {
    const metric = name.replace(/[.-]/g, '_');
    lines.push(`# HELP ${metric} ${metric}`, `# TYPE ${metric} gauge`);
    for (const g of gauges.filter((x) => x.Name === name)) {
      const labels = Object.entries(g.Labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',');
      lines.push(`${metric}${labels ? `{${labels}}` : ''} ${g.Value}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Go's `time.Time.String()` as the metrics Timestamp uses it: `2006-01-02 15:04:05 +0000 UTC`. */
function goTimeString(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} +0000 UTC`;
}
