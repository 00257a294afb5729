import { at, type Diagnostic } from '../diagnostic.ts';
import { problem, type Rule } from '../rule.ts';
import { RFC1123_LABEL, show } from './lib/index.ts';
import { servicesOf } from './lib/visit.ts';

const ID = 'service/name';

/** Rule `service/name`: service names are RFC 1123 labels (no dots) and unique within a job. */
export const serviceNameRule: Rule = {
  id: ID,
  description: 'Service names are RFC 1123 labels (no dots) and unique within a job.',
  check({ jobs }) {
    const seen = new Map<unknown, Map<string, string>>();
    return servicesOf(jobs).flatMap(({ file, job, service, path }): Diagnostic[] => {
      const location = { file, path: at(path, 'name') };
      const { name } = service as { name?: unknown };
      if (typeof name !== 'string' || !RFC1123_LABEL.test(name)) {
        return [problem(ID, location, `Service name ${show(name)} is not a valid Consul service name`, 'Use 1–63 lower-case letters, digits and "-", starting and ending with a letter or digit (dots break Consul DNS).')];
      }
      const names = seen.get(job) ?? new Map<string, string>();
      seen.set(job, names);
      const previous = names.get(name);
      if (previous === undefined) {
        names.set(name, path);
        return [];
      }
      return [problem(ID, location, `Service "${name}" is already registered at ${previous} in this job`, 'Give each service of a job its own name; put variants in tags instead.')];
    });
  },
};
