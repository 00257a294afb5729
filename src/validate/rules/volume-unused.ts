import { at } from '../diagnostic.ts';
import { warning, type Rule } from '../rule.ts';
import { entriesOf, field, isRecord, list } from './lib/index.ts';
import { groupsOf } from './lib/visit.ts';

const ID = 'volume/unused';

/** An unmounted volume still constrains placement (host volumes) or claims a CSI volume. */
export const volumeUnusedRule: Rule = {
  id: ID,
  description: 'Every group volume is mounted by at least one task.',
  check({ jobs }) {
    return groupsOf(jobs).flatMap(({ file, group, groupPath }) => {
      const mounted = new Set(list(group.tasks).flatMap((task) => list(field(task, 'volumeMounts')).filter(isRecord).map((m) => m.volume)));
      return entriesOf(group.volumes).flatMap(([name]) =>
        mounted.has(name) ? [] : [warning(ID, { file, path: at(at(groupPath, 'volumes'), name) }, `Volume "${name}" is not mounted by any task`, 'Mount it with `volumeMounts` in the task that needs it, or remove it (it still restricts placement).')],
      );
    });
  },
};
