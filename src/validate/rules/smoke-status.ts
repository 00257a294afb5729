import { problem, type Rule } from '../rule.ts';
import { isIntegerBetween, show } from './lib/index.ts';
import { smokeAt, smokeChecksOf, smokeField } from './smoke-checks.ts';

const ID = 'smoke/status';

/** An HTTP status outside 100–599 can never be answered, so the check could never pass. */
export const smokeStatusRule: Rule = {
  id: ID,
  description: 'Smoke check expectStatus is an HTTP status code (100–599).',
  check({ jobs }) {
    return smokeChecksOf(jobs).flatMap((visit) => {
      const status = smokeField(visit, 'expectStatus');
      if (status === undefined || isIntegerBetween(status, 100, 599)) return [];
      return [problem(ID, smokeAt(visit, 'expectStatus'), `Smoke check expectStatus ${show(status)} is not an HTTP status code`, 'Use an integer from 100 to 599, or omit it for 200.')];
    });
  },
};
