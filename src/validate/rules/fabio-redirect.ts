import { at, type Diagnostic } from '../diagnostic.ts';
import { problem, type Rule } from '../rule.ts';
import { show } from './lib/index.ts';
import { routesOf } from './lib/visit.ts';

const ID = 'fabio/redirect';
const CODES = [301, 302, 303, 307, 308];

/** An absolute http(s) URL with no whitespace (a space would end the tag's option). */
function isRedirectTarget(to: unknown): boolean {
  if (typeof to !== 'string' || /\s/.test(to)) return false;
  try {
    const url = new URL(to.replaceAll('$path', ''));
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.length > 0;
  } catch {
    return false;
  }
}

/** Rule `fabio/redirect`: redirect routes use a 3xx redirect code and an absolute http(s) target URL. */
export const fabioRedirectRule: Rule = {
  id: ID,
  description: 'Redirect routes use a 3xx redirect code and an absolute http(s) target URL.',
  check({ jobs }) {
    return routesOf(jobs).flatMap(({ file, route, routePath }): Diagnostic[] => {
      if (route.kind !== 'redirect') return [];
      const found: Diagnostic[] = [];
      if (!CODES.includes(route.code as number)) {
        found.push(problem(ID, { file, path: at(routePath, 'code') }, `Redirect code ${show(route.code)} is not a redirect status`, `Use one of ${CODES.join(', ')} (301/308 permanent, 302/303/307 temporary).`));
      }
      if (!isRedirectTarget(route.to)) {
        found.push(problem(ID, { file, path: at(routePath, 'to') }, `Redirect target ${show(route.to)} is not an absolute http(s) URL`, 'Write the full URL, e.g. "https://www.example.com$path" ($path appends the original request URI).'));
      }
      return found;
    });
  },
};
