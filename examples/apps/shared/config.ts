/**
 * Reading an example app's configuration from its environment, as the job's templates write it.
 * Collects every problem before failing, and never puts a secret's value in a problem, a log line
 * or a JSON dump: secrets are held in {@link Secret}.
 */
import { type Chaos } from './chaos.ts';
import { LOG_LEVELS, type LogLevel } from './log.ts';

/** The process environment, or a test's stand-in. */
export type Env = Readonly<Record<string, string | undefined>>;

const HIDDEN = '[secret]';

/**
 * A secret value (a Vault field). Printing it, interpolating it or serialising it gives
 * `[secret]`; only `reveal()` gives the value, at the one place that needs it.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return HIDDEN;
  }

  toJSON(): string {
    return HIDDEN;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return HIDDEN;
  }
}

/** What every example app reads besides its own settings. */
export interface BaseConfig {
  /** `PORT`, else Nomad's `NOMAD_PORT_<label>`, else the port the job maps; 0 = any free port. */
  readonly port: number;
  /** `HOST`. @default "0.0.0.0" */
  readonly host: string;
  /** `LOG_LEVEL`. @default "info" */
  readonly logLevel: LogLevel;
  /** `EXAMPLE_ERROR_RATIO` and `EXAMPLE_LATENCY_MS`. */
  readonly chaos: Chaos;
  /** `SHUTDOWN_TIMEOUT_MS`: how long SIGTERM waits for in-flight work before cutting it. */
  readonly shutdownTimeoutMs: number;
}

/** A configuration, or every reason there is none. */
export type Loaded<C> = { readonly ok: true; readonly config: C } | { readonly ok: false; readonly problems: readonly string[] };

/** Where {@link EnvReader.base} takes its defaults from (the app's job). */
export interface BaseDefaults {
  /** The job's port label, for `NOMAD_PORT_<label>`. */
  readonly portLabel: string;
  /** The port the job maps into the container (`to`). */
  readonly port: number;
  /** Below the job's `kill_timeout`, so the drain ends before Nomad's SIGKILL. */
  readonly shutdownTimeoutMs: number;
}

/** Reads variables and collects what is wrong with them. */
export class EnvReader {
  readonly problems: string[] = [];

  constructor(private readonly env: Env) {}

  /** A non-empty value; `source` says who should have set it. */
  required(name: string, source: string): string {
    const value = this.env[name];
    if (value === undefined || value.trim() === '') this.problems.push(`${name} is ${value === undefined ? 'not set' : 'empty'} (${source})`);
    return value ?? '';
  }

  /** A non-empty secret; its value never appears in a problem. */
  secret(name: string, source: string): Secret {
    return new Secret(this.required(name, source));
  }

  optional(name: string, fallback: string): string {
    const value = this.env[name];
    return value === undefined || value === '' ? fallback : value;
  }

  /** An integer in [min, max], or `fallback` when unset. */
  integer(name: string, range: { readonly min: number; readonly max: number; readonly fallback: number }): number {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return range.fallback;
    const value = Number(raw);
    if (Number.isInteger(value) && value >= range.min && value <= range.max) return value;
    this.problems.push(`${name} must be an integer from ${range.min} to ${range.max}, got ${JSON.stringify(raw)}`);
    return range.fallback;
  }

  /** A number in [0, 1], or 0 when unset. */
  ratio(name: string): number {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return 0;
    const value = Number(raw);
    if (Number.isFinite(value) && value >= 0 && value <= 1) return value;
    this.problems.push(`${name} must be a number from 0 to 1, got ${JSON.stringify(raw)}`);
    return 0;
  }

  logLevel(): LogLevel {
    const raw = this.optional('LOG_LEVEL', 'info').trim().toLowerCase();
    if ((LOG_LEVELS as readonly string[]).includes(raw)) return raw as LogLevel;
    this.problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(this.env['LOG_LEVEL'])}`);
    return 'info';
  }

  /** The settings every app shares. */
  base(defaults: BaseDefaults): BaseConfig {
    const nomadPort = `NOMAD_PORT_${defaults.portLabel}`;
    const portName = this.env['PORT'] !== undefined && this.env['PORT'] !== '' ? 'PORT' : nomadPort;
    return {
      port: this.integer(portName, { min: 0, max: 65_535, fallback: defaults.port }),
      host: this.optional('HOST', '0.0.0.0'),
      logLevel: this.logLevel(),
      chaos: { errorRatio: this.ratio('EXAMPLE_ERROR_RATIO'), latencyMs: this.integer('EXAMPLE_LATENCY_MS', { min: 0, max: 60_000, fallback: 0 }) },
      shutdownTimeoutMs: this.integer('SHUTDOWN_TIMEOUT_MS', { min: 0, max: 600_000, fallback: defaults.shutdownTimeoutMs }),
    };
  }

  /** The configuration when nothing was wrong. */
  result<C>(config: C): Loaded<C> {
    return this.problems.length === 0 ? { ok: true, config } : { ok: false, problems: [...this.problems] };
  }
}

/** The stderr text for a configuration that cannot start `app`. */
export function formatProblems(app: string, problems: readonly string[]): string {
  return `${app}: cannot start, the configuration is invalid:\n${problems.map((p) => `  - ${p}\n`).join('')}`;
}
