import { at } from '../diagnostic.ts';
import { problem, type Rule } from '../rule.ts';
import { field, isIntegerBetween, show } from './lib/index.ts';
import { routesOf } from './lib/visit.ts';

const ID = 'fabio/tcp-port';

/** Fabio's own listeners in this environment: HTTP proxy, UI, Prometheus. None can carry TCP routes. */
function fabioListeners(fabio: unknown): Map<number, string> {
  const ports = new Map<number, string>();
  for (const [key, name] of [['proxyPort', 'HTTP proxy'], ['uiPort', 'UI'], ['metricsPort', 'metrics']] as const) {
    const port = field(fabio, key);
    if (typeof port === 'number') ports.set(port, name);
  }
  return ports;
}

export const fabioTcpPortRule: Rule = {
  id: ID,
  description: 'TCP routes use a port in 1..65535 that is not one of Fabio\'s HTTP, UI or metrics listeners.',
  check({ jobs, env }) {
    const listeners = fabioListeners(field(env, 'fabio'));
    return routesOf(jobs).flatMap(({ file, route, routePath }) => {
      if (route.kind !== 'tcp') return [];
      const location = { file, path: at(routePath, 'port') };
      if (!isIntegerBetween(route.port, 1, 65535)) {
        return [problem(ID, location, `TCP route port ${show(route.port)} is not a port number`, 'Use the integer port of a Fabio `proto=tcp` listener (1–65535).')];
      }
      const taken = listeners.get(route.port);
      if (taken === undefined) return [];
      return [problem(ID, location, `TCP route port ${route.port} is Fabio's ${taken} listener in ${String(field(env, 'name'))}`, 'Pick a port of a dedicated `proto=tcp` listener; Fabio cannot serve TCP routes on its HTTP, UI or metrics port.')];
    });
  },
};
