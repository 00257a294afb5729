/**
 * The recorder's plumbing: one HTTP call against a real server, written as one JSON fixture
 * `{ request, status, contentType, body }` under test/fixtures/recorded/<service>/<name>.json.
 *
 * Secrets never reach a file: every token the recording used or received is registered with
 * `secret()`, replaced by a fixed placeholder in the serialized text, and the text is checked once
 * more before it is written (a token in a header echo or an error message would be caught too).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** What one fixture holds. `body` is parsed JSON, text for non-JSON answers, or null when empty. */
export interface RecordedCall {
  readonly request: { readonly method: string; readonly path: string; readonly body?: unknown };
  readonly status: number;
  readonly contentType: string | null;
  /** The service's own headers (X-Nomad-Index, X-Consul-Index, …), sorted by name. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly body: unknown;
}

/** One service's recorder: calls its server and writes what it answered. */
export interface Recorder {
  /** Calls `method path` with a JSON body (or none), writes the fixture `name`, returns the call. */
  record(name: string, method: string, path: string, body?: unknown): Promise<RecordedCall>;
  /** Calls without writing a fixture (setup steps); throws on a non-2xx answer. */
  call(method: string, path: string, body?: unknown): Promise<RecordedCall>;
  /** Writes a fixture from an answer obtained otherwise (event-stream frames). */
  write(name: string, recorded: RecordedCall): void;
}

const secrets = new Map<string, string>();

/** Registers a value that must never be written; `placeholder` replaces it in every fixture. */
export function secret(value: string, placeholder: string): void {
  if (value.length >= 8) secrets.set(value, placeholder);
}

/** The fixture text with every registered secret replaced; throws if one survived. */
export function scrub(text: string): string {
  let out = text;
  for (const [value, placeholder] of secrets) out = out.split(value).join(placeholder);
  for (const value of secrets.keys()) if (out.includes(value)) throw new Error('a secret survived scrubbing');
  return out;
}

/** Options of {@link createRecorder}. */
export interface RecorderOptions {
  readonly address: string;
  readonly dir: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export function createRecorder(options: RecorderOptions): Recorder {
  const send = async (method: string, path: string, body?: unknown): Promise<RecordedCall> => {
    const response = await fetch(`${options.address}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...options.headers },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    const contentType = response.headers.get('content-type');
    return { request: { method, path, ...(body === undefined ? {} : { body }) }, status: response.status, contentType, headers: serviceHeaders(response.headers), body: parseBody(text, contentType) };
  };
  const write = (name: string, recorded: RecordedCall): void => {
    const file = join(options.dir, `${name}.json`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${scrub(JSON.stringify(recorded, null, 2))}\n`);
  };
  return {
    async record(name, method, path, body) {
      const recorded = await send(method, path, body);
      write(name, recorded);
      return recorded;
    },
    async call(method, path, body) {
      const recorded = await send(method, path, body);
      if (recorded.status >= 300) throw new Error(`${method} ${path}: ${recorded.status} ${JSON.stringify(recorded.body).slice(0, 300)}`);
      return recorded;
    },
    write,
  };
}

function serviceHeaders(headers: Headers): Record<string, string> {
  const own = [...headers].filter(([name]) => /^x-(nomad|consul|vault)-/i.test(name)).sort(([a], [b]) => a.localeCompare(b));
  return Object.fromEntries(own);
}

function parseBody(text: string, contentType: string | null): unknown {
  if (text === '') return null;
  if (!contentType?.includes('json')) return text;
  return JSON.parse(text) as unknown;
}

/** Polls `probe` every 500 ms until it returns a value, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
