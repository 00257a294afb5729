import { at, type Diagnostic } from '../diagnostic.ts';
import { problem, type Rule } from '../rule.ts';
import { entriesOf, isNonEmptyString, show } from './lib/index.ts';
import { itemsOf, tasksOf } from './lib/visit.ts';

const ID = 'volume/unknown-mount';

/** Rule `volume/unknown-mount`: volume mounts name a volume of the group and have a destination. */
export const volumeMountRule: Rule = {
  id: ID,
  description: 'Volume mounts name a volume of the group and have a destination.',
  check({ jobs }) {
    return tasksOf(jobs).flatMap(({ file, group, task, path }) => {
      const volumes = new Set(entriesOf(group.volumes).map(([name]) => name));
      return itemsOf<Record<string, unknown>>(task.volumeMounts, at(path, 'volumeMounts')).flatMap(([mount, mountPath]): Diagnostic[] => {
        const found: Diagnostic[] = [];
        if (typeof mount.volume !== 'string' || !volumes.has(mount.volume)) {
          const known = volumes.size ? [...volumes].sort().join(', ') : 'none';
          found.push(problem(ID, { file, path: at(mountPath, 'volume') }, `Volume ${show(mount.volume)} is not a volume of this group (declared: ${known})`, 'Declare the volume in the group\'s `volumes`, or mount one that is declared.'));
        }
        if (!isNonEmptyString(mount.destination)) {
          found.push(problem(ID, { file, path: at(mountPath, 'destination') }, 'Volume mount has no destination', 'Set destination to the path inside the task, e.g. "/var/lib/app".'));
        }
        return found;
      });
    });
  },
};
