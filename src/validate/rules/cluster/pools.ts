import type { ClientPool } from '../../../config/cluster.ts';
import { at, type Diagnostic } from '../../diagnostic.ts';
import { problem } from '../../rule.ts';
import { entriesOf, isInteger, list } from '../lib/shape.ts';
import type { ClusterRule } from './check.ts';

const ID = 'cluster/pools';
const DRIVERS = ['docker', 'exec', 'raw_exec', 'java'];

/**
 * Rule `cluster/pools`: at least one client pool; each with a unique name fit for a folder and a
 * tag, a size with min ≤ count ≤ max, known drivers, and host volumes at absolute paths.
 */
export const clusterPoolsRule: ClusterRule = {
  id: ID,
  description: 'Client pools have unique names, sane sizes, known drivers and absolute host volume paths.',
  check({ cluster, file }) {
    const pools = list(cluster.clients) as ClientPool[];
    if (pools.length === 0) return [problem(ID, { file, path: 'clients' }, 'The cluster has no client pool: Nomad would have nowhere to run jobs', 'Add a pool: clients: [{ name: \'general\', datacenter, count, drivers: [\'docker\'] }].')];
    const names = new Set<string>();
    return pools.flatMap((pool, i) => {
      const path = at('clients', i);
      const found = [...size(pool, path, file), ...drivers(pool, path, file), ...volumes(pool, path, file)];
      if (typeof pool.name !== 'string' || !/^[a-z][a-z0-9-]{0,30}$/.test(pool.name)) {
        found.push(problem(ID, { file, path: at(path, 'name') }, `Pool name ${JSON.stringify(pool.name)} is not lower-case letters, digits and "-"`, 'It names the rendered folder (client-<name>) and the machines\' tags; use e.g. "general".'));
      } else if (names.has(pool.name)) {
        found.push(problem(ID, { file, path: at(path, 'name') }, `Two client pools are named "${pool.name}"`, 'Give each pool its own name; merge them if they are the same machines.'));
      }
      names.add(pool.name);
      return found;
    });
  },
};

function size(pool: ClientPool, path: string, file: string): Diagnostic[] {
  const { count, min = count, max = count } = pool;
  if (![count, min, max].every((n) => isInteger(n) && n >= 0)) {
    return [problem(ID, { file, path: at(path, 'count') }, `Pool "${pool.name}" has a size that is not a whole number (count ${count}, min ${min}, max ${max})`, 'Use whole numbers: count, and min/max for an Auto Scaling group.')];
  }
  if (min > count || count > max) {
    return [problem(ID, { file, path: at(path, min > count ? 'min' : 'max') }, `Pool "${pool.name}" needs min ≤ count ≤ max, has ${min} ≤ ${count} ≤ ${max}`, 'Raise max or lower min so that count lies between them.')];
  }
  if (max === 0) return [problem(ID, { file, path: at(path, 'count') }, `Pool "${pool.name}" can never have a node (max 0)`, 'Give it at least one machine, or remove the pool.')];
  return [];
}

function drivers(pool: ClientPool, path: string, file: string): Diagnostic[] {
  const given = list(pool.drivers);
  if (given.length === 0) return [problem(ID, { file, path: at(path, 'drivers') }, `Pool "${pool.name}" enables no task driver`, 'List the drivers its jobs use, e.g. drivers: [\'docker\', \'exec\'].')];
  return given.flatMap((driver, i) =>
    typeof driver === 'string' && DRIVERS.includes(driver) ? [] : [problem(ID, { file, path: at(at(path, 'drivers'), i) }, `Unknown driver ${JSON.stringify(driver)}`, `Use one of ${DRIVERS.join(', ')}.`)],
  );
}

function volumes(pool: ClientPool, path: string, file: string): Diagnostic[] {
  return entriesOf(pool.hostVolumes).flatMap(([name, volume]) => {
    const dir = (volume as { path?: unknown }).path;
    if (typeof dir === 'string' && dir.startsWith('/') && !/\s/.test(dir)) return [];
    return [problem(ID, { file, path: at(at(at(path, 'hostVolumes'), name), 'path') }, `Host volume "${name}" of pool "${pool.name}" has no absolute path (${JSON.stringify(dir)})`, 'Use the directory on the machines, e.g. "/srv/postgres-data".')];
  });
}
