import type { Diagnostic } from '../diagnostic.ts';
import { problem } from '../rule.ts';
import { field, isIntegerBetween, show } from './lib/index.ts';
import type { EnvironmentRule } from './lib/environment-rule.ts';

const ID = 'env/fabio-ports';
const PORTS = ['proxyPort', 'uiPort', 'metricsPort'] as const;

/** Fabio binds each listener itself; two on one port fail at startup. */
export const envFabioPortsRule: EnvironmentRule = {
  id: ID,
  description: 'Fabio proxy, UI and metrics ports are integers in 1..65535 and distinct.',
  check({ env, file }) {
    const seen = new Map<number, string>();
    return PORTS.flatMap((key): Diagnostic[] => {
      const port = field(field(env, 'fabio'), key);
      const location = { file, path: `fabio.${key}` };
      if (!isIntegerBetween(port, 1, 65535)) {
        return [problem(ID, location, `fabio.${key} ${show(port)} is not a port number`, 'Use an integer between 1 and 65535.')];
      }
      const previous = seen.get(port);
      if (previous === undefined) {
        seen.set(port, key);
        return [];
      }
      return [problem(ID, location, `fabio.${key} ${port} is the same port as fabio.${previous}`, 'Give each Fabio listener its own port (defaults: proxy 9999, UI 9998, metrics 9100).')];
    });
  },
};
