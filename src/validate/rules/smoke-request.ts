import type { Diagnostic } from '../diagnostic.ts';
import { problem, type Rule } from '../rule.ts';
import { isNonEmptyString, show } from './lib/index.ts';
import { smokeAt, smokeChecksOf, smokeField } from './smoke-checks.ts';

const ID = 'smoke/request';
const VIAS = ['fabio', 'consul'];
const METHODS = [undefined, 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS'];

/**
 * Each smoke check names itself uniquely within the job (results and records are keyed by it),
 * says how it reaches the job, and uses a method drover sends.
 */
export const smokeRequestRule: Rule = {
  id: ID,
  description: 'Smoke checks have a unique name, via "fabio" or "consul", and a known method.',
  check({ jobs }) {
    const seen = new Map<string, Set<string>>();
    return smokeChecksOf(jobs).flatMap((visit): Diagnostic[] => {
      const name = smokeField(visit, 'name');
      const names = seen.get(visit.file) ?? new Set<string>();
      seen.set(visit.file, names);
      if (!isNonEmptyString(name)) return [problem(ID, smokeAt(visit, 'name'), `Smoke check name ${show(name)} is empty`, 'Name the check after what it proves, e.g. "home page".')];
      if (names.has(name)) return [problem(ID, smokeAt(visit, 'name'), `Smoke check name ${show(name)} is used twice in job ${visit.job.id}`, 'Give each smoke check of a job its own name.')];
      names.add(name);
      const via = smokeField(visit, 'via');
      if (!VIAS.includes(via as string)) return [problem(ID, smokeAt(visit, 'via'), `Smoke check via ${show(via)} is not "fabio" or "consul"`, 'Use via "fabio" (through the load balancer, as users) or "consul" (straight to an instance).')];
      const method = smokeField(visit, 'method');
      if (!METHODS.includes(method as string)) return [problem(ID, smokeAt(visit, 'method'), `Smoke check method ${show(method)} is not supported`, 'Use GET, HEAD, POST, PUT, DELETE or OPTIONS (upper case), or omit it for GET.')];
      return [];
    });
  },
};
