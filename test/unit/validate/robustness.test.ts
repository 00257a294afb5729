import { describe, expect, it } from 'vitest';
import type { JobSpec } from '../../../src/model/job.ts';
import type { EnvironmentDefinition } from '../../../src/config/environment.ts';
import { environmentRules, validateEnvironment } from '../../../src/validate/rules/environment.ts';
import { rules } from '../../../src/validate/rules/index.ts';
import { anEnvironment, anEnvironmentWith } from './builders.ts';

/** Values a JavaScript job file could put anywhere. */
const ODD: readonly unknown[] = [null, undefined, 0, -1, 1.5, NaN, '', 'x', true, [], {}, [null], { a: null }, () => 1];

/** Deterministic pseudo-random numbers (mulberry32), so a failure reproduces. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A job-shaped tree whose leaves are replaced by odd values at random. */
function mangle(value: unknown, next: () => number, depth = 0): unknown {
  if (next() < 0.15) return ODD[Math.floor(next() * ODD.length)];
  if (Array.isArray(value)) return value.map((item) => mangle(item, next, depth + 1));
  if (typeof value === 'object' && value !== null && depth < 8) {
    return Object.fromEntries(Object.entries(value).map(([key, member]) => [key, mangle(member, next, depth + 1)]));
  }
  return value;
}

const FULL_JOB = {
  id: 'app', kind: 'service', priority: 50, dependsOn: ['db'], datacenters: ['dc1'], description: 'x',
  update: { strategy: 'canary', canaries: 1, maxParallel: 1, minHealthyTime: '10s', promotion: 'auto' },
  constraints: [{ attribute: 'a', value: 'b' }], affinities: [{ attribute: 'a', value: 'b', weight: 10 }], spreads: [{ attribute: 'a', targets: { x: 50 } }],
  periodic: { crons: ['@daily'], timeZone: 'UTC' }, parameterized: {},
  groups: [{
    name: 'app', count: 1, ports: { http: { static: 80, to: 8080 } }, waitFor: [{ service: 'db' }], volumes: { data: { type: 'host', source: 'd' } },
    scaling: { min: 1, max: 2, target: { kind: 'cpu', percent: 50 } }, restart: { attempts: 1, interval: '1m', delay: '1s' },
    services: [{ name: 'app', port: 'http', meta: { a: 'b' }, routes: [{ path: '/' }, { kind: 'tcp', port: 1 }, { kind: 'redirect', code: 301, to: 'https://x' }], checks: [{ type: 'script', task: 'app', command: 'x', restart: { limit: 1 } }] }],
    tasks: [{ name: 'app', image: 'a:1', ports: ['http'], env: { A: 'b' }, secrets: [{ env: 'S', path: 'p', key: 'k' }], config: [{ env: 'C', key: 'k' }], templates: [{ destination: 'local/x', data: 'y' }], lifecycle: { hook: 'prestart' }, volumeMounts: [{ volume: 'data', destination: '/d' }], resources: { cpu: 1, memoryMb: 10 } }],
  }],
};

describe('rules on malformed input', () => {
  it('never throw on odd top-level values or odd environments', () => {
    const envs = [anEnvironment(), {} as never, { fabio: 5, promotion: 'x', name: null } as never];
    for (const env of envs) {
      for (const spec of [...ODD, { groups: 'x' }, { groups: [null, 5, {}] }]) {
        for (const rule of rules) {
          expect(() => rule.check({ env, jobs: [{ file: 'jobs/x.ts', spec: spec as JobSpec }], processEnv: { NOMAD_TOKEN: 'a-long-secret-token' } }), rule.id).not.toThrow();
        }
      }
    }
  });

  // ~3 s alone; 500 × every rule is CPU-bound, so it gets room for a busy machine (it passed alone and
  // timed out at the 5 s default while other suites ran).
  it('never throw on 500 randomly mangled jobs', { timeout: 30_000 }, () => {
    const next = random(20260801);
    for (let i = 0; i < 500; i++) {
      const jobs = [{ file: 'jobs/a.ts', spec: mangle(FULL_JOB, next) as JobSpec }, { file: 'jobs/b.ts', spec: mangle(FULL_JOB, next) as JobSpec }];
      for (const rule of rules) expect(() => rule.check({ env: anEnvironment(), jobs }), `${rule.id} #${i}`).not.toThrow();
    }
  });

  it('environment rules never throw on mangled environments', () => {
    const next = random(7);
    const base = anEnvironmentWith('description', 'x');
    for (let i = 0; i < 300; i++) {
      const env = mangle(base, next) as EnvironmentDefinition;
      for (const rule of environmentRules) {
        if (typeof env === 'object' && env !== null) expect(() => rule.check({ env, file: 'environments/x.ts' }), `${rule.id} #${i}`).not.toThrow();
      }
      expect(() => validateEnvironment(env, 'environments/x.ts')).not.toThrow();
    }
  });
});
