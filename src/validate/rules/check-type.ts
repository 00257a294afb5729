import { at } from '../diagnostic.ts';
import { problem, type Rule } from '../rule.ts';
import { show } from './lib/index.ts';
import { checksOf } from './lib/visit.ts';

const ID = 'check/type';
const TYPES = ['http', 'tcp', 'grpc', 'script'];

/** Rule `check/type`: checks have a type Consul runs for Nomad: http, tcp, grpc or script. */
export const checkTypeRule: Rule = {
  id: ID,
  description: 'Checks have a type Consul runs for Nomad: http, tcp, grpc or script.',
  check({ jobs }) {
    return checksOf(jobs).flatMap(({ file, check, checkPath }) => {
      if (TYPES.includes(check.type)) return [];
      return [problem(ID, { file, path: at(checkPath, 'type') }, `Check type ${show(check.type)} is not supported`, `Use one of ${TYPES.join(', ')}.`)];
    });
  },
};
