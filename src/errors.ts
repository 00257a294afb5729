import type { Diagnostic } from './validate/diagnostic.ts';

/**
 * drover's error classes. Every error a user sees names what failed, on what, why, and what to
 * run next. Exit codes are decided here and turned into `process.exitCode` only by `cli/main.ts`.
 */

/** Process exit codes; see the README's table. `plan` keeps Nomad's 0/1/255 convention instead. */
export const ExitCode = {
  ok: 0,
  deploymentFailed: 1,
  placementFailed: 2,
  awaitingPromotion: 3,
  refused: 4,
  usage: 64,
  validation: 65,
  unreachable: 69,
  internal: 70,
  /**
   * Not allowed (sysexits EX_NOPERM): a token missing, wrong or denied by an ACL on Nomad,
   * Consul, Vault, Prometheus or a registry.
   */
  noPermission: 77,
  /** Stopped by SIGINT/SIGTERM (128 + SIGINT, the shell's convention). */
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export interface DroverErrorDetails {
  /** Key/value context lines shown under the message (job, env, address…). Never secrets. */
  readonly context?: Readonly<Record<string, string>>;
  /** What to do next, phrased as an instruction (often a command to run). */
  readonly hint?: string;
  readonly cause?: unknown;
}

export class DroverError extends Error {
  readonly exitCode: ExitCode;
  readonly context: Readonly<Record<string, string>>;
  readonly hint: string | undefined;

  constructor(message: string, exitCode: ExitCode, details: DroverErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.exitCode = exitCode;
    this.context = details.context ?? {};
    this.hint = details.hint;
  }
}

/** Bad command line: unknown flag, missing argument, unknown environment. */
export class UsageError extends DroverError {
  constructor(message: string, details: DroverErrorDetails = {}) {
    super(message, ExitCode.usage, details);
  }
}

/** A user file (job, environment, policy) could not be loaded at all. */
export class DefinitionLoadError extends DroverError {
  constructor(message: string, details: DroverErrorDetails = {}) {
    super(message, ExitCode.validation, details);
  }
}

/** The user stopped drover (Ctrl-C) or it was terminated; whatever Nomad was asked to do goes on. */
export class InterruptedError extends DroverError {
  constructor(hint: string) {
    super('Interrupted', ExitCode.interrupted, { hint });
  }
}

/** drover itself is wrong; the message asks for a bug report. */
export class InternalError extends DroverError {
  constructor(message: string, details: DroverErrorDetails = {}) {
    super(message, ExitCode.internal, details);
  }
}

/** Definitions failed validation; `diagnostics` holds every problem found (see validate/). */
export class ValidationError extends DroverError {
  readonly diagnostics: readonly Diagnostic[];

  constructor(message: string, diagnostics: ValidationError['diagnostics'], details: DroverErrorDetails = {}) {
    super(message, ExitCode.validation, details);
    this.diagnostics = diagnostics;
  }
}
