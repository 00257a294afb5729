import { describe, expect, it } from 'vitest';
import { loadSchema, schemaErrors } from '../../support/json-schema.ts';

/** The checker the output contract tests rely on must itself catch departures, or their passing means nothing. */
describe('the JSON Schema checker of docs/schemas/', () => {
  const status = loadSchema('status');
  const job = { id: 'api', state: 'running', version: 3, release: 'r-1', deployment: 'successful (v3)', allocations: 'api 2/2', canaries: '-', lastFailure: '-' };

  it('accepts a conforming document', () => {
    expect(schemaErrors({ schema: 'drover.status/v1', env: 'qa', namespace: 'shop', jobs: [job, { ...job, version: null, release: null }], notes: [] }, status)).toEqual([]);
  });

  it('reports a wrong schema id, a missing field, an extra field, a wrong type and a null where none is allowed', () => {
    const errors = schemaErrors({ schema: 'drover.status/v2', env: 'qa', jobs: [{ ...job, version: '3', extra: 1 }, { ...job, state: null }], notes: [], more: true }, status);
    expect(errors).toEqual([
      '$: missing namespace',
      '$.schema: expected "drover.status/v1"',
      '$.jobs[0].version: expected integer or null, got "3"',
      '$.jobs[0]: unexpected field extra',
      '$.jobs[1].state: expected string, got null',
      '$: unexpected field more',
    ]);
  });

  it('checks enums through $ref and refuses keywords it does not implement', () => {
    const validate = loadSchema('validate');
    const diagnostic = { rule: 'r', severity: 'fatal', message: 'm', location: { file: 'f', path: '' }, hint: 'h' };
    expect(schemaErrors({ schema: 'drover.validate/v1', ok: false, environments: [{ env: 'qa', ok: false, jobs: 1, excluded: [], diagnostics: [diagnostic] }] }, validate)).toEqual([
      '$.environments[0].diagnostics[0].severity: "fatal" is not one of ["error","warning"]',
    ]);
    expect(() => schemaErrors(1, { type: 'integer', minimum: 0 })).toThrow(/unsupported keyword\(s\) minimum/);
  });
});
