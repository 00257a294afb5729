import { problem } from '../rule.ts';
import { field, show } from './lib/index.ts';
import type { EnvironmentRule } from './lib/environment-rule.ts';

const ID = 'env/fabio-metrics-prefix';
const PROMETHEUS_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Fabio builds metric names from this prefix and panics at startup when one is invalid (fabio#878). */
export const envFabioMetricsPrefixRule: EnvironmentRule = {
  id: ID,
  description: 'The Fabio metrics prefix is a literal Prometheus identifier (no "-", no template).',
  check({ env, file }) {
    const prefix = field(field(env, 'fabio'), 'metricsPrefix');
    if (typeof prefix === 'string' && PROMETHEUS_NAME.test(prefix)) return [];
    return [problem(ID, { file, path: 'fabio.metricsPrefix' }, `fabio.metricsPrefix ${show(prefix)} is not a Prometheus identifier`, 'Use letters, digits and "_", not starting with a digit, e.g. "fabio".')];
  },
};
