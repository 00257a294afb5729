import { describe, expect, it } from 'vitest';
import { renderJob } from '../../src/render/job.ts';
import { environments, aContext } from '../support/environments.ts';
import { buildExampleJobs } from '../support/example-jobs.ts';
import { collectShape, type JsonType } from '../support/json-shape.ts';
import { recordedBody, recordedNames } from '../support/recorded.ts';

/** Maps with user-chosen keys: only their own type is compared, not their members. */
const OPAQUE = new Set(['Meta', 'Env', 'Config', 'Volumes', 'Policy', 'GetterOptions', 'VariableFlags']);

/**
 * drover's rendered jobs (test/jobs/rendered/) as a real Nomad 2.0.5 read them back after
 * registering them (test/fixtures/recorded/nomad/rendered/, see its README), plus the small job
 * of the recorded rollout. A field drover writes must come back from the server: a field the
 * server does not know is dropped on decode, so it never reaches Nomad.
 */
const READ_BACK = [...recordedNames('nomad', 'rendered/dev'), ...recordedNames('nomad', 'rendered/qa'), ...recordedNames('nomad', 'rendered/prod'), 'get_v1_job_id'];

/**
 * Fields drover writes that come back differently, each harmless, with why. Every entry must still
 * be needed (see the last test).
 */
const READ_BACK_DIFFERENTLY: Readonly<Record<string, string>> = {
  // drover writes Value 0 on dynamic ports; Port.Value is omitempty on the server, so a zero comes
  // back absent (the port gets its value at placement).
  'TaskGroups[].Networks[].DynamicPorts[].Value': 'omitempty zero',
  // Nomad's JobUILink field is Url. Its JSON decoding matches field names case-insensitively, so
  // drover's URL lands in Url: the read-back shows the link under Url with drover's value.
  'UI.Links[].URL': 'read back as Url',
};

const known = new Map<string, Set<JsonType>>();
for (const name of READ_BACK) collectShape(recordedBody('nomad', name), OPAQUE, '', known);

/** Paths and types in `shape` that Nomad's read-back Job does not have. */
function unknownFields(file: string, shape: Map<string, Set<JsonType>>): string[] {
  const problems: string[] = [];
  for (const [path, types] of shape) {
    const expected = known.get(path);
    if (!expected && path in READ_BACK_DIFFERENTLY) continue;
    if (!expected) {
      problems.push(`${file}: field ${path} is not in any Job Nomad read back`);
      continue;
    }
    for (const type of types) {
      // Nomad encodes nil slices, maps and pointers as null: null on either side matches anything.
      if (type !== 'null' && !expected.has(type) && ![...expected].every((t) => t === 'null')) problems.push(`${file}: field ${path} is ${type}, Nomad uses ${[...expected].join('|')}`);
    }
  }
  return problems;
}

describe('rendered jobs against the Jobs a real Nomad read back', () => {
  it('has read-back Jobs of every environment', () => {
    expect(environments.map((env) => recordedNames('nomad', `rendered/${env.name}`).length > 0)).toEqual(environments.map(() => true));
  });

  it.each(environments.map((env) => [env.name, env] as const))('writes only fields Nomad keeps, with its JSON types (%s)', async (_name, env) => {
    const problems: string[] = [];
    for (const { file, spec } of await buildExampleJobs(env)) problems.push(...unknownFields(file, collectShape(renderJob(spec, aContext(env)), OPAQUE)));
    expect(problems).toEqual([]);
  });

  it('needs every read-back difference it allows', async () => {
    const written = new Set<string>();
    for (const env of environments) for (const { spec } of await buildExampleJobs(env)) for (const path of collectShape(renderJob(spec, aContext(env)), OPAQUE).keys()) written.add(path);
    expect(Object.keys(READ_BACK_DIFFERENTLY).filter((path) => !written.has(path) || known.has(path))).toEqual([]);
    expect(known.get('UI.Links[].Url')).toEqual(new Set(['string']));
  });

  it('detects a misspelled or mistyped field (the check itself can fail)', () => {
    const shape = collectShape({ TaskGroups: [{ Count: '2', Tasks: [{ MemoryMb: 1, Resources: { MemoryMB: 1 } }] }] }, OPAQUE);
    expect(unknownFields('x', shape)).toEqual([
      'x: field TaskGroups[].Count is string, Nomad uses number',
      'x: field TaskGroups[].Tasks[].MemoryMb is not in any Job Nomad read back',
    ]);
  });
});
