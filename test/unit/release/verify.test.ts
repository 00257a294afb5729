import { describe, expect, it } from 'vitest';
import type { ConsulClient } from '../../../src/clients/consul/index.ts';
import type { NomadClient } from '../../../src/clients/nomad/index.ts';
import { defineEnvironment } from '../../../src/config/environment.ts';
import type { JobSpec } from '../../../src/model/job.ts';
import { ReleaseVerificationError } from '../../../src/release/errors.ts';
import type { ReleaseEvent } from '../../../src/release/events.ts';
import { verifyRelease } from '../../../src/release/verify.ts';
import type { SmokeHttp } from '../../../src/smoke/http.ts';
import type { NomadAllocListStub } from '../../../src/wire/nomad-api.ts';
import { anAlloc, aRelease, memoryStore } from './builders.ts';

const env = defineEnvironment({
  name: 'qa',
  nomad: { address: 'http://nomad' },
  consul: { address: 'http://consul' },
  vault: { address: 'http://vault' },
  fabio: { domain: 'qa.example.internal', address: 'http://fabio:9999' },
  promotion: { soak: '2m' },
});

const www: JobSpec = {
  id: 'www',
  kind: 'service',
  smoke: [{ name: 'home', via: 'fabio', path: '/', bodyPattern: 'shop', retries: 0 }],
  groups: [{ name: 'web', services: [{ name: 'www', port: 'http', routes: [{ path: '/' }] }], tasks: [{ name: 'nginx', image: 'nginx:1', resources: { cpu: 1, memoryMb: 1 } }] }],
};
const worker: JobSpec = { ...www, id: 'worker', smoke: [{ name: 'never', via: 'fabio', path: '/' }] };

/** A Nomad whose `api`/`www` allocations are read from `phases` in turn (before smoke, after soak). */
function nomadWith(phases: Record<string, NomadAllocListStub[]>[]): NomadClient {
  let call = 0;
  const seen = new Set<string>();
  return {
    jobs: {
      allocations: async (id: string) => {
        // Each snapshot reads every job once; move to the next phase when a job is read again.
        if (seen.has(id)) (call++, seen.clear());
        seen.add(id);
        return { value: phases[Math.min(call, phases.length - 1)]![id] ?? [], index: 1 };
      },
    },
  } as unknown as NomadClient;
}

const answering = (body: string): SmokeHttp => async () => ({ status: 200, body });

function setup(http: SmokeHttp, phases: Record<string, NomadAllocListStub[]>[]) {
  const store = memoryStore('qa', [aRelease()]);
  const events: ReleaseEvent[] = [];
  const slept: number[] = [];
  const deps = {
    store,
    nomad: nomadWith(phases),
    consul: {} as ConsulClient,
    http,
    now: () => new Date('2024-01-31T10:00:00.000Z'),
    sleep: async (ms: number) => void slept.push(ms),
    report: (e: ReleaseEvent) => events.push(e),
  };
  return { store, events, slept, deps };
}

describe('verifyRelease', () => {
  const healthy = { api: [anAlloc('api', 'a1')], www: [anAlloc('www', 'w1', { JobVersion: 1 })] };

  it('runs the smoke checks of the release\'s jobs, soaks for promotion.soak, and marks the release verified', async () => {
    const { store, events, slept, deps } = setup(answering('<html>shop'), [healthy, healthy]);
    const verified = await verifyRelease({ release: aRelease(), env, jobs: [www, worker] }, deps);
    expect(verified.status).toBe('verified');
    expect(verified.verification).toMatchObject({ ok: true, smoke: [{ job: 'www', check: 'home', ok: true }], soak: { durationMs: 120_000, problems: [] } });
    expect(slept).toEqual([120_000]);
    expect(store.latest).toBe(verified.id);
    expect(events.map((e) => e.type)).toEqual(['smoke-finished', 'soak-started', 'soak-finished', 'release-verified']);
  });

  it('takes a shorter soak when told to', async () => {
    const { slept, deps } = setup(answering('shop'), [healthy, healthy]);
    await verifyRelease({ release: aRelease(), env, jobs: [www], soak: '50ms' }, deps);
    expect(slept).toEqual([50]);
  });

  it('marks the release failed and throws exit 1 with the failing request and response', async () => {
    const { store, events, deps } = setup(answering('maintenance'), [healthy, healthy]);
    const error = await verifyRelease({ release: aRelease(), env, jobs: [www] }, deps).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReleaseVerificationError);
    const failure = error as ReleaseVerificationError;
    expect(failure.exitCode).toBe(1);
    expect(failure.context.smoke).toContain('request   GET http://fabio:9999/');
    expect(failure.context.smoke).toContain('body      "maintenance"');
    expect(store.records.get(aRelease().id)!.status).toBe('failed');
    expect(store.latest).toBeUndefined();
    // No soak after a failed smoke check: the release is failed already.
    expect(events.map((e) => e.type)).toEqual(['smoke-finished', 'release-failed']);
    expect(events.at(-1)).toMatchObject({ type: 'release-failed', reason: 'smoke www/home' });
    expect(failure.verification.soak).toEqual({ durationMs: 0, problems: [] });
  });

  it('fails a release whose allocation restarted during the soak, even when smoke checks passed', async () => {
    const restarted = { ...healthy, api: [anAlloc('api', 'a1', { restarts: { api: 1 } })] };
    const { store, deps } = setup(answering('shop'), [healthy, restarted]);
    const error = (await verifyRelease({ release: aRelease(), env, jobs: [www] }, deps).catch((e: unknown) => e)) as ReleaseVerificationError;
    expect(error.context.soak).toMatch(/^api\.api\[0\] \(a1\): task api restarted 1 time/);
    expect(store.records.get(aRelease().id)!.verification!.soak.problems).toHaveLength(1);
  });

  it('refuses to verify a release that is not deployed', async () => {
    const { deps } = setup(answering('shop'), [healthy]);
    await expect(verifyRelease({ release: aRelease({ status: 'failed' }), env, jobs: [www] }, deps)).rejects.toMatchObject({ exitCode: 4, message: expect.stringContaining('is failed; cannot verify it') });
  });
});
