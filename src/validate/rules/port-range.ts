import { at, type Diagnostic } from '../diagnostic.ts';
import { problem, type Rule } from '../rule.ts';
import { entriesOf, isIntegerBetween, isRecord, show } from './lib/index.ts';
import { groupsOf } from './lib/visit.ts';

const ID = 'ports/range';

function outOfRange(file: string, path: string, what: string, value: unknown): Diagnostic {
  return problem(ID, { file, path }, `${what} ${show(value)} is not a port number`, 'Use an integer between 1 and 65535.');
}

/** Rule `ports/range`: port `static` and `to` values are integers in 1..65535 (`to` may be -1). */
export const portRangeRule: Rule = {
  id: ID,
  description: 'Port `static` and `to` values are integers in 1..65535 (`to` may be -1).',
  check({ jobs }) {
    return groupsOf(jobs).flatMap(({ file, group, groupPath }) =>
      entriesOf(group.ports).flatMap(([label, port]): Diagnostic[] => {
        const path = at(at(groupPath, 'ports'), label);
        if (!isRecord(port)) {
          return [problem(ID, { file, path }, `Port "${label}" is ${show(port)}, not an object`, 'Write `{}` for a dynamic port, or `{ static: 8080 }` / `{ to: 8080 }`.')];
        }
        const found: Diagnostic[] = [];
        // static 0 would render as a reserved port with value 0, which Nomad reads as dynamic.
        if (port.static !== undefined && !isIntegerBetween(port.static, 1, 65535)) {
          found.push(outOfRange(file, at(path, 'static'), 'Static port', port.static));
        }
        // -1 is Nomad's documented "map to the same port number as the host port".
        if (port.to !== undefined && port.to !== -1 && !isIntegerBetween(port.to, 1, 65535)) {
          found.push(outOfRange(file, at(path, 'to'), 'Mapped port', port.to));
        }
        return found;
      }),
    );
  },
};
