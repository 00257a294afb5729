import { isHclIdentifier } from './literals.ts';
import { attr, block, sortedRecord, type HclItem, type HclValue } from './syntax.ts';

type PlainObject = Record<string, unknown>;

/**
 * Writes a schemaless map (task driver `config`, scaling `policy`) as an HCL body.
 *
 * Nomad decodes these bodies with jobspec2's `BlocksAsAttrs`: a block `k { … }` becomes
 * `k = [{ … }]`, repeated blocks become a list of objects, and a labeled block `k "l" { … }`
 * becomes `k = [{ l = [{ … }] }]`. So a list of objects is written as repeated blocks, and a list
 * of single-key objects each holding one object (`strategy: [{ "target-value": [{ target: 60 }] }]`)
 * as labeled blocks (`strategy "target-value" { target = 60 }`), which is how Nomad's docs write
 * them and parses back to the same value. Everything else is an argument.
 *
 * A plain object stays an object argument (`labels = { … }`): any key can be written that way.
 * Nomad reads an object argument in these bodies as a one-element list of that object, the same as
 * the block form, which is what drivers expect for such fields (docker `labels`, `logging`).
 */
export function freeformBody(map: Readonly<PlainObject>, where: string): HclItem[] {
  const items = Object.entries(sortedRecord(map)).flatMap(([key, value]) => freeformItems(key, value, where));
  // Arguments first, then blocks, as Nomad's docs lay these bodies out; order carries no meaning here.
  return [...items.filter((i) => i.kind === 'attribute'), ...items.filter((i) => i.kind === 'block')];
}

function freeformItems(key: string, value: unknown, where: string): HclItem[] {
  if (value === undefined) return [];
  if (!isHclIdentifier(key)) {
    throw new Error(`internal: ${where} key ${JSON.stringify(key)} is not an HCL identifier and cannot be written in HCL`);
  }
  if (isLabeledBlockList(value)) {
    return value.flatMap((entry) => {
      const [label, bodies] = Object.entries(entry)[0] as [string, PlainObject[]];
      return block(key, [label], freeformBody(bodies[0] as PlainObject, `${where}.${key}`));
    });
  }
  if (isBlockList(value)) return value.flatMap((entry) => block(key, [], freeformBody(entry, `${where}.${key}`)));
  return attr(key, toHclValue(value, `${where}.${key}`));
}

/** Converts a JSON-like value into an HCL literal value; anything else is a drover bug. */
export function toHclValue(value: unknown, where: string): HclValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number') return value;
  if (Array.isArray(value)) return value.map((item, i) => toHclValue(item, `${where}[${i}]`));
  if (isPlainObject(value)) {
    const entries = Object.entries(sortedRecord(value)).filter(([, v]) => v !== undefined);
    return Object.fromEntries(entries.map(([k, v]) => [k, toHclValue(v, `${where}.${k}`)]));
  }
  throw new Error(`internal: ${where} holds a ${typeof value}, which has no HCL literal form`);
}

function isPlainObject(value: unknown): value is PlainObject {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Objects whose keys can all be argument names, i.e. that can be block bodies. */
function isBody(value: unknown): value is PlainObject {
  return isPlainObject(value) && Object.keys(value).every(isHclIdentifier);
}

function isBlockList(value: unknown): value is PlainObject[] {
  return Array.isArray(value) && value.length > 0 && value.every(isBody);
}

function isLabeledBlockList(value: unknown): value is PlainObject[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((entry) => {
      if (!isPlainObject(entry)) return false;
      const entries = Object.entries(entry);
      if (entries.length !== 1) return false;
      const inner = entries[0]?.[1];
      return Array.isArray(inner) && inner.length === 1 && isBody(inner[0]);
    })
  );
}
