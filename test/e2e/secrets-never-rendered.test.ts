import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliProcess } from '../support/run-cli.ts';
import { findSentinels, findSentinelsInTree, SENTINELS } from '../support/sentinels.ts';
import { tempProject } from '../support/temp-project.ts';

describe('secret-looking values in the environment never reach rendered output', () => {
  let project: { dir: string; cleanup: () => Promise<void> };
  let out: string;
  beforeAll(async () => {
    project = await tempProject();
    out = await mkdtemp(join(tmpdir(), 'drover-sentinel-'));
  });
  afterAll(async () => {
    await project.cleanup();
    await rm(out, { recursive: true, force: true });
  });

  it.each(['qa', 'prod'])('renders %s with sentinel tokens and passwords in the process environment', async (env) => {
    const result = await runCliProcess(['render', env, '--out', out], { cwd: project.dir, env: { ...SENTINELS } });
    expect(result.code, result.stderr).toBe(0);
    expect(await findSentinelsInTree(out)).toEqual([]);
    expect(await findSentinelsInTree(join(project.dir, 'fabio'))).toEqual([]);
    expect(findSentinels(result.stdout + result.stderr)).toEqual([]);
  });

  it('the scanner finds a sentinel when one is present (so the check can fail)', () => {
    expect(findSentinels(`token: ${SENTINELS.VAULT_TOKEN}`)).toEqual(['VAULT_TOKEN']);
  });
});
