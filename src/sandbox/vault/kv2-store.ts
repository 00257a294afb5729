/**
 * A KV version 2 mount's storage (vault-plugin-secrets-kv): per key a metadata record with numbered
 * versions, soft deletion (`deletion_time`), destruction, `max_versions` pruning (0 = the mount's
 * setting, whose 0 = 10) and check-and-set. `oldest_version` stays 0 until versions are pruned,
 * as in Vault. Times come from the sandbox clock.
 */
import type { SandboxClock } from '../types.ts';
import { goDurationString, rfc3339 } from './http.ts';

/** One version of a secret. */
export interface KvVersion {
  readonly createdAt: number;
  deletedAt?: number;
  destroyed: boolean;
  data?: Record<string, unknown>;
}

/** A key's metadata and versions. */
export interface KvSecret {
  readonly versions: Map<number, KvVersion>;
  currentVersion: number;
  oldestVersion: number;
  readonly createdAt: number;
  updatedAt: number;
  customMetadata: Record<string, string> | null;
  maxVersions: number;
  casRequired: boolean;
  deleteVersionAfter: number;
}

/** Mount-wide settings (`<mount>/config`). */
export interface KvConfig {
  maxVersions: number;
  casRequired: boolean;
  deleteVersionAfter: number;
}

/** The reasons a write is refused, with Vault's texts. */
export type WriteRefusal = 'check-and-set parameter did not match the current version' | 'check-and-set parameter required for this call';

/** One KV v2 mount. */
export class KvEngine {
  readonly secrets = new Map<string, KvSecret>();
  readonly config: KvConfig = { maxVersions: 0, casRequired: false, deleteVersionAfter: 0 };

  constructor(private readonly clock: SandboxClock) {}

  /** Writes a new version; `cas` as in `options.cas`. */
  write(path: string, data: Record<string, unknown>, cas?: number): KvSecret | WriteRefusal {
    const secret = this.secrets.get(path) ?? this.emptySecret();
    if (cas !== undefined && cas !== secret.currentVersion) return 'check-and-set parameter did not match the current version';
    if (cas === undefined && (this.config.casRequired || secret.casRequired)) return 'check-and-set parameter required for this call';
    const now = this.clock.now();
    secret.currentVersion += 1;
    secret.updatedAt = now;
    const version: KvVersion = { createdAt: now, destroyed: false, data: structuredClone(data) };
    // delete_version_after: the version soft-deletes itself later (the shorter of key and mount setting).
    const after = [secret.deleteVersionAfter, this.config.deleteVersionAfter].filter((s) => s > 0);
    if (after.length > 0) version.deletedAt = now + Math.min(...after) * 1000;
    secret.versions.set(secret.currentVersion, version);
    this.prune(secret);
    this.secrets.set(path, secret);
    return secret;
  }

  /** Creates or updates metadata only (`POST <mount>/metadata/<path>`). */
  writeMetadata(path: string, update: Partial<Pick<KvSecret, 'maxVersions' | 'casRequired' | 'deleteVersionAfter' | 'customMetadata'>>): void {
    const secret = this.secrets.get(path) ?? this.emptySecret();
    Object.assign(secret, update);
    secret.updatedAt = this.clock.now();
    this.secrets.set(path, secret);
  }

  /** Marks versions deleted (soft); unknown and destroyed versions are ignored. */
  softDelete(path: string, versions: readonly number[]): void {
    for (const version of this.versionsOf(path, versions)) if (!version.destroyed) version.deletedAt ??= this.clock.now();
  }

  undelete(path: string, versions: readonly number[]): void {
    for (const version of this.versionsOf(path, versions)) if (!version.destroyed) delete version.deletedAt;
  }

  destroy(path: string, versions: readonly number[]): void {
    for (const version of this.versionsOf(path, versions)) {
      version.destroyed = true;
      delete version.data;
    }
  }

  /** Whether a version is readable: neither soft-deleted (in the past) nor destroyed. */
  isLive(version: KvVersion): boolean {
    return !version.destroyed && (version.deletedAt === undefined || version.deletedAt > this.clock.now());
  }

  /** Direct children of a folder (`""` for the root): `name` for keys, `name/` for folders. */
  list(folder: string): string[] {
    const children = new Set<string>();
    for (const key of this.secrets.keys()) {
      if (!key.startsWith(folder)) continue;
      const rest = key.slice(folder.length);
      const slash = rest.indexOf('/');
      children.add(slash === -1 ? rest : rest.slice(0, slash + 1));
    }
    return [...children].filter(Boolean).sort();
  }

  /** `metadata` of a version as data reads show it. */
  versionMetadata(secret: KvSecret, number: number, version: KvVersion): Record<string, unknown> {
    return {
      created_time: rfc3339(version.createdAt),
      custom_metadata: secret.customMetadata,
      deletion_time: version.deletedAt === undefined ? '' : rfc3339(version.deletedAt),
      destroyed: version.destroyed,
      version: number,
    };
  }

  /** `GET <mount>/metadata/<path>` data. */
  metadata(secret: KvSecret): Record<string, unknown> {
    const versions = Object.fromEntries(
      [...secret.versions].map(([n, v]) => [String(n), { created_time: rfc3339(v.createdAt), deletion_time: v.deletedAt === undefined ? '' : rfc3339(v.deletedAt), destroyed: v.destroyed }]),
    );
    return {
      cas_required: secret.casRequired,
      created_time: rfc3339(secret.createdAt),
      current_version: secret.currentVersion,
      custom_metadata: secret.customMetadata,
      delete_version_after: goDurationString(secret.deleteVersionAfter),
      max_versions: secret.maxVersions,
      oldest_version: secret.oldestVersion,
      updated_time: rfc3339(secret.updatedAt),
      versions,
    };
  }

  private versionsOf(path: string, numbers: readonly number[]): KvVersion[] {
    const secret = this.secrets.get(path);
    return secret ? numbers.flatMap((n) => secret.versions.get(n) ?? []) : [];
  }

  private prune(secret: KvSecret): void {
    const max = secret.maxVersions || this.config.maxVersions || 10;
    while (secret.versions.size > max) {
      const oldest = Math.min(...secret.versions.keys());
      secret.versions.delete(oldest);
      secret.oldestVersion = Math.min(...secret.versions.keys());
    }
  }

  private emptySecret(): KvSecret {
    const now = this.clock.now();
    return { versions: new Map(), currentVersion: 0, oldestVersion: 0, createdAt: now, updatedAt: now, customMetadata: null, maxVersions: 0, casRequired: false, deleteVersionAfter: 0 };
  }
}
