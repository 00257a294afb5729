import { at, type Diagnostic } from '../diagnostic.ts';
import { problem, type Rule } from '../rule.ts';
import { entriesOf, show } from './lib/index.ts';
import { servicesOf } from './lib/visit.ts';

const ID = 'service/meta';
const KEY = /^[A-Za-z0-9_-]{1,128}$/;
/** Consul's limits on service meta. */
const MAX_PAIRS = 64;
const MAX_VALUE = 512;
/** Keys drover adds to every service at most (render/group.ts droverServiceMeta). */
const DROVER_KEYS = 8;

function keyProblem(key: string): string | undefined {
  if (!KEY.test(key)) return 'must be 1–128 letters, digits, "_" or "-"';
  if (key.startsWith('consul-')) return 'uses the "consul-" prefix Consul reserves';
  // drover writes its drover_* keys (render/group.ts droverServiceMeta); a user key would overwrite them.
  if (key.startsWith('drover_')) return 'uses the "drover_" prefix drover reserves for ownership meta';
  return undefined;
}

/** Rule `service/meta`: Consul service meta keys use [A-Za-z0-9_-] (≤ 128), values are strings ≤ 512, at most 64 pairs. */
export const serviceMetaRule: Rule = {
  id: ID,
  description: 'Consul service meta keys use [A-Za-z0-9_-] (≤ 128), values are strings ≤ 512, at most 64 pairs.',
  check({ jobs }) {
    return servicesOf(jobs).flatMap(({ file, service, path }): Diagnostic[] => {
      const metaPath = at(path, 'meta');
      const entries = entriesOf(service.meta);
      const found = entries.flatMap(([key, value]): Diagnostic[] => {
        const location = { file, path: at(metaPath, key) };
        const reason = keyProblem(key);
        if (reason) return [problem(ID, location, `Service meta key ${show(key)} ${reason}`, 'Rename the key, e.g. "team_name" instead of "team.name".')];
        if (typeof value !== 'string' || value.length > MAX_VALUE) {
          return [problem(ID, location, `Service meta "${key}" must be a string of at most ${MAX_VALUE} characters`, 'Shorten the value or move it to Consul KV.')];
        }
        return [];
      });
      if (entries.length > MAX_PAIRS - DROVER_KEYS) {
        found.push(problem(ID, { file, path: metaPath }, `Service meta has ${entries.length} keys; Consul allows ${MAX_PAIRS}, and drover adds ${DROVER_KEYS}`, `Keep at most ${MAX_PAIRS - DROVER_KEYS} keys.`));
      }
      return found;
    });
  },
};
