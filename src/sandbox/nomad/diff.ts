import type { Json } from './model.ts';

/** `Type` of every diff node. */
export type DiffType = 'None' | 'Added' | 'Deleted' | 'Edited';

/** `FieldDiff`: values are strings, numbers stringified. */
export interface FieldDiff { Type: DiffType; Name: string; Old: string; New: string; Annotations: string[] | null }
/** `ObjectDiff`. */
export interface ObjectDiff { Type: DiffType; Name: string; Fields: FieldDiff[] | null; Objects: ObjectDiff[] | null }
/** `TaskDiff`. */
export interface TaskDiff extends ObjectDiff { Annotations: string[] | null }
/** `TaskGroupDiff`. */
export interface TaskGroupDiff extends ObjectDiff { Tasks: TaskDiff[] | null; Updates: Record<string, number> | null }
/** `JobDiff`. */
export interface JobDiff { Type: DiffType; ID: string; Fields: FieldDiff[] | null; Objects: ObjectDiff[] | null; TaskGroups: TaskGroupDiff[] | null }

/** Server fields and children diffed separately; never shown as fields. */
const SKIP_JOB = new Set(['TaskGroups', 'Status', 'StatusDescription', 'Stable', 'Version', 'SubmitTime', 'CreateIndex', 'ModifyIndex', 'JobModifyIndex', 'ID', 'VersionTag', 'Payload']);
const SKIP_GROUP = new Set(['Tasks', 'Name']);
const SKIP_TASK = new Set(['Name']);
/** Maps whose entries Nomad flattens into fields named `Meta[key]`. */
const FLAT_MAPS = new Set(['Meta', 'Env', 'Config', 'CanaryMeta']);
/** Object names Nomad uses for list members. */
const SINGULAR: Record<string, string> = {
  Services: 'Service', Checks: 'Check', Templates: 'Template', Constraints: 'Constraint', Affinities: 'Affinity', Spreads: 'Spread',
  Networks: 'Network', DynamicPorts: 'Dynamic Port', ReservedPorts: 'Static Port', Artifacts: 'Artifact', VolumeMounts: 'VolumeMount',
};

/**
 * A structural `JobDiff` between two canonical jobs (either may be absent), in the shapes of
 * nomad.md §3.4: scalar fields as FieldDiffs with string values, nested objects as ObjectDiffs,
 * groups and tasks matched by name. Only changed entries are listed (non-contextual diff).
 */
export function diffJobs(before: Json | undefined, after: Json | undefined, id: string): JobDiff {
  const fields = diffFields(before, after, SKIP_JOB);
  const objects = diffObjects(before, after, SKIP_JOB);
  const groups = matchByName(before?.TaskGroups, after?.TaskGroups).map(([b, a]) => diffGroup(b, a));
  const changedGroups = groups.filter((g) => g.Type !== 'None');
  return {
    Type: typeOf(before, after, fields.length + objects.length + changedGroups.length > 0),
    ID: id,
    Fields: nullIfEmpty(fields),
    Objects: nullIfEmpty(objects),
    TaskGroups: nullIfEmpty(groups),
  };
}

function diffGroup(before: Json | undefined, after: Json | undefined): TaskGroupDiff {
  const fields = diffFields(before, after, SKIP_GROUP);
  const objects = diffObjects(before, after, SKIP_GROUP);
  const tasks = matchByName(before?.Tasks, after?.Tasks).map(([b, a]) => diffTask(b, a));
  const changed = fields.length + objects.length + tasks.filter((t) => t.Type !== 'None').length > 0;
  return { Type: typeOf(before, after, changed), Name: String((after ?? before)?.Name), Fields: nullIfEmpty(fields), Objects: nullIfEmpty(objects), Tasks: nullIfEmpty(tasks), Updates: null };
}

function diffTask(before: Json | undefined, after: Json | undefined): TaskDiff {
  const fields = diffFields(before, after, SKIP_TASK);
  const objects = diffObjects(before, after, SKIP_TASK);
  const type = typeOf(before, after, fields.length + objects.length > 0);
  return { Type: type, Name: String((after ?? before)?.Name), Fields: nullIfEmpty(fields), Objects: nullIfEmpty(objects), Annotations: null };
}

function typeOf(before: unknown, after: unknown, changed: boolean): DiffType {
  if (before === undefined) return 'Added';
  if (after === undefined) return 'Deleted';
  return changed ? 'Edited' : 'None';
}

function diffFields(before: Json | undefined, after: Json | undefined, skip: ReadonlySet<string>): FieldDiff[] {
  const out: FieldDiff[] = [];
  for (const key of keys(before, after, skip)) {
    const [b, a] = [before?.[key], after?.[key]];
    if (FLAT_MAPS.has(key)) out.push(...diffFlatMap(key, b, a));
    else if (isScalar(b) && isScalar(a) && (b !== null || a !== null)) pushField(out, key, b, a);
  }
  return out;
}

function diffObjects(before: Json | undefined, after: Json | undefined, skip: ReadonlySet<string>): ObjectDiff[] {
  const out: ObjectDiff[] = [];
  for (const key of keys(before, after, skip)) {
    if (FLAT_MAPS.has(key)) continue;
    const [b, a] = [before?.[key], after?.[key]];
    if (isScalar(b) && isScalar(a)) continue;
    if (Array.isArray(b) || Array.isArray(a)) out.push(...diffList(key, asList(b), asList(a)));
    else {
      const diff = diffObject(key, asJson(b), asJson(a));
      if (diff) out.push(diff);
    }
  }
  return out;
}

function diffObject(name: string, before: Json | undefined, after: Json | undefined): ObjectDiff | undefined {
  const fields = diffFields(before, after, new Set());
  const objects = diffObjects(before, after, new Set());
  if (fields.length + objects.length === 0) return undefined;
  return { Type: typeOf(before, after, true), Name: name, Fields: nullIfEmpty(fields), Objects: nullIfEmpty(objects) };
}

function diffList(key: string, before: unknown[], after: unknown[]): ObjectDiff[] {
  if ([...before, ...after].every((v) => isScalar(v))) {
    // Primitive lists (Datacenters, Tags) become one object whose fields are the added/removed members.
    const removed = before.filter((v) => !after.includes(v)).map((v) => field(key, 'Deleted', v, undefined));
    const added = after.filter((v) => !before.includes(v)).map((v) => field(key, 'Added', undefined, v));
    const fields = [...removed, ...added];
    return fields.length ? [{ Type: before.length === 0 ? 'Added' : after.length === 0 ? 'Deleted' : 'Edited', Name: key, Fields: fields, Objects: null }] : [];
  }
  const name = SINGULAR[key] ?? key;
  return matchByName(before, after)
    .map(([b, a]) => (b && a ? diffObject(name, b, a) : diffObject(name, b ?? undefined, a ?? undefined)))
    .filter((d): d is ObjectDiff => !!d);
}

function diffFlatMap(key: string, before: unknown, after: unknown): FieldDiff[] {
  const [b, a] = [asJson(before) ?? {}, asJson(after) ?? {}];
  const out: FieldDiff[] = [];
  for (const k of [...new Set([...Object.keys(b), ...Object.keys(a)])].sort()) {
    const [ov, nv] = [b[k], a[k]];
    if (JSON.stringify(ov) !== JSON.stringify(nv)) out.push(field(`${key}[${k}]`, ov === undefined ? 'Added' : nv === undefined ? 'Deleted' : 'Edited', ov, nv));
  }
  return out;
}

function pushField(out: FieldDiff[], name: string, before: unknown, after: unknown): void {
  if (stringify(before) === stringify(after)) return;
  out.push(field(name, before === undefined || before === null ? 'Added' : after === undefined || after === null ? 'Deleted' : 'Edited', before, after));
}

function field(name: string, type: DiffType, before: unknown, after: unknown): FieldDiff {
  return { Type: type, Name: name, Old: stringify(before), New: stringify(after), Annotations: null };
}

function stringify(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function isScalar(value: unknown): boolean {
  return value === undefined || value === null || typeof value !== 'object';
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function asJson(value: unknown): Json | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
}

function keys(before: Json | undefined, after: Json | undefined, skip: ReadonlySet<string>): string[] {
  return [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])].filter((k) => !skip.has(k)).sort();
}

/** Pairs list members by `Name` (or `Label`), falling back to position. */
function matchByName(before: unknown, after: unknown): [Json | undefined, Json | undefined][] {
  const [b, a] = [asList(before).map(asJson), asList(after).map(asJson)];
  const nameOf = (o: Json | undefined, i: number): string => String(o?.Name ?? o?.Label ?? `#${i}`);
  const pairs = new Map<string, [Json | undefined, Json | undefined]>();
  b.forEach((o, i) => pairs.set(nameOf(o, i), [o, undefined]));
  a.forEach((o, i) => pairs.set(nameOf(o, i), [pairs.get(nameOf(o, i))?.[0], o]));
  return [...pairs.values()];
}

function nullIfEmpty<T>(list: T[]): T[] | null {
  return list.length ? list : null;
}
