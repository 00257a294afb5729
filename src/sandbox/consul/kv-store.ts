/**
 * The KV table with Consul's state-store semantics (agent/consul/state/kvs.go), checked against a
 * real 1.8.7 agent:
 * - every write takes the request's `Flags` and `LockIndex` (0): a plain PUT on a locked key keeps
 *   its `Session` but resets `LockIndex` to 0, and a release resets `Flags` unless `?flags=` is sent;
 * - `acquire` by the holder keeps `LockIndex`; a fresh acquire increments it; `release` keeps it;
 * - the index of a single key is its `ModifyIndex`; of a missing key, the table's index (so any KV
 *   write moves it); of a prefix, the highest `ModifyIndex` or tombstone below it, else the table's.
 * Tombstones are kept for the life of the sandbox (Consul reaps them after a while, which can move
 * a prefix's index backwards).
 */
import type { Raft } from './raft.ts';

/** One stored key. */
export interface KvEntry {
  readonly key: string;
  readonly value: Buffer;
  readonly flags: number;
  readonly createIndex: number;
  readonly modifyIndex: number;
  readonly lockIndex: number;
  readonly session?: string;
}

/** What a write stores (the request's fields). */
export interface KvWrite {
  readonly key: string;
  readonly value: Buffer;
  readonly flags: number;
}

/** The KV table. */
export class KvStore {
  private readonly entries = new Map<string, KvEntry>();
  private readonly tombstones = new Map<string, number>();
  private tableIndex = 0;

  constructor(private readonly raft: Raft) {}

  /** A key and the index a read of it reports. */
  get(key: string): { readonly index: number; readonly entry?: KvEntry } {
    const entry = this.entries.get(key);
    return entry ? { index: entry.modifyIndex, entry } : { index: this.tableIndex };
  }

  /** All keys under `prefix`, sorted, with the prefix's index. */
  list(prefix: string): { readonly index: number; readonly entries: KvEntry[] } {
    const entries = [...this.entries.values()].filter((e) => e.key.startsWith(prefix)).sort((a, b) => compare(a.key, b.key));
    return { index: this.prefixIndex(prefix, entries), entries };
  }

  /** Every stored key, for radix-watch decisions. */
  keys(): string[] {
    return [...this.entries.keys()];
  }

  /** Whether any key under `prefix` was ever deleted (its tombstone then carries the prefix's index). */
  hasTombstoneUnder(prefix: string): boolean {
    for (const key of this.tombstones.keys()) if (key.startsWith(prefix)) return true;
    return false;
  }

  /** Keys that hold a lock of `session`. */
  heldBy(session: string): KvEntry[] {
    return [...this.entries.values()].filter((e) => e.session === session);
  }

  /** Plain PUT: always succeeds; an existing lock holder is kept. */
  set(write: KvWrite): boolean {
    const existing = this.entries.get(write.key);
    this.store({ ...write, lockIndex: 0, ...(existing?.session ? { session: existing.session } : {}) }, existing);
    return true;
  }

  /** `?cas=N`: 0 means "only if absent"; otherwise the key's `ModifyIndex` must equal N. */
  setCas(write: KvWrite, cas: number): boolean {
    const existing = this.entries.get(write.key);
    if (existing ? existing.modifyIndex !== cas : cas !== 0) return false;
    return this.set(write);
  }

  /** `?acquire=<session>` once the session is known valid; `false` if another session holds the key. */
  lock(write: KvWrite, session: string): boolean {
    const existing = this.entries.get(write.key);
    if (existing?.session && existing.session !== session) return false;
    const lockIndex = existing?.session === session ? existing.lockIndex : (existing?.lockIndex ?? 0) + 1;
    this.store({ ...write, lockIndex, session }, existing);
    return true;
  }

  /** `?release=<session>`: only the holder may release; the body becomes the value. */
  unlock(write: KvWrite, session: string): boolean {
    const existing = this.entries.get(write.key);
    if (!existing || (existing.session ?? '') !== session) return false;
    this.store({ ...write, lockIndex: existing.lockIndex }, existing);
    return true;
  }

  /** DELETE: succeeds whether or not the key exists. */
  delete(key: string): boolean {
    if (this.entries.has(key)) this.remove([key], this.raft.next(), true);
    return true;
  }

  /** DELETE `?cas=N`: a missing key counts as deleted; an existing one must match (so `cas=0` never deletes it). */
  deleteCas(key: string, cas: number): boolean {
    const existing = this.entries.get(key);
    if (!existing) return true;
    if (existing.modifyIndex !== cas) return false;
    return this.delete(key);
  }

  /** DELETE `?recurse`: everything under the prefix. */
  deleteTree(prefix: string): boolean {
    const keys = [...this.entries.keys()].filter((key) => key.startsWith(prefix));
    if (keys.length > 0) this.remove(keys, this.raft.next(), true);
    return true;
  }

  /** Session invalidation: release (clear `Session`) or delete the keys it held, at `index`. */
  invalidate(session: string, behavior: 'release' | 'delete', index: number): string[] {
    const held = this.heldBy(session);
    if (behavior === 'delete') {
      this.remove(held.map((e) => e.key), index, false);
    } else {
      for (const { session: _released, ...entry } of held) this.entries.set(entry.key, { ...entry, modifyIndex: index });
      if (held.length > 0) this.tableIndex = index;
    }
    return held.map((e) => e.key);
  }

  private store(entry: Omit<KvEntry, 'createIndex' | 'modifyIndex'>, existing: KvEntry | undefined): void {
    const index = this.raft.next();
    this.entries.set(entry.key, { ...entry, createIndex: existing?.createIndex ?? index, modifyIndex: index });
    this.tombstones.delete(entry.key);
    this.tableIndex = index;
    this.raft.changed({ kvKeys: [entry.key] });
  }

  /** `notify` is false inside a session invalidation, which signals once for the whole write. */
  private remove(keys: readonly string[], index: number, notify: boolean): void {
    for (const key of keys) {
      this.entries.delete(key);
      this.tombstones.set(key, index);
    }
    if (keys.length > 0) this.tableIndex = index;
    if (notify) this.raft.changed({ kvKeys: keys });
  }

  private prefixIndex(prefix: string, entries: readonly KvEntry[]): number {
    if (prefix === '') return this.tableIndex;
    let index = 0;
    for (const entry of entries) index = Math.max(index, entry.modifyIndex);
    for (const [key, deleted] of this.tombstones) if (key.startsWith(prefix)) index = Math.max(index, deleted);
    return index === 0 ? this.tableIndex : index;
  }
}

/** Byte order, as memdb's radix tree iterates. */
function compare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
