/**
 * Sessions (agent/consul/state/session.go + session_ttl.go). Invalidation (destroy or TTL expiry)
 * releases or deletes the session's locks per `Behavior` in the same write, and starts the
 * session's lock-delay on each of those keys, during which no session may acquire them.
 *
 * TTL: Consul's contract is "not before TTL" and it actually waits up to 2×TTL
 * (`SessionTTLMultiplier`); the sandbox invalidates at exactly TTL, the strictest reading, so a
 * client that renews late fails here rather than in production.
 */
import { randomUUID } from 'node:crypto';
import type { SandboxClock } from '../types.ts';
import { nanosToMillis, parseGoDuration } from './duration.ts';
import type { KvStore } from './kv-store.ts';
import type { Raft } from './raft.ts';

/** A stored session, with Consul's JSON field names. */
export interface ConsulSessionRecord {
  readonly ID: string;
  readonly Name: string;
  readonly Node: string;
  /** Nanoseconds, although clients send a duration string. */
  readonly LockDelay: number;
  readonly Behavior: 'release' | 'delete';
  /** Kept as sent (`"15s"`, `"1m"`, `""`). */
  readonly TTL: string;
  readonly NodeChecks: string[];
  readonly ServiceChecks: null;
  readonly CreateIndex: number;
  readonly ModifyIndex: number;
}

/** A validated create request. */
export type SessionSpec = Omit<ConsulSessionRecord, 'ID' | 'CreateIndex' | 'ModifyIndex'>;

const TTL_MIN_NS = 10e9;
const TTL_MAX_NS = 86_400e9;

/** Consul's memdb UUID index check; its text reaches clients in 500 answers. */
export function uuidError(id: string): string | undefined {
  if (id.length !== 36) return 'index error: UUID must be 36 characters';
  const hyphens = id.split('-').length - 1;
  if (hyphens > 4) return `index error: UUID should have maximum of 4 "-"; got ${hyphens}`;
  const bare = id.replaceAll('-', '');
  if (bare.length !== 32) return `index error: UUID (without hyphens) must be 32 characters; got ${bare.length}`;
  if (!/^[0-9a-fA-F]+$/.test(bare)) return 'index error: Invalid UUID: encoding/hex: invalid byte';
  return undefined;
}

/** The TTL rule of Session.Apply, with its (500) messages. */
export function ttlError(ttl: string): string | undefined {
  if (ttl === '') return undefined;
  const parsed = parseGoDuration(ttl);
  if ('error' in parsed) return `Session TTL '${ttl}' invalid: ${parsed.error}`;
  if (parsed.ns !== 0 && (parsed.ns < TTL_MIN_NS || parsed.ns > TTL_MAX_NS)) {
    return `Invalid Session TTL '${parsed.ns}', must be between [10s=24h0m0s]`;
  }
  return undefined;
}

/** The sessions table and the lock-delay map. */
export class SessionStore {
  private readonly sessions = new Map<string, ConsulSessionRecord>();
  private readonly timers = new Map<string, () => void>();
  private readonly lockDelays = new Map<string, number>();
  private tableIndex = 0;

  constructor(
    private readonly raft: Raft,
    private readonly clock: SandboxClock,
    private readonly kv: KvStore,
  ) {}

  /** Index of every session read (the whole table's, as Consul reports). */
  index(): number {
    return this.tableIndex;
  }

  get(id: string): ConsulSessionRecord | undefined {
    return this.sessions.get(id);
  }

  /** Sorted by ID, as memdb iterates. */
  list(): ConsulSessionRecord[] {
    return [...this.sessions.values()].sort((a, b) => (a.ID < b.ID ? -1 : a.ID > b.ID ? 1 : 0));
  }

  create(spec: SessionSpec): ConsulSessionRecord {
    const index = this.raft.next();
    const session: ConsulSessionRecord = { ID: randomUUID(), ...spec, CreateIndex: index, ModifyIndex: index };
    this.sessions.set(session.ID, session);
    this.tableIndex = index;
    this.armTimer(session);
    this.raft.changed();
    return session;
  }

  /** Restarts the TTL timer (a renew is not a Raft write, so no index moves). */
  renew(id: string): ConsulSessionRecord | undefined {
    const session = this.sessions.get(id);
    if (session) this.armTimer(session);
    return session;
  }

  /** Destroys a session (idempotent), releasing or deleting its locks. */
  destroy(id: string): void {
    const session = this.sessions.get(id);
    if (!session) return;
    this.timers.get(id)?.();
    this.timers.delete(id);
    const index = this.raft.next();
    this.sessions.delete(id);
    this.tableIndex = index;
    const keys = this.kv.invalidate(id, session.Behavior, index);
    const delayMs = nanosToMillis(session.LockDelay);
    if (delayMs > 0) for (const key of keys) this.lockDelays.set(key, this.clock.now() + delayMs);
    this.raft.changed({ kvKeys: keys });
  }

  /** Whether `key` is inside the lock-delay window of an invalidated session. */
  inLockDelay(key: string): boolean {
    const until = this.lockDelays.get(key);
    if (until === undefined) return false;
    if (this.clock.now() < until) return true;
    this.lockDelays.delete(key);
    return false;
  }

  /** Stops every TTL timer. */
  close(): void {
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
  }

  private armTimer(session: ConsulSessionRecord): void {
    this.timers.get(session.ID)?.();
    this.timers.delete(session.ID);
    const parsed = session.TTL === '' ? { ns: 0 } : parseGoDuration(session.TTL);
    if ('error' in parsed || parsed.ns <= 0) return;
    this.timers.set(session.ID, this.clock.setTimer(nanosToMillis(parsed.ns), () => this.destroy(session.ID)));
  }
}
