import { describe, expect, it } from 'vitest';
import { deployInterruptHint, interruptedRunAt, resumeDeployCommandFor, shellArg, statusCommandFor } from '../../../src/cli/interrupt-hint.ts';

describe('interrupt hints', () => {
  it('name the environment and pin the commit, job and release of the interrupted deploy', () => {
    const run = { env: 'prod', job: 'api', release: 'r-20261205-170000-abc1234', gitSha: 'abc1234def' };
    expect(resumeDeployCommandFor(run)).toBe('drover deploy prod --job api --release r-20261205-170000-abc1234 --git-sha abc1234def');
    expect(statusCommandFor(run)).toBe('drover status prod');
    expect(deployInterruptHint(run)).toContain('`drover status prod`');
  });

  it('carries --project and --environments only where drover would not find them from the current directory', () => {
    expect(interruptedRunAt({ cwd: '/p', root: '/p', envFile: '/p/environments/qa.ts', env: 'qa' })).toEqual({ env: 'qa' });
    const elsewhere = interruptedRunAt({ cwd: '/home/me', root: '/p', envFile: '/envs/qa.ts', env: 'qa' });
    expect(statusCommandFor(elsewhere)).toBe('drover status qa --project /p --environments /envs');
  });

  it('quotes arguments a shell would split or expand', () => {
    expect(shellArg('my project')).toBe("'my project'");
    expect(shellArg("it's")).toBe("'it'\\''s'");
    expect(shellArg('$HOME')).toBe("'$HOME'");
    expect(shellArg('../x/y')).toBe('../x/y');
  });
});
