/** `--logs-on-failure N` of the commands that watch a rollout to its end (deploy, promote, rollback). */

/** Lines shown when the flag is not given. */
export const FAILURE_LOG_LINES_DEFAULT = 20;
/** At most this many: a failure report, not a log viewer (`drover logs` is). */
export const FAILURE_LOG_LINES_MAX = 200;

export const FAILURE_LOGS_OPTIONS = { 'logs-on-failure': { type: 'string' } } as const;

/** Its lines in a command's `--help`, aligned with the other flags. */
export const FAILURE_LOGS_HELP = `  --logs-on-failure N when a rollout fails, print the last N lines (default ${FAILURE_LOG_LINES_DEFAULT}, at most ${FAILURE_LOG_LINES_MAX}; 0 =
                      none) the failing allocation's task wrote on stderr, under its root cause
                      (redacted, 300 characters a line; needs read-logs on the namespace)`;
