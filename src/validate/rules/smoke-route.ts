import type { Diagnostic } from '../diagnostic.ts';
import { problem, warning, type Rule } from '../rule.ts';
import { list, show } from './lib/index.ts';
import { smokeAt, smokeChecksOf, smokeField } from './smoke-checks.ts';

const ID = 'smoke/route';

/**
 * A check `via: 'fabio'` needs an HTTP route on one of the job's services (else Fabio answers 404
 * for every request), and Fabio's address in the environment; `via: 'consul'` needs a service to
 * look up. A missing `fabio.address` is only a warning, and only where releases are verified
 * (environments without `promotion.releasesFrom`): prod renders the same jobs but runs no checks.
 */
export const smokeRouteRule: Rule = {
  id: ID,
  description: 'Smoke checks via fabio need an HTTP route (and fabio.address), via consul a service.',
  check({ jobs, env }) {
    let addressReported = false;
    return smokeChecksOf(jobs).flatMap((visit): Diagnostic[] => {
      const via = smokeField(visit, 'via');
      const services = list(visit.job.groups).flatMap((g) => list((g as { services?: unknown }).services));
      if (via === 'consul' && services.length === 0) {
        return [problem(ID, smokeAt(visit, 'via'), `Smoke check ${show(visit.check.name)} goes via Consul but job ${visit.job.id} registers no service`, 'Add a service to the job, or remove the check.')];
      }
      if (via !== 'fabio') return [];
      const routed = services.some((s) => list((s as { routes?: unknown }).routes).some((r) => [undefined, 'http'].includes((r as { kind?: string }).kind)));
      if (!routed) {
        return [problem(ID, smokeAt(visit, 'via'), `Smoke check ${show(visit.check.name)} goes via Fabio but job ${visit.job.id} has no HTTP route`, 'Add a route to one of its services, or use via "consul".')];
      }
      const address = env.fabio?.address;
      if (address !== undefined && !/^https?:\/\/[^\s/]+\/?$/.test(address)) {
        // An environment problem, reported once (at the first check that needs the address).
        if (addressReported) return [];
        addressReported = true;
        return [problem(ID, { file: visit.file, path: visit.path }, `fabio.address ${show(address)} of environment ${env.name} is not an http(s) base URL`, 'Set fabio.address to e.g. "http://fabio.qa.example.internal:9999" (scheme, host, port; no path).')];
      }
      if (address === undefined && !env.promotion?.releasesFrom) {
        return [warning(ID, smokeAt(visit, 'via'), `Smoke check ${show(visit.check.name)} goes via Fabio but environment ${env.name} has no fabio.address`, `Set fabio.address in environments/${env.name}.ts, or verification of releases there fails this check.`)];
      }
      return [];
    });
  },
};
