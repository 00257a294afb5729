/**
 * Which KV writes wake a blocked read whose answer is the KV table's index (a missing key, or an
 * empty prefix without tombstones). Consul does not wake such a read on every KV write: memdb hands
 * it the watch channel of the deepest node of the key radix tree (go-immutable-radix) on the key's
 * path, and only writes that modify that node close the channel. Verified against 1.8.7: a read of
 * missing `watch/missing` is not woken by a write to `elsewhere` while `watch/a` exists, but a read
 * of `zz/missing` is woken by any write when no key starts with `z` (the watch is then the root).
 *
 * The tree is not kept; the node is derived from the sorted key set, in which every key ends with
 * memdb's `\0` terminator.
 */

const TERMINATOR = '\u0000';

/**
 * Returns the predicate "does a write of this key modify the node watched by a read of `search`?".
 * `search` is `key + "\0"` for a single-key read, the bare prefix for `?recurse`/`?keys`.
 */
export function radixWatch(keys: readonly string[], search: string): (written: string) => boolean {
  const stored = keys.map((key) => key + TERMINATOR);
  let path = '';
  for (;;) {
    if (search.length === path.length) return within(path);
    const below = stored.filter((key) => key.startsWith(path + search.charAt(path.length)));
    // No edge for the next character: the current node is watched; a new child would modify it.
    if (below.length === 0) return within(path);
    const child = commonPrefix(below);
    if (!search.startsWith(child)) {
      // The search stops inside the child's edge: the child is watched; a write through it or one
      // that splits its edge (sharing more than the parent's path) modifies it.
      const parent = path;
      return (written) => commonPrefix([written + TERMINATOR, child]).length > parent.length;
    }
    path = child;
  }
}

/** A single-key search string. */
export function keySearch(key: string): string {
  return key + TERMINATOR;
}

function within(path: string): (written: string) => boolean {
  return (written) => (written + TERMINATOR).startsWith(path);
}

function commonPrefix(values: readonly string[]): string {
  let prefix = values[0] ?? '';
  for (const value of values) {
    let i = 0;
    while (i < prefix.length && i < value.length && prefix[i] === value[i]) i++;
    prefix = prefix.slice(0, i);
  }
  return prefix;
}
