/**
 * How `drover logs` prints its records: plain (lines with their prefix on stdout, notes on
 * stderr) or ndjson (every record as one JSON line on stdout). Each line is written whole, so
 * lines of different allocations interleave but never mix.
 */
import type { Style } from '../report/style.ts';
import { colourPrefix, prefixText, type LogStreams } from './prefix.ts';
import type { LogRecord } from './records.ts';

/** Where the output goes (the CLI's stdout and stderr). */
export interface LogsSink {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

/** Options of {@link LogsOutput}. */
export interface LogsOutputOptions {
  readonly ndjson: boolean;
  /** Colour the prefixes (stdout is a terminal and NO_COLOR is unset). */
  readonly colour: boolean;
  readonly streams: LogStreams;
  /** For the notes on stderr (honours NO_COLOR like every other message). */
  readonly style: Style;
}

export class LogsOutput {
  constructor(
    private readonly sink: LogsSink,
    private readonly options: LogsOutputOptions,
  ) {}

  write(record: LogRecord): void {
    if (this.options.ndjson) return void this.sink.stdout.write(`${JSON.stringify({ schema: 'drover.logs/v1', ...record })}\n`);
    const text = formatLogRecord(record, this.options.streams);
    if (record.type === 'log-line') {
      const prefix = prefixText(record.label, record.stream, this.options.streams);
      this.sink.stdout.write(`${colourPrefix(prefix, record.alloc, this.options.colour)} ${record.line}\n`);
    } else {
      this.sink.stderr.write(`${record.type === 'log-stopped' && record.clientStatus === 'failed' ? this.options.style.red(text) : this.options.style.dim(text)}\n`);
    }
  }

  /** Nothing is buffered here; kept so the command's cleanup reads the same as for reporters. */
  close(): void {}
}

/** A note's text for people (a log line's is its prefix and the line). */
export function formatLogRecord(record: LogRecord, streams: LogStreams): string {
  const who = record.label;
  switch (record.type) {
    case 'log-line':
      return `${prefixText(record.label, record.stream, streams)} ${record.line}`;
    case 'log-following':
      return `${who}: following ${record.allocName} (${record.alloc.slice(0, 8)}) task ${record.task}${record.reason === 'new' ? ', started since' : ''}`;
    case 'log-stopped':
      return `${who}: ${record.allocName} (${record.alloc.slice(0, 8)}) stopped: ${record.clientStatus}${record.reason ? ` — ${record.reason}` : ''}`;
    case 'log-note':
      return `${who}: ${record.message}`;
  }
}
