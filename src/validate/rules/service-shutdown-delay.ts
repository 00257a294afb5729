import { toNanoseconds } from '../../model/duration.ts';
import { at, type Diagnostic } from '../diagnostic.ts';
import { warning, type Rule } from '../rule.ts';
import { list } from './lib/shape.ts';
import { groupsOf } from './lib/visit.ts';

const ID = 'service/shutdown-delay';

/**
 * Rule `service/shutdown-delay` (warning): a group with services sets `shutdownDelay`, so Consul
 * (and Fabio) stop sending it requests before its tasks are killed. Nomad 2.0.5 warns about the
 * same on every plan and registration (nomad/structs/structs.go
 * `generateTaskGroupServiceShutdownDelayWarnings`); drover's services are group services, so the
 * group's delay is the one that counts. A delay that is not a duration is `duration/format`'s.
 */
export const serviceShutdownDelayRule: Rule = {
  id: ID,
  description: 'Groups with services set shutdownDelay, so their instances leave Consul before their tasks are killed.',
  check({ jobs }) {
    return groupsOf(jobs).flatMap(({ file, group, groupPath }): Diagnostic[] => {
      if (list(group.services).length === 0) return [];
      const delay: unknown = group.shutdownDelay;
      const nanos = typeof delay === 'string' ? toNanoseconds(delay) : undefined;
      if (typeof delay === 'string' && (nanos === undefined || nanos > 0)) return [];
      const name = typeof group.name === 'string' ? group.name : '?';
      return [
        warning(
          ID,
          { file, path: at(groupPath, 'shutdownDelay') },
          `Group "${name}" has services but no shutdownDelay: its instances leave Consul only as their tasks are killed, so requests in flight fail (Nomad warns: group "${name}" defines services, but neither the group nor any of its tasks have shutdown_delay set)`,
          `Set shutdownDelay on the group, e.g. shutdownDelay: '5s': Consul deregisters its services that long before the tasks get their kill signal.`,
        ),
      ];
    });
  },
};
