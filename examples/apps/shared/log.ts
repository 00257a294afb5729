/**
 * The example apps' logger: one JSON object per line on stdout, which is what Nomad keeps as the
 * task's stdout. It prints only the fields it is given; configuration, and so secrets, never
 * reach it (see config.ts's `Secret`).
 */

/** Log levels, least to most severe. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Extra fields of a log line: plain values only. */
export type LogFields = Readonly<Record<string, string | number | boolean | undefined>>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** The `app` field of every line. */
  readonly app: string;
  /** Lines below this level are dropped. @default "info" */
  readonly level?: LogLevel;
  /** Receives each line, newline included. */
  readonly write: (line: string) => void;
  /** @default Date.now */
  readonly now?: () => number;
}

/** A logger writing JSON lines at or above `level`. */
export function createLogger(options: LoggerOptions): Logger {
  const threshold = LOG_LEVELS.indexOf(options.level ?? 'info');
  const now = options.now ?? Date.now;
  const at = (level: LogLevel) => (message: string, fields: LogFields = {}): void => {
    if (LOG_LEVELS.indexOf(level) < threshold) return;
    options.write(`${JSON.stringify({ time: new Date(now()).toISOString(), level, app: options.app, msg: message, ...fields })}\n`);
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** A logger that drops everything (the sandbox's instances, tests that do not look at logs). */
export const SILENT_LOGGER: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
