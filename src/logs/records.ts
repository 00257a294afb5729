/**
 * What `drover logs` reports: log lines and what happens to the allocations they come from. The
 * ndjson output prints these records as they are (schema in docs/output.md, `drover.logs/v1`);
 * the plain output prints lines on stdout and the rest on stderr. Pure.
 */
import { sourceLabel } from './prefix.ts';
import type { LogSource } from './select.ts';

/** Where a line or a notice comes from. */
export interface RecordSource {
  /** What the prefix shows: `api[2] v14 canary` (`api[2]/proxy v14` when several tasks are shown). */
  readonly label: string;
  readonly alloc: string;
  readonly allocName: string;
  readonly group: string;
  readonly index: number;
  readonly task: string;
  readonly version: number;
  readonly canary: boolean;
}

/** The records, by `type`. */
export type LogRecord =
  /** One line the task wrote (without its newline), secrets redacted. */
  | (RecordSource & { readonly type: 'log-line'; readonly stream: 'stdout' | 'stderr'; readonly line: string })
  /** drover now follows this task: it was running when `logs -f` began (`running`) or started since (`new`). */
  | (RecordSource & { readonly type: 'log-following'; readonly reason: 'running' | 'new' })
  /** The allocation stopped: Nomad's client status and why (root cause, or what Nomad said). */
  | (RecordSource & { readonly type: 'log-stopped'; readonly clientStatus: string; readonly reason: string })
  /** Something about a source worth knowing: no logs yet, not reachable, reconnected. */
  | (RecordSource & { readonly type: 'log-note'; readonly message: string });

/** The record fields naming `source`. */
export function recordSource(source: LogSource): RecordSource {
  return { label: sourceLabel(source), alloc: source.allocId, allocName: source.allocName, group: source.group, index: source.index, task: source.task, version: source.version, canary: source.canary };
}
