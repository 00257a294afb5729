/**
 * The answers real servers gave to drover's calls, recorded by scripts/record-fixtures.ts into
 * test/fixtures/recorded/ (see its README for the servers, versions and date). Always present in
 * the repository, so the tests that read them never skip.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export type RecordedService = 'nomad' | 'consul' | 'vault';

/** One recorded call: what was sent, and what the server answered. */
export interface RecordedCall {
  readonly request: { readonly method: string; readonly path: string; readonly body?: any };
  readonly status: number;
  readonly contentType: string | null;
  readonly headers: Readonly<Record<string, string>>;
  /** Parsed JSON, the text of a non-JSON answer, or null when the answer was empty. */
  readonly body: any;
}

export const recordedDir = fileURLToPath(new URL('../fixtures/recorded/', import.meta.url));

/** The recorded call `name` (file name without `.json`, e.g. `get_v1_job_id` or `rendered/qa/api`). */
export function recorded(service: RecordedService, name: string): RecordedCall {
  return JSON.parse(readFileSync(`${recordedDir}${service}/${name}.json`, 'utf8')) as RecordedCall;
}

/** The body of the recorded call `name`. */
export function recordedBody(service: RecordedService, name: string): any {
  return recorded(service, name).body;
}

/** The raw text of a recorded fixture file, for narrowing code that parses text itself. */
export function recordedText(service: RecordedService, name: string): string {
  return readFileSync(`${recordedDir}${service}/${name}.json`, 'utf8');
}

/** Names of the recorded calls of `service` directly under `dir` (sorted, without `.json`). */
export function recordedNames(service: RecordedService, dir = ''): string[] {
  const base = `${recordedDir}${service}/${dir ? `${dir}/` : ''}`;
  return readdirSync(base, { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.json'))
    .map((entry) => `${dir ? `${dir}/` : ''}${entry.name.slice(0, -'.json'.length)}`)
    .sort();
}
