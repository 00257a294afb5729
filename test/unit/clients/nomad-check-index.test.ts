import { describe, expect, it } from 'vitest';
import { ApiError, ConflictError } from '../../../src/clients/api-error.ts';
import { checkIndexConflict, NomadCheckIndexConflict, parseCheckIndexRejection } from '../../../src/clients/nomad/check-index.ts';
import { ExitCode } from '../../../src/errors.ts';

const base = { service: 'nomad' as const, method: 'POST', path: '/v1/jobs?namespace=qa', status: 500 };

describe('parseCheckIndexRejection', () => {
  it('reads the three EnforceIndex texts Nomad sends (nomad.md §3.2)', () => {
    expect(parseCheckIndexRejection('Enforcing job modify index 0: job already exists')).toEqual({ reason: 'exists', expected: 0, actual: undefined });
    expect(parseCheckIndexRejection('Enforcing job modify index 12: job exists with conflicting job modify index: 15')).toEqual({
      reason: 'modified',
      expected: 12,
      actual: 15,
    });
    expect(parseCheckIndexRejection('Enforcing job modify index 12: job does not exist')).toEqual({ reason: 'missing', expected: 12, actual: 0 });
  });

  it("reads revert's EnforcePriorVersion rejection", () => {
    expect(parseCheckIndexRejection('Current job has version 4; enforcing version 3')).toEqual({ reason: 'version', expected: 3, actual: 4 });
  });

  it('tolerates a trailing newline and an unknown detail after the prefix', () => {
    expect(parseCheckIndexRejection('Enforcing job modify index 7: something new\n')).toEqual({ reason: 'modified', expected: 7, actual: undefined });
  });

  it('ignores every other 500 text, including validation multierrors that mention indexes', () => {
    expect(parseCheckIndexRejection('1 error occurred:\n\t* Task group cache validation failed')).toBeUndefined();
    expect(parseCheckIndexRejection('No cluster leader')).toBeUndefined();
    expect(parseCheckIndexRejection('rpc error: Enforcing job modify index 1: job does not exist')).toBeUndefined();
  });
});

describe('checkIndexConflict', () => {
  it('turns a 500 check-index rejection of a write into a ConflictError with both indexes and exit code 4', () => {
    const error = checkIndexConflict({ ...base, body: 'Enforcing job modify index 12: job exists with conflicting job modify index: 15' });
    expect(error).toBeInstanceOf(NomadCheckIndexConflict);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 500, expected: 12, actual: 15, reason: 'modified', exitCode: ExitCode.refused });
    expect(error?.hint).toContain('JobModifyIndex 15, planned 12');
  });

  it('leaves other statuses and reads alone (Nomad never answers 409 for jobs)', () => {
    expect(checkIndexConflict({ ...base, status: 409, body: 'Enforcing job modify index 1: job does not exist' })).toBeUndefined();
    expect(checkIndexConflict({ ...base, method: 'GET', body: 'Enforcing job modify index 1: job does not exist' })).toBeUndefined();
    expect(checkIndexConflict({ ...base, body: 'job not found' })).toBeUndefined();
  });
});
