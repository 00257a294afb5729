import { describe, expect, it } from 'vitest';
import { periodicCronRule } from '../../../src/validate/rules/periodic-cron.ts';
import { periodicJobKindRule } from '../../../src/validate/rules/periodic-job-kind.ts';
import { periodicTimeZoneRule } from '../../../src/validate/rules/periodic-time-zone.ts';
import { aBatchJob, aServiceJob, error, run, where } from './builders.ts';

const periodic = (value: Record<string, unknown>) => aBatchJob({ periodic: { crons: ['@daily'], ...value } });
const FILE = 'jobs/report.ts';

describe('periodic/cron', () => {
  it('reports each invalid expression at its index', () => {
    const found = run(periodicCronRule, periodic({ crons: ['15 2 * * *', '61 * * * *', '* * *', '@midnight'] }));
    expect(where(found)).toEqual([error('periodic/cron', 'periodic.crons[1]', FILE), error('periodic/cron', 'periodic.crons[2]', FILE), error('periodic/cron', 'periodic.crons[3]', FILE)]);
    expect(found[0]?.message).toContain('minute');
  });

  it('requires at least one expression', () => {
    expect(where(run(periodicCronRule, periodic({ crons: [] })))).toEqual([error('periodic/cron', 'periodic.crons', FILE)]);
    expect(where(run(periodicCronRule, periodic({ crons: '@daily' })))).toEqual([error('periodic/cron', 'periodic.crons', FILE)]);
  });
});

describe('periodic/time-zone', () => {
  it('accepts IANA names, links and UTC, whichever ICU lists', () => {
    for (const timeZone of ['UTC', 'Europe/Berlin', 'America/Argentina/Buenos_Aires', 'Asia/Kolkata', 'US/Eastern', 'Etc/GMT+1']) {
      expect(run(periodicTimeZoneRule, periodic({ timeZone })), timeZone).toEqual([]);
    }
  });

  it('reports unknown zones, wrong capitalisation (Go is case-sensitive) and Local', () => {
    for (const timeZone of ['Berlin', 'europe/berlin', 'CEST+1', 'Local', 42]) {
      expect(where(run(periodicTimeZoneRule, periodic({ timeZone }))), String(timeZone)).toEqual([error('periodic/time-zone', 'periodic.timeZone', FILE)]);
    }
  });
});

describe('periodic/job-kind', () => {
  it('reports periodic and parameterized on non-batch jobs', () => {
    const job = aServiceJob({ periodic: { crons: ['@daily'] }, parameterized: {} });
    expect(where(run(periodicJobKindRule, job))).toEqual([error('periodic/job-kind', 'periodic'), error('periodic/job-kind', 'parameterized')]);
    expect(run(periodicJobKindRule, periodic({}))).toEqual([]);
  });
});
