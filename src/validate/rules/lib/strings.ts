import { at } from '../../diagnostic.ts';

/** A string somewhere in a definition, with its location path. */
export interface StringLeaf {
  readonly path: string;
  /** The object key it sits under, if any (`DB_PASSWORD` for `env.DB_PASSWORD`). */
  readonly key: string | undefined;
  readonly value: string;
}

/**
 * Every string value in `root`, depth-first, with exact paths. Functions are skipped (the
 * environment's `pick`/`is` helpers); cycles and absurd depths are cut off instead of throwing.
 */
export function stringLeaves(root: unknown, rootPath = ''): StringLeaf[] {
  const leaves: StringLeaf[] = [];
  const seen = new WeakSet<object>();
  const walk = (value: unknown, path: string, key: string | undefined, depth: number): void => {
    if (typeof value === 'string') {
      leaves.push({ path, key, value });
      return;
    }
    if (typeof value !== 'object' || value === null || depth > 32 || seen.has(value)) return;
    seen.add(value);
    if (Array.isArray(value)) {
      value.forEach((item: unknown, i) => walk(item, at(path, i), key, depth + 1));
      return;
    }
    for (const [k, member] of Object.entries(value)) walk(member, at(path, k), k, depth + 1);
  };
  walk(root, rootPath, undefined, 0);
  return leaves;
}
