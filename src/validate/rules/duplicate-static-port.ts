import { at } from '../diagnostic.ts';
import { problem, type Rule } from '../rule.ts';
import { entriesOf, field, isInteger } from './lib/index.ts';
import { groupsOf } from './lib/visit.ts';

const ID = 'ports/duplicate-static';

/** Rule `ports/duplicate-static`: a group does not reserve the same static port twice. */
export const duplicateStaticPortRule: Rule = {
  id: ID,
  description: 'A group does not reserve the same static port twice.',
  check({ jobs }) {
    return groupsOf(jobs).flatMap(({ file, group, groupPath }) => {
      const seen = new Map<number, string>();
      return entriesOf(group.ports).flatMap(([label, port]) => {
        const value = field(port, 'static');
        if (!isInteger(value)) return [];
        const previous = seen.get(value);
        if (previous === undefined) {
          seen.set(value, label);
          return [];
        }
        return [
          problem(ID, { file, path: at(at(at(groupPath, 'ports'), label), 'static') }, `Static port ${value} is already reserved by port "${previous}" in this group`, `Give "${label}" another static port, or drop \`static\` and let Nomad pick a dynamic one.`),
        ];
      });
    });
  },
};
