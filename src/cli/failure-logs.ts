/** `--logs-on-failure N` read into the watch's options, for every command that watches a rollout. */
import type { FailureLogsOptions } from '../deploy/failure-logs.ts';
import { UsageError } from '../errors.ts';
import { FAILURE_LOG_LINES_DEFAULT, FAILURE_LOG_LINES_MAX } from './usage/failure-logs.ts';

/**
 * The flag's value: {@link FAILURE_LOG_LINES_DEFAULT} when absent, 0 disables, at most
 * {@link FAILURE_LOG_LINES_MAX}. Read before anything is loaded: a usage error should not wait on a cluster.
 */
export function failureLogLines(text: string | undefined): number {
  if (text === undefined) return FAILURE_LOG_LINES_DEFAULT;
  if (!/^\d+$/.test(text) || Number(text) > FAILURE_LOG_LINES_MAX) {
    throw new UsageError(`--logs-on-failure takes a number of lines from 0 to ${FAILURE_LOG_LINES_MAX}, not "${text}"`, { hint: 'e.g. --logs-on-failure 50, or 0 to show none.' });
  }
  return Number(text);
}

/** What the watch needs to show `lines` lines: the tokens drover holds (never printed) and the namespace (for a refusal's hint). */
export function failureLogsOptions(lines: number, processEnv: Readonly<Record<string, string | undefined>>, namespace: string): FailureLogsOptions {
  const secrets = [processEnv.NOMAD_TOKEN, processEnv.CONSUL_HTTP_TOKEN, processEnv.VAULT_TOKEN].filter((t): t is string => Boolean(t));
  return { lines, secrets, namespace };
}
