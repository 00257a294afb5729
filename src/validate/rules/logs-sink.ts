import { LOG_SHIPPER_META } from '../../render/vector-config.ts';
import { problem, type Rule } from '../rule.ts';
import { field, isRecord } from './lib/index.ts';

const ID = 'logs/sink';

/**
 * A job marked as the log shipper (meta `drover.log-shipper`) ships to the environment's
 * `logs.sink`; where there is none it would run with nothing to ship to, so it must either get one
 * or not run there.
 */
export const logsSinkRule: Rule = {
  id: ID,
  description: 'A job marked drover.log-shipper runs only in environments with logs.sink.',
  check({ env, jobs }) {
    if (isRecord(field(field(env, 'logs'), 'sink'))) return [];
    return jobs
      .filter(({ spec }) => field(field(spec, 'meta'), LOG_SHIPPER_META) !== undefined)
      .map(({ file, spec }) =>
        problem(
          ID,
          { file, path: `meta[${JSON.stringify(LOG_SHIPPER_META)}]` },
          `Job ${spec.id} ships logs, but environment ${env.name} has no logs.sink to ship them to`,
          `Add logs: { sink: { kind: 'loki', address: 'https://loki.${env.name}.internal:3100' } } to environments/${env.name}.ts, or exclude the job there (defineJob(…, { excludeFrom: { ${env.name}: 'why' } })).`,
        ),
      );
  },
};
