import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../src/validate/diagnostic.ts';
import { withoutUnloadedDependencies } from '../../../src/validate/unloaded-dependencies.ts';
import { aServiceJob, loaded } from './builders.ts';

const dependsOn = (file: string, index: number): Diagnostic => ({ rule: 'job/depends-on', severity: 'error', message: 'm', hint: 'h', location: { file, path: `dependsOn[${index}]` } });

describe('withoutUnloadedDependencies', () => {
  const www = loaded(aServiceJob({ id: 'www', dependsOn: ['api', 'nope'] }), 'jobs/www.ts');
  const found = [dependsOn('jobs/www.ts', 0), dependsOn('jobs/www.ts', 1), { ...dependsOn('jobs/www.ts', 0), rule: 'job/id' }];

  it('drops depends-on errors naming a job whose file did not load, keeps the others', () => {
    expect(withoutUnloadedDependencies(found, [www], ['jobs/api.ts'])).toEqual([found[1], found[2]]);
  });

  it('keeps everything when every job file loaded', () => {
    expect(withoutUnloadedDependencies(found, [www], [])).toEqual(found);
  });
});
