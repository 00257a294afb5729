import type { Json, JobObject } from './model.ts';

/** Fields the server owns; ignored when deciding whether a registration changes the spec. */
const SERVER_FIELDS = ['Status', 'StatusDescription', 'Stable', 'Version', 'SubmitTime', 'CreateIndex', 'ModifyIndex', 'JobModifyIndex', 'VersionTag'];

/** Nomad's `Job.SpecChanged`: compares two canonical jobs without the server fields. */
export function specChanged(a: Json, b: Json): boolean {
  return stableText(withoutServerFields(a)) !== stableText(withoutServerFields(b));
}

function withoutServerFields(job: Json): Json {
  const copy: Json = { ...job };
  for (const key of SERVER_FIELDS) delete copy[key];
  return copy;
}

/** Group fields that an update applies without replacing allocations (nomad.md §3.4). */
const IN_PLACE_GROUP_FIELDS = ['Count', 'Update', 'ReschedulePolicy', 'Migrate', 'Scaling', 'Constraints', 'Affinities', 'Spreads', 'Services'];
/** Task fields and objects safe to change in place: KillTimeout, Service, Constraint, Affinity, Spread, LogConfig. */
const IN_PLACE_TASK_FIELDS = ['KillTimeout', 'Services', 'Constraints', 'Affinities', 'Spreads', 'LogConfig'];

/**
 * What an allocation of `group` must be replaced for. Two jobs whose fingerprints for a group
 * differ need a destructive update; equal fingerprints can be updated in place. Job meta counts
 * because tasks see the combined job+group+task meta (so a per-release meta key is destructive).
 */
export function groupFingerprint(job: JobObject, groupName: string): string | undefined {
  const group = job.TaskGroups.find((g) => g.Name === groupName);
  if (!group) return undefined;
  const copy: Json = { ...group };
  for (const key of IN_PLACE_GROUP_FIELDS) delete copy[key];
  copy.Tasks = ((group.Tasks as Json[] | null) ?? []).map((task) => {
    const t: Json = { ...task };
    for (const key of IN_PLACE_TASK_FIELDS) delete t[key];
    return t;
  });
  return stableText({ meta: job.Meta ?? null, group: copy });
}

/** JSON with sorted keys, for comparisons. */
export function stableText(value: unknown): string {
  return JSON.stringify(value, (_key, member: unknown) => {
    if (typeof member === 'bigint') return member.toString();
    if (member === null || typeof member !== 'object' || Array.isArray(member)) return member;
    return Object.fromEntries(Object.entries(member as Json).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  });
}

/** The effective update strategy of a group (null for batch groups without one). */
export function groupUpdate(job: JobObject, groupName: string): Json | null {
  const group = job.TaskGroups.find((g) => g.Name === groupName);
  return (group?.Update as Json | null | undefined) ?? null;
}

/** Numeric field of a JSON object, with a default. */
export function num(object: Json | null | undefined, key: string, fallback = 0): number {
  const value = object?.[key];
  return typeof value === 'number' ? value : fallback;
}

/** Boolean field of a JSON object. */
export function bool(object: Json | null | undefined, key: string): boolean {
  return object?.[key] === true;
}
