import { at, type Diagnostic } from '../diagnostic.ts';
import { warning, type Rule } from '../rule.ts';
import { entriesOf, field, isInteger } from './lib/index.ts';
import { groupsOf } from './lib/visit.ts';

const ID = 'ports/static-collision';

interface Reservation {
  readonly file: string;
  readonly system: boolean;
  readonly where: string;
  readonly path: string;
  readonly key: string;
}

/**
 * System jobs run on every client, so a static port a system job reserves is taken everywhere:
 * any other group reserving the same port on the same host network can never be placed next to
 * it. Nomad reports that only at placement time, so warn here.
 */
export const staticPortCollisionRule: Rule = {
  id: ID,
  description: 'Static ports reserved by a system job are not reserved by any other group.',
  check({ jobs }) {
    const reservations: Reservation[] = groupsOf(jobs).flatMap(({ file, job, group, groupPath }) =>
      entriesOf(group.ports).flatMap(([label, port]) => {
        const value = field(port, 'static');
        if (!isInteger(value)) return [];
        const network = field(port, 'hostNetwork');
        return [{
          file,
          system: job.kind === 'system',
          where: `job "${String(job.id)}" group "${String(group.name)}"`,
          path: at(at(at(groupPath, 'ports'), label), 'static'),
          key: `${value}/${typeof network === 'string' ? network : 'default'}`,
        }];
      }),
    );
    return reservations.flatMap((mine): Diagnostic[] => {
      const others = reservations.filter((other) => other !== mine && other.key === mine.key && (mine.system || other.system) && other.where !== mine.where);
      if (others.length === 0) return [];
      const port = mine.key.split('/')[0];
      return [
        warning(ID, { file: mine.file, path: mine.path }, `Static port ${port} is also reserved by ${others.map((o) => o.where).join(', ')}; with a system job involved they collide on every node`, 'Move one of them to another static port (or a dynamic port), so both can run on the same node.'),
      ];
    });
  },
};
