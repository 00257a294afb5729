import { describe, expect, it } from 'vitest';
import type { Diagnostic, Location } from '../../../src/validate/diagnostic.ts';
import { withoutRepeatedTypeErrors } from '../../../src/validate/repeated-type-errors.ts';

const at = (rule: string, location: Location): Diagnostic => ({ rule, severity: 'error', message: rule, location, hint: '' });
const KEY_RULES = ['job/unknown-key', 'env/unknown-key'];

describe('withoutRepeatedTypeErrors', () => {
  it('drops the tsc error at the very position of an unknown key, keeping the unknown-key one', () => {
    const key = at('job/unknown-key', { file: 'jobs/api.ts', path: 'update.minHealthyTim', line: 16, column: 62 });
    const tsc = at('types/tsc', { file: 'jobs/api.ts', path: '', line: 16, column: 62 });
    expect(withoutRepeatedTypeErrors([tsc, key], 'types/tsc', KEY_RULES)).toEqual([key]);
  });

  it('keeps type errors elsewhere: another column, another line, another file, or without a position', () => {
    const key = at('env/unknown-key', { file: 'environments/qa.ts', path: 'nomad.adress', line: 4, column: 11 });
    const others = [
      at('types/tsc', { file: 'environments/qa.ts', path: '', line: 4, column: 12 }),
      at('types/tsc', { file: 'environments/qa.ts', path: '', line: 5, column: 11 }),
      at('types/tsc', { file: 'environments/prod.ts', path: '', line: 4, column: 11 }),
      at('types/tsc', { file: 'environments/qa.ts', path: '' }),
    ];
    expect(withoutRepeatedTypeErrors([key, ...others], 'types/tsc', KEY_RULES)).toEqual([key, ...others]);
  });

  it('never drops a diagnostic of another rule at the same position', () => {
    const key = at('job/unknown-key', { file: 'jobs/api.ts', path: 'x', line: 3, column: 5 });
    const other = at('job/resources', { file: 'jobs/api.ts', path: 'x', line: 3, column: 5 });
    expect(withoutRepeatedTypeErrors([key, other], 'types/tsc', KEY_RULES)).toEqual([key, other]);
  });
});
