import { describe, expect, it } from 'vitest';
import { forwardedDenial } from '../../../src/clients/nomad/forwarded-denial.ts';

const init = (status: number, body: string, method = 'GET') => ({ service: 'nomad' as const, method, path: '/v1/client/fs/stream/a1', status, body });

describe('forwardedDenial', () => {
  it('reads a 500 whose whole body is "Permission denied" as the 403 the client agent would send, for any method', () => {
    expect(forwardedDenial(init(500, 'Permission denied'))).toEqual(init(403, 'Permission denied'));
    expect(forwardedDenial(init(500, ' Permission denied\n', 'POST'))).toEqual(init(403, ' Permission denied\n', 'POST'));
  });

  it('leaves other statuses and other 500 texts alone', () => {
    expect(forwardedDenial(init(403, 'Permission denied'))).toBeUndefined();
    expect(forwardedDenial(init(502, 'Permission denied'))).toBeUndefined();
    expect(forwardedDenial(init(500, 'rpc error: Permission denied'))).toBeUndefined();
    expect(forwardedDenial(init(500, 'Permission denied: token expired'))).toBeUndefined();
    expect(forwardedDenial(init(500, 'permission denied'))).toBeUndefined();
    expect(forwardedDenial(init(500, 'Enforcing job modify index 12: job exists with conflicting job modify index: 15', 'POST'))).toBeUndefined();
  });
});
