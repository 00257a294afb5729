/**
 * What the simulated Fabio reads from Consul, the way Fabio's consul backend does: a blocking
 * watch on `/v1/health/state/any` deciding which instances pass, then `/v1/catalog/service/<name>`
 * for their addresses; and a blocking recursive watch on the `fabio/config` KV prefix.
 * @see shared/reference/fabio.md §1 (calls) and §2 (which instances get routed)
 */
import { parseRouteConfig, type RouteCommand } from '../../canary/route-grammar.ts';
import { consulGet, watchBlocking } from '../consul-watch.ts';
import type { RoutedInstance } from './route-table.ts';
import { TAG_PREFIX } from './urlprefix.ts';

/** Fabio's `registry.consul.kvpath` default, without the leading slash (a KV key prefix). */
export const FABIO_KV_PREFIX = 'fabio/config';

/** A check from `/v1/health/state/any`. */
interface HealthCheck {
  readonly Node: string;
  readonly CheckID: string;
  readonly Status: string;
  readonly ServiceID: string;
  readonly ServiceName: string;
  readonly ServiceTags: readonly string[] | null;
}

/** Options of the watches. */
export interface RegistryWatch {
  readonly consul: string;
  readonly signal: AbortSignal;
  readonly onProblem: (message: string) => void;
}

/** Watches passing urlprefix instances; resolves when `signal` aborts. */
export function watchRoutedInstances(watch: RegistryWatch, onInstances: (instances: RoutedInstance[]) => void): Promise<void> {
  return watchBlocking({
    consul: watch.consul,
    path: '/v1/health/state/any',
    signal: watch.signal,
    onProblem: watch.onProblem,
    onChange: async (body) => {
      const passing = passingInstances((body ?? []) as HealthCheck[]);
      const names = [...new Set([...passing.values()])].sort();
      const perService = await Promise.all(names.map((name) => readCatalog(watch, name, passing)));
      if (!watch.signal.aborted) onInstances(perService.flat());
    },
  });
}

/** Watches the KV overrides; hands over the parsed commands (and parse errors) of every change. */
export function watchManualRoutes(watch: RegistryWatch, onCommands: (commands: readonly RouteCommand[], errors: readonly string[]) => void): Promise<void> {
  return watchBlocking({
    consul: watch.consul,
    path: `/v1/kv/${FABIO_KV_PREFIX}?recurse`,
    signal: watch.signal,
    onProblem: watch.onProblem,
    onChange: (body) => {
      const parsed = parseRouteConfig(concatenateOverrides((body ?? []) as { Key: string; Value: string | null }[]));
      onCommands(parsed.commands, parsed.errors);
    },
  });
}

/**
 * Fabio's concatenation of the KV prefix: keys in alphabetical order, each value trimmed and
 * preceded by a `# --- <key>` comment line, joined by blank lines. Values arrive base64-encoded.
 */
export function concatenateOverrides(entries: readonly { readonly Key: string; readonly Value: string | null }[]): string {
  return [...entries]
    .sort((a, b) => (a.Key < b.Key ? -1 : a.Key > b.Key ? 1 : 0))
    .map((e) => `# --- ${e.Key}\n${Buffer.from(e.Value ?? '', 'base64').toString('utf8').trim()}`)
    .join('\n\n');
}

/**
 * Fabio's passing rules over every check: instances of urlprefix-tagged services with at least one
 * passing service check, minus those on a node whose `serfHealth` is critical or which is in
 * maintenance, and those whose service maintenance check is critical. Answers `node.serviceID` → name.
 */
export function passingInstances(checks: readonly HealthCheck[]): Map<string, string> {
  const downNodes = new Set(checks.filter((c) => (c.CheckID === 'serfHealth' && c.Status === 'critical') || c.CheckID === '_node_maintenance').map((c) => c.Node));
  const inMaintenance = new Set(checks.filter((c) => c.CheckID.startsWith('_service_maintenance:') && c.Status === 'critical').map((c) => `${c.Node}.${c.CheckID.slice('_service_maintenance:'.length)}`));
  const passing = new Map<string, string>();
  for (const check of checks) {
    if (check.ServiceID === '' || check.Status !== 'passing' || downNodes.has(check.Node)) continue;
    if (!(check.ServiceTags ?? []).some((tag) => tag.startsWith(TAG_PREFIX))) continue;
    const key = `${check.Node}.${check.ServiceID}`;
    if (!inMaintenance.has(key)) passing.set(key, check.ServiceName);
  }
  return passing;
}

/** The passing instances of one service, with addresses from the catalog. */
async function readCatalog(watch: RegistryWatch, name: string, passing: ReadonlyMap<string, string>): Promise<RoutedInstance[]> {
  const { body } = await consulGet(watch.consul, `/v1/catalog/service/${encodeURIComponent(name)}`, watch.signal);
  const entries = (body ?? []) as { Node: string; Address: string; ServiceID: string; ServiceName: string; ServiceAddress: string; ServicePort: number; ServiceTags: string[] | null }[];
  return entries
    .filter((e) => passing.has(`${e.Node}.${e.ServiceID}`))
    .map((e) => ({ service: e.ServiceName, serviceId: e.ServiceID, address: e.ServiceAddress || e.Address, port: e.ServicePort, tags: e.ServiceTags ?? [] }));
}
