import { formatNanoseconds } from '../../model/duration.ts';
import { isHclIdentifier } from './literals.ts';

/**
 * A tiny HCL document model: the jobspec renderer builds these, `printHcl` turns them into text.
 * Keeping structure and syntax apart means escaping, heredocs and indentation live in one place.
 */
export type HclValue = string | number | boolean | null | readonly HclValue[] | { readonly [key: string]: HclValue };

/** `name = value` */
export interface HclAttribute {
  readonly kind: 'attribute';
  readonly name: string;
  readonly value: HclValue;
}

/** `type "label" … { body }` */
export interface HclBlock {
  readonly kind: 'block';
  readonly type: string;
  readonly labels: readonly string[];
  readonly body: readonly HclItem[];
}

/** One entry of a body; bodies keep their items in order. */
export type HclItem = HclAttribute | HclBlock;

/**
 * Builders return arrays so a body reads as one spread list in which absent optional fields simply
 * contribute nothing: `[...attr('user', task.User), ...block('logs', [], …)]`.
 */
export function attr(name: string, value: HclValue | undefined): HclItem[] {
  return value === undefined ? [] : [{ kind: 'attribute', name: checkedName(name), value }];
}

/** A block; labels are written as quoted strings, escaped like any other string. */
export function block(type: string, labels: readonly string[], body: readonly HclItem[]): HclItem[] {
  return [{ kind: 'block', type: checkedName(type), labels, body }];
}

/** A block only when its source field is present. */
export function optionalBlock<T>(type: string, value: T | undefined, body: (value: T) => HclItem[]): HclItem[] {
  return value === undefined ? [] : block(type, [], body(value));
}

/** Nomad's HCL decoder parses durations with Go's time.ParseDuration, so write them as Go strings. */
export function durationAttr(name: string, nanoseconds: number | undefined): HclItem[] {
  if (nanoseconds === undefined) return [];
  // formatNanoseconds drops fractions and signs; wire durations are whole, non-negative nanoseconds.
  if (!Number.isSafeInteger(nanoseconds) || nanoseconds < 0) throw new Error(`internal: ${name} is ${nanoseconds}ns, not a duration`);
  return attr(name, formatNanoseconds(nanoseconds));
}

/** A list-of-strings argument (`tags`, `datacenters`, `crons`). */
export function listAttr(name: string, values: readonly string[] | undefined): HclItem[] {
  return attr(name, values === undefined ? undefined : [...values]);
}

/**
 * A string map written as a map attribute, `meta = { "drover.env" = "qa" }`. HCL2 block bodies only
 * accept identifiers as argument names, so the block form `meta { "drover.env" = "qa" }` is a
 * syntax error; Nomad's jobspec2 accepts the attribute form for job/group/task `meta` and task
 * `env` precisely for keys like these (jobspec2 `decodeAsAttribute`). Keys are sorted so equal
 * maps render identically.
 */
export function mapAttr(name: string, map: Readonly<Record<string, string>> | undefined): HclItem[] {
  return map === undefined ? [] : attr(name, sortedRecord(map));
}

/**
 * A string map in block form, for the maps Nomad only decodes as blocks (service `meta`, artifact
 * `options`). Their keys are identifiers in practice (Consul meta keys are `[A-Za-z0-9_-]`,
 * go-getter options are snake_case); anything else cannot be written in HCL, so it fails loudly.
 */
export function mapBlock(type: string, map: Readonly<Record<string, string>> | undefined, where: string): HclItem[] {
  if (map === undefined) return [];
  const body = Object.entries(sortedRecord(map)).flatMap(([key, value]) => {
    if (!isHclIdentifier(key)) {
      throw new Error(`internal: ${where} ${type} key ${JSON.stringify(key)} is not an HCL identifier and cannot be written in a ${type} block`);
    }
    return attr(key, value);
  });
  return block(type, [], body);
}

/** A copy with keys in code-point order (the order canonical JSON uses). */
export function sortedRecord<T>(record: Readonly<Record<string, T>>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function checkedName(name: string): string {
  if (!isHclIdentifier(name)) throw new Error(`internal: ${JSON.stringify(name)} is not an HCL identifier`);
  return name;
}
