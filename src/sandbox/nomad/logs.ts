/**
 * What the simulated tasks "wrote": one stdout and one stderr log per task of an allocation, as
 * the Nomad client keeps them in `alloc/logs/<task>.<stdout|stderr>.<n>`. The sandbox writes one
 * file (`.0`) per stream and never rotates it; a stream is capped at `MAX_BYTES` (later writes are
 * dropped), which scripted output never reaches. Kept in memory, forgotten on reset.
 */

/** Which log: `stdout` or `stderr`. */
export type LogType = 'stdout' | 'stderr';

/** Receives the bytes appended to one log and the log's size after them. */
export type LogListener = (data: Buffer, size: number) => void;

const MAX_BYTES = 4 * 1024 * 1024;

interface LogFile {
  data: Buffer;
  readonly listeners: Set<LogListener>;
}

/** The logs of every simulated allocation. */
export class LogBook {
  private readonly files = new Map<string, LogFile>();

  /** Appends `text` to a task's log (a newline is added when missing). */
  write(allocId: string, task: string, type: LogType, text: string): void {
    const file = this.file(allocId, task, type);
    const bytes = Buffer.from(text.endsWith('\n') ? text : `${text}\n`);
    if (file.data.length + bytes.length > MAX_BYTES) return;
    file.data = Buffer.concat([file.data, bytes]);
    for (const listener of file.listeners) listener(bytes, file.data.length);
  }

  /** The whole log (empty when the task never wrote to it). */
  read(allocId: string, task: string, type: LogType): Buffer {
    return this.files.get(key(allocId, task, type))?.data ?? Buffer.alloc(0);
  }

  /** Calls `listener` with every later write; returns the unsubscribe function. */
  subscribe(allocId: string, task: string, type: LogType, listener: LogListener): () => void {
    const file = this.file(allocId, task, type);
    file.listeners.add(listener);
    return () => file.listeners.delete(listener);
  }

  /** Forgets every log (sandbox reset). */
  clear(): void {
    this.files.clear();
  }

  private file(allocId: string, task: string, type: LogType): LogFile {
    const k = key(allocId, task, type);
    let file = this.files.get(k);
    if (!file) this.files.set(k, (file = { data: Buffer.alloc(0), listeners: new Set() }));
    return file;
  }
}

/** The path Nomad reports in a frame's `File`: `alloc/logs/<task>.<type>.0`. */
export function logFileName(task: string, type: LogType): string {
  return `alloc/logs/${task}.${type}.0`;
}

function key(allocId: string, task: string, type: LogType): string {
  return `${allocId}\n${task}\n${type}`;
}
