/**
 * Hints are commands a user can run as printed: they name the environment, the job or the
 * registry at hand, never a placeholder such as `<env>`.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistryClient } from '../../src/clients/registry/index.ts';
import { runCli } from '../support/run-cli.ts';
import { tempProject } from '../support/temp-project.ts';

const PLACEHOLDER = /<[a-z][a-z-]*>/;

describe('hints name runnable commands', { timeout: 30_000 }, () => {
  let project: { dir: string; cleanup: () => Promise<void> };
  beforeAll(async () => {
    project = await tempProject();
  });
  afterAll(async () => {
    await project?.cleanup();
  });
  const run = (...argv: string[]) => runCli(argv, { cwd: project.dir });

  it('history and rollback without --job name a job that exists and the environment given', async () => {
    const history = await run('history', 'qa');
    expect(history.code).toBe(64);
    expect(history.stderr).toMatch(/Name a job with --job, e\.g\. `drover history qa --job [a-z-]+` \(jobs: [a-z-]+(, [a-z-]+)*\)/);
    const rollback = await run('rollback', 'prod');
    expect(rollback.code).toBe(64);
    expect(rollback.stderr).toMatch(/`drover rollback prod --job [a-z-]+`/);
    expect(rollback.stderr).toContain('`drover releases`');
    const to = await run('rollback', 'prod', '--job', 'api', '--to', 'latest');
    expect(to.code).toBe(64);
    expect(to.stderr).toContain('Run `drover history prod --job api` for the versions.');
    for (const result of [history, rollback, to]) expect(result.stderr).not.toMatch(PLACEHOLDER);
  });

  it('an unknown secrets action suggests both actions for the environment typed', async () => {
    const result = await run('secrets', 'qa');
    expect(result.code).toBe(64);
    expect(result.stderr).toContain('Use `drover secrets check qa` or `drover secrets plan qa`.');
  });

  it('render --check names the environment to render again', async () => {
    const file = join(project.dir, 'fabio/fabio.qa.properties');
    await writeFile(file, `${await readFile(file, 'utf8')}# edited by hand\n`);
    const result = await run('render', 'qa', '--check');
    expect(result.code).toBe(65);
    expect(result.stderr).toContain('Run `npm run render -- qa` and commit fabio/fabio.qa.properties.');
    expect(result.stderr).not.toMatch(PLACEHOLDER);
  });
});

describe('registry hints', () => {
  let server: Server;
  let address: string;
  beforeAll(async () => {
    // A registry that wants credentials but offers no way to get them (401 without a challenge).
    server = createServer((_, res) => res.writeHead(401).end('{"errors":[{"code":"UNAUTHORIZED"}]}'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    address = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('tells which registry to log in to, by the name images use', async () => {
    const named = createRegistryClient({ address, host: 'registry.example.internal:5000', retry: { retries: 0 } });
    await expect(named.manifestDigest('team/api', '1.0')).rejects.toMatchObject({ status: 401, hint: expect.stringContaining('log in (`docker login registry.example.internal:5000`)') });
    const byAddress = createRegistryClient({ address, retry: { retries: 0 } });
    await expect(byAddress.manifestDigest('team/api', '1.0')).rejects.toMatchObject({ hint: expect.stringContaining(`\`docker login ${new URL(address).host}\``) });
    named.close();
    byAddress.close();
  });
});
