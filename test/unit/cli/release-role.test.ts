import { describe, expect, it } from 'vitest';
import prod from '../../../environments/prod.ts';
import qa from '../../../environments/qa.ts';
import { confirmed } from '../../../src/cli/confirm.ts';
import { releaseRole } from '../../../src/release/deploy-release.ts';
import type { CliIo } from '../../../src/cli/io.ts';
import { anEnvironment } from '../validate/builders.ts';

describe('releaseRole', () => {
  it('qa is the source, prod the target, anything else neither; a --job deploy records nothing', () => {
    expect(releaseRole(qa, [qa, prod], false)).toEqual({ kind: 'source' });
    expect(releaseRole(prod, [qa, prod], false)).toEqual({ kind: 'target', source: qa });
    expect(releaseRole(prod, [qa, prod], true)).toMatchObject({ kind: 'target' });
    expect(releaseRole(qa, [qa, prod], true)).toMatchObject({ kind: 'none', why: expect.stringContaining('--job') });
    const dev = anEnvironment({ name: 'dev' });
    expect(releaseRole(dev, [dev, qa, prod], false)).toEqual({ kind: 'none' });
  });
});

describe('confirmed', () => {
  const io = (answer?: string): CliIo => ({
    cwd: '/',
    env: {},
    stdout: { write: () => true },
    stderr: { write: () => true },
    ...(answer === undefined ? {} : { prompt: async () => answer }),
  });

  it('--yes confirms; on a terminal the answer decides', async () => {
    expect(await confirmed(io(), true, 'Deploy?')).toBe(true);
    expect(await confirmed(io('y'), false, 'Deploy?')).toBe(true);
    expect(await confirmed(io(' YES '), false, 'Deploy?')).toBe(true);
    expect(await confirmed(io(''), false, 'Deploy?')).toBe(false);
    expect(await confirmed(io('no'), false, 'Deploy?')).toBe(false);
  });

  it('off a terminal without --yes is a usage error', async () => {
    await expect(confirmed(io(), false, 'Deploy release r-1 to prod?')).rejects.toMatchObject({ exitCode: 64, message: expect.stringContaining('Deploy release r-1 to prod needs confirmation') });
  });
});
