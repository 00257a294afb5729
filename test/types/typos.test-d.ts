/**
 * Type tests: each `@ts-expect-error` below must meet a type error, or `tsc --noEmit` (run over
 * test/ by `npm test`) fails with "Unused '@ts-expect-error' directive". The lines without one
 * must type-check. Nothing here runs.
 */
import { defineEnvironment, defineJob } from '../../src/index.ts';
// The project's environment names (dev, qa, prod), which env.pick and env.is are checked against.
import '../../environments/index.ts';

const resources = { cpu: 100, memoryMb: 128 };

export const misspeltUpdateKey = defineJob(() => ({
  id: 'app',
  kind: 'service',
  groups: [
    {
      name: 'app',
      update: {
        strategy: 'rolling',
        // @ts-expect-error minHealthyTim is not a key of the update policy (minHealthyTime is)
        minHealthyTim: '10s',
      },
      tasks: [{ name: 'app', image: 'ghcr.io/acme/app:1.0.0', resources }],
    },
  ],
}));

export const misspeltDependsOn = defineJob(() => ({
  id: 'app',
  kind: 'service',
  // @ts-expect-error dependsOnn is not a key of a job (dependsOn is)
  dependsOnn: ['db'],
  groups: [],
}));

export const misspeltCheckInterval = defineJob(() => ({
  id: 'app',
  kind: 'service',
  groups: [
    {
      name: 'app',
      ports: { http: { to: 8080 } },
      // @ts-expect-error intervl is not a key of a check (interval is)
      services: [{ name: 'app', port: 'http', checks: [{ type: 'http', path: '/healthz', intervl: '5s' }] }],
      tasks: [{ name: 'app', image: 'ghcr.io/acme/app:1.0.0', resources }],
    },
  ],
}));

export const pickMissingAnEnvironment = defineJob((env) => ({
  id: 'app',
  kind: 'service',
  // @ts-expect-error env.pick must name every environment: prod (and dev) are missing
  groups: [{ name: 'app', count: env.pick({ qa: 2 }), tasks: [{ name: 'app', image: 'ghcr.io/acme/app:1.0.0', resources }] }],
}));

export const isUnknownEnvironment = defineJob((env) => ({
  id: 'app',
  kind: 'service',
  // @ts-expect-error "production" is not an environment of this project (prod is)
  groups: env.is('production') ? [] : [],
}));

// Built apart (as a shared base would be), so TypeScript's own excess-property check does not see it.
const promotion = { canary: 'auto', sok: '2m' } as const;
export const misspeltEnvironmentKey = defineEnvironment({
  name: 'qa',
  nomad: { address: 'https://nomad.qa.example.internal:4646' },
  consul: { address: 'https://consul.qa.example.internal:8501' },
  vault: { address: 'https://vault.qa.example.internal:8200' },
  fabio: { domain: 'qa.example.internal' },
  // @ts-expect-error sok is not a key of the promotion policy (soak is)
  promotion,
});

// An environment derived from another by spreading it (its pick/is helpers included) is fine.
export const derived = defineEnvironment({ ...misspeltEnvironmentKey, fabio: { domain: 'other.example.internal' } });

// Keys of one member of a union are accepted where that member is chosen, and the shapes the
// shipped jobs use (conditional members, env.pick at the top, spreads) still type-check.
export const validVariants = defineJob((env) =>
  env.is('dev')
    ? { id: 'report', kind: 'batch', periodic: { crons: ['@daily'] }, groups: [] }
    : env.pick({
        dev: { id: 'report', kind: 'batch', groups: [] },
        qa: { id: 'report', kind: 'batch', groups: [] },
        prod: {
          id: 'report',
          kind: 'service',
          update: { strategy: 'canary', canaries: 1, analysis: { metrics: [{ name: 'errors', query: 'q', max: 1 }] } },
          groups: [
            {
              name: 'x',
              volumes: { data: { type: 'csi', source: 'data', accessMode: 'single-node-writer', attachmentMode: 'file-system' } },
              services: [{ name: 'x', port: 'http', checks: [{ type: 'script', command: '/bin/true', task: 't' }], routes: [{ kind: 'tcp', port: 5432 }] }],
              tasks: [{ name: 't', driver: 'exec', command: 'run', workDir: '/srv', resources, ...{ meta: { a: 'b' } } }],
            },
          ],
        },
      }),
);
