import { problem, type Rule } from '../rule.ts';
import { show } from './lib/index.ts';
import { smokeAt, smokeChecksOf, smokeField } from './smoke-checks.ts';

const ID = 'smoke/pattern';

/** Caught here rather than in QA, where an invalid pattern would only show as a failed check. */
export const smokePatternRule: Rule = {
  id: ID,
  description: 'Smoke check bodyPattern is a valid JavaScript regular expression.',
  check({ jobs }) {
    return smokeChecksOf(jobs).flatMap((visit) => {
      const pattern = smokeField(visit, 'bodyPattern');
      if (pattern === undefined) return [];
      const error = compileError(pattern);
      if (error === undefined) return [];
      return [problem(ID, smokeAt(visit, 'bodyPattern'), `Smoke check bodyPattern ${show(pattern)} does not compile: ${error}`, 'Write the pattern as RegExp source without slashes, escaping special characters, e.g. "<title>Shop</title>".')];
    });
  },
};

function compileError(pattern: unknown): string | undefined {
  if (typeof pattern !== 'string') return 'not a string';
  try {
    new RegExp(pattern);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
