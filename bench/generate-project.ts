import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));

/**
 * Writes a project the way `drover init` lays one out and `npm install` fills it, with `count`
 * job files: routed service jobs (canary update, two checks, a Fabio route, a docker task), so
 * that spawned `drover validate` / `drover render` processes can be timed on it as a user runs
 * them. node_modules links drover (this checkout), typescript and @types back to the repository.
 * Replaces whatever `dir` held.
 */
export async function writeProject(dir: string, count: number, options: { smoke?: boolean; checkInterval?: string } = {}): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, 'jobs'), { recursive: true });
  await mkdir(join(dir, 'environments'), { recursive: true });
  await mkdir(join(dir, 'node_modules/.bin'), { recursive: true });
  await symlink(repoRoot, join(dir, 'node_modules/drover'), 'dir');
  await symlink(join(repoRoot, 'node_modules/typescript'), join(dir, 'node_modules/typescript'), 'dir');
  await symlink(join(repoRoot, 'node_modules/@types'), join(dir, 'node_modules/@types'), 'dir');
  await symlink('../typescript/bin/tsc', join(dir, 'node_modules/.bin/tsc'));
  await writeFile(join(dir, 'package.json'), `${JSON.stringify({ name: `bench-${count}`, version: '0.1.0', private: true, type: 'module' }, null, 2)}\n`);
  await writeFile(join(dir, 'tsconfig.json'), TSCONFIG);
  await writeFile(join(dir, 'environments/qa.ts'), environment('qa', 'qa.example.internal', "promotion: { canary: 'auto', confirm: false, soak: '2m', prune: true }"));
  await writeFile(join(dir, 'environments/prod.ts'), environment('prod', 'example.com', "promotion: { canary: 'auto', confirm: false, releasesFrom: 'qa', maxReleaseAge: '168h', prune: false }"));
  await writeFile(join(dir, 'environments/index.ts'), ENVIRONMENT_NAMES);
  for (let i = 0; i < count; i++) await writeFile(join(dir, `jobs/svc-${i}.ts`), jobSource(i, options.smoke ?? true, options.checkInterval ?? '5s'));
}

/**
 * One job file: a routed HTTP service, canary updates, readiness and liveness checks, a docker
 * task; with a smoke check unless `smoke` is false (the sandbox's simulated instances answer no
 * HTTP). The readiness check runs every `checkInterval` (the sandbox's Consul runs at real speed).
 */
export function jobSource(i: number, smoke = true, checkInterval = '5s'): string {
  const id = `svc-${i}`;
  return `import { defineJob } from 'drover';

/** Generated service ${i}: routed by Fabio at /${id}, canary updates. */
export default defineJob((env) => ({
  id: '${id}',
  kind: 'service',
  description: 'Generated service ${i}.',
  owner: 'team-${i % 17}',
  update: { strategy: 'canary', canaries: 1, maxParallel: 1, minHealthyTime: '10s', healthyDeadline: '2m', progressDeadline: '5m', autoRevert: true },
${smoke ? "  smoke: [{ name: 'health', via: 'consul', path: '/health' }],\n" : ''}  groups: [
    {
      name: 'app',
      count: env.pick({ qa: 1, prod: ${2 + (i % 3)} }),
      ports: { http: { to: 8080 } },
      shutdownDelay: '5s',
      services: [
        {
          name: '${id}',
          port: 'http',
          tags: ['http', env.name],
          routes: [{ path: '/${id}', strip: '/${id}' }],
          checks: [
            { type: 'http', name: '${id}-ready', path: '/health', interval: '${checkInterval}', timeout: '${checkInterval === '5s' ? '2s' : '1s'}' },
            { type: 'http', name: '${id}-live', path: '/health', interval: '10s', timeout: '2s', restart: { limit: 3, grace: '30s' } },
          ],
        },
      ],
      tasks: [
        {
          name: 'app',
          image: 'ghcr.io/example/${id}:1.${i}.0',
          env: { SERVICE_NAME: '${id}', PORT: '8080' },
          resources: env.pick({ qa: { cpu: 100, memoryMb: 64 }, prod: { cpu: ${200 + (i % 5) * 100}, memoryMb: 128, memoryMaxMb: 256 } }),
        },
      ],
    },
  ],
}));
`;
}

function environment(name: string, domain: string, promotion: string): string {
  return `import { defineEnvironment } from 'drover';

export default defineEnvironment({
  name: '${name}',
  nomad: { address: 'https://nomad.${name}.example.internal:4646', region: 'global', namespace: 'bench' },
  consul: { address: 'https://consul.${name}.example.internal:8501' },
  vault: { address: 'https://vault.${name}.example.internal:8200' },
  datacenters: ['${name}1'],
  fabio: { domain: '${domain}' },
  ${promotion},
});
`;
}

const ENVIRONMENT_NAMES = `import qa from './qa.ts';
import prod from './prod.ts';

declare module 'drover' {
  interface EnvironmentNames {
    qa: true;
    prod: true;
  }
}

export default [qa, prod];
`;

const TSCONFIG = `${JSON.stringify(
  {
    compilerOptions: {
      target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noUncheckedIndexedAccess: true,
      allowImportingTsExtensions: true, noEmit: true, verbatimModuleSyntax: true, skipLibCheck: true, types: ['node'],
    },
    include: ['jobs', 'environments'],
  },
  null,
  2,
)}\n`;
