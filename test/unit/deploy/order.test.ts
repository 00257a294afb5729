import { describe, expect, it } from 'vitest';
import { deployWaves } from '../../../src/deploy/order.ts';

const job = (id: string, ...dependsOn: string[]) => (dependsOn.length ? { id, dependsOn } : { id });

describe('deployWaves', () => {
  it('has no waves for no jobs', () => {
    expect(deployWaves([])).toEqual({ waves: [], unordered: [] });
  });

  it('puts independent jobs in one wave, sorted by ID', () => {
    expect(deployWaves([job('www'), job('api'), job('cache')])).toEqual({ waves: [['api', 'cache', 'www']], unordered: [] });
  });

  it('treats an empty dependsOn like none', () => {
    expect(deployWaves([{ id: 'api', dependsOn: [] }, job('www')])).toEqual({ waves: [['api', 'www']], unordered: [] });
  });

  it('deploys a chain one job per wave, dependencies first', () => {
    expect(deployWaves([job('www', 'api'), job('api', 'db'), job('db')])).toEqual({ waves: [['db'], ['api'], ['www']], unordered: [] });
  });

  it('deploys both sides of a diamond together, and the job needing both after them', () => {
    const jobs = [job('www', 'api', 'worker'), job('worker', 'db'), job('api', 'db'), job('db')];
    expect(deployWaves(jobs)).toEqual({ waves: [['db'], ['api', 'worker'], ['www']], unordered: [] });
  });

  it('waits for the latest of its dependencies, not the first', () => {
    const jobs = [job('db'), job('api', 'db'), job('www', 'db', 'api'), job('metrics')];
    expect(deployWaves(jobs)).toEqual({ waves: [['db', 'metrics'], ['api'], ['www']], unordered: [] });
  });

  it('ignores a dependency on a job not being deployed (validation reports unknown ones)', () => {
    expect(deployWaves([job('api', 'db'), job('www', 'api')])).toEqual({ waves: [['api'], ['www']], unordered: [] });
  });

  it('leaves the jobs of a cycle, and those waiting on it, unordered and deploys the rest', () => {
    const jobs = [job('a', 'b'), job('b', 'a'), job('c', 'a'), job('d'), job('e', 'd')];
    expect(deployWaves(jobs)).toEqual({ waves: [['d'], ['e']], unordered: ['a', 'b', 'c'] });
  });

  it('leaves a job that depends on itself unordered', () => {
    expect(deployWaves([job('api', 'api'), job('www')])).toEqual({ waves: [['www']], unordered: ['api'] });
  });

  it('gives the same order whatever order the jobs came in', () => {
    const jobs = [job('www', 'api', 'worker'), job('worker', 'db'), job('api', 'db'), job('db'), job('cron')];
    expect(deployWaves([...jobs].reverse())).toEqual(deployWaves(jobs));
    expect(deployWaves(jobs).waves).toEqual([['cron', 'db'], ['api', 'worker'], ['www']]);
  });
});
