import { describe, expect, it } from 'vitest';
import { renderJob } from '../../src/render/job.ts';
import { environments, aContext } from '../support/environments.ts';
import { buildExampleJobs } from '../support/example-jobs.ts';
import { collectShape, type JsonType } from '../support/json-shape.ts';
import { hasReference, readReferenceJson } from '../support/reference.ts';

/** Maps with user-chosen keys: only their own type is compared, not their members. */
const OPAQUE = new Set(['Meta', 'Env', 'Config', 'Volumes', 'Policy', 'GetterOptions', 'VariableFlags']);

/** Job objects in the official examples (see shared/reference/examples/README.md). */
const EXAMPLE_JOBS: readonly [file: string, pick: (doc: any) => unknown[]][] = [
  ['examples/nomad/jobspec_json.example.json', (d) => [d.Job]],
  ['examples/nomad/post_v1_jobs.request.json', (d) => [d.Job]],
  ['examples/nomad/post_v1_job_id.request.json', (d) => [d.Job]],
  ['examples/nomad/post_v1_job_id_plan.request.json', (d) => [d.Job]],
  ['examples/nomad/get_v1_job_id.response.json', (d) => [d]],
  ['examples/nomad/get_v1_job_id_versions.response.json', (d) => d.Versions],
];

/**
 * Fields drover writes that no example happens to show, each documented in shared/reference/nomad.md
 * (section in the comment) with the JSON type given there.
 */
const DOCUMENTED_ONLY: Readonly<Record<string, JsonType>> = {
  'Periodic.Specs': 'array', // §9.1 Periodic {Specs}
  'Periodic.TimeZone': 'string', // §9.1
  'UI': 'object', // §9.1 UI {Description, Links:[{Label, URL}]}
  'UI.Description': 'string',
  'UI.Links': 'array',
  'UI.Links[].Label': 'string',
  'UI.Links[].URL': 'string',
  'Spreads[].Attribute': 'string', // §9.1 Spreads
  'Spreads[].Weight': 'number',
  'Spreads[].SpreadTarget': 'array',
  'Spreads[].SpreadTarget[].Value': 'string',
  'Spreads[].SpreadTarget[].Percent': 'number',
  'TaskGroups[].Spreads[].Attribute': 'string',
  'TaskGroups[].Spreads[].Weight': 'number',
  'TaskGroups[].Networks[].Mode': 'string', // §9.4
  'TaskGroups[].Scaling.Min': 'number', // §9.2 Scaling {Min, Max, Policy, Enabled}
  'TaskGroups[].Scaling.Max': 'number',
  'TaskGroups[].Scaling.Enabled': 'boolean',
  'TaskGroups[].Scaling.Policy': 'object',
  'TaskGroups[].Services[].Checks[].Name': 'string', // §9.6 ServiceCheck
  'TaskGroups[].Services[].Checks[].Type': 'string',
  'TaskGroups[].Services[].Checks[].Path': 'string',
  'TaskGroups[].Services[].Checks[].Interval': 'number',
  'TaskGroups[].Services[].Checks[].Timeout': 'number',
  'TaskGroups[].Services[].Checks[].PortLabel': 'string',
  'TaskGroups[].Services[].Checks[].Command': 'string',
  'TaskGroups[].Services[].Checks[].Args': 'array',
  'TaskGroups[].Services[].Checks[].TaskName': 'string',
  'TaskGroups[].Services[].Checks[].CheckRestart': 'object',
  'TaskGroups[].Services[].Checks[].CheckRestart.Limit': 'number', // §9.6 CheckRestart
  'TaskGroups[].Services[].Checks[].CheckRestart.Grace': 'number',
  'TaskGroups[].Services[].Checks[].CheckRestart.IgnoreWarnings': 'boolean',
  'TaskGroups[].Tasks[].Templates[].Envvars': 'boolean', // §9.3 Template (hcl env)
  'TaskGroups[].Tasks[].Templates[].ErrMissingKey': 'boolean',
  'TaskGroups[].Tasks[].Vault.Role': 'string', // §9.3 Vault
  'TaskGroups[].Tasks[].Vault.ChangeMode': 'string',
  'TaskGroups[].Tasks[].Vault.Env': 'boolean',
  'TaskGroups[].Tasks[].Artifacts[].GetterMode': 'string', // §9.3 Artifacts
  'TaskGroups[].Tasks[].VolumeMounts[].Volume': 'string', // §9.3 VolumeMounts
  'TaskGroups[].Tasks[].VolumeMounts[].Destination': 'string',
  'TaskGroups[].Tasks[].VolumeMounts[].ReadOnly': 'boolean',
};

const referencePresent = hasReference(...EXAMPLE_JOBS.map(([file]) => file));

describe.skipIf(!referencePresent)('rendered jobs against the Nomad job examples', () => {
  // Vitest runs a skipped describe's body to collect its tests: read the examples only when present.
  const known = new Map<string, Set<JsonType>>();
  for (const [file, pick] of referencePresent ? EXAMPLE_JOBS : []) {
    for (const job of pick(readReferenceJson(file))) collectShape(job, OPAQUE, '', known);
  }

  it.each(environments.map((env) => [env.name, env] as const))('uses only documented field names with their JSON types (%s)', async (_name, env) => {
    const problems: string[] = [];
    for (const { file, spec } of await buildExampleJobs(env)) {
      const shape = collectShape(renderJob(spec, aContext(env)), OPAQUE);
      for (const [rawPath, types] of shape) {
        // ReservedPorts and DynamicPorts hold the same Port struct (§9.4); examples only show dynamic ones.
        const path = rawPath.replace('.ReservedPorts[]', '.DynamicPorts[]');
        const documented = DOCUMENTED_ONLY[path];
        const expected = known.get(path) ?? (documented ? new Set([documented]) : undefined);
        if (!expected) {
          problems.push(`${file}: field ${path} appears in no Nomad example and is not documented`);
          continue;
        }
        for (const type of types) {
          if (!expected.has(type) && ![...expected].every((t) => t === 'null')) {
            problems.push(`${file}: field ${path} is ${type}, Nomad uses ${[...expected].join('|')}`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('detects a misspelled or mistyped field (the check itself can fail)', () => {
    const shape = collectShape({ TaskGroups: [{ Count: '2', Tasks: [{ MemoryMb: 1 }] }] }, OPAQUE);
    expect(known.get('TaskGroups[].Count')?.has('string')).toBe(false);
    expect(known.has('TaskGroups[].Tasks[].MemoryMb')).toBe(false);
    expect(shape.has('TaskGroups[].Tasks[].MemoryMb')).toBe(true);
  });
});
