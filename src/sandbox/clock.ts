import { performance } from 'node:perf_hooks';
import type { SandboxClock } from './types.ts';

/** A sandbox clock that tests and the admin API can steer. */
export interface ControlledClock extends SandboxClock {
  /** Sandbox milliseconds per real millisecond; 0 = manual (time moves only through `advance`). */
  readonly speed: number;
  /** Changes the speed from now on, keeping the current sandbox time. */
  setSpeed(speed: number): void;
  /**
   * Moves sandbox time forward by `ms`, firing every timer that falls due on the way in order
   * (timers scheduled by those callbacks fire too when they fall inside the window).
   */
  advance(ms: number): Promise<void>;
  /** Cancels every timer; the clock keeps telling time. */
  close(): void;
}

/** Options of {@link createSandboxClock}. */
export interface ClockOptions {
  /** Sandbox ms per real ms. @default 1 (0 = manual) */
  readonly speed?: number;
  /** Sandbox time at creation, ms since the epoch. @default Date.now() */
  readonly start?: number;
  /** Receives errors thrown by timer callbacks, which must never stop the clock. */
  readonly onError?: (error: unknown) => void;
}

interface Timer {
  readonly due: number;
  readonly seq: number;
  readonly fn: () => void;
}

/** Longest delay Node's setTimeout accepts; longer waits are re-armed. */
const MAX_REAL_DELAY = 2_147_483_647;

/**
 * Creates the sandbox clock. Every sandbox timer lives in one ordered queue; in real-time mode a
 * single Node timer is armed for the earliest one, so changing speed or advancing re-plans it.
 */
export function createSandboxClock(options: ClockOptions = {}): ControlledClock {
  return new QueueClock(options);
}

class QueueClock implements ControlledClock {
  private currentSpeed: number;
  private baseVirtual: number;
  private baseReal = performance.now();
  private seq = 0;
  private timers: Timer[] = [];
  private realTimer: NodeJS.Timeout | undefined;
  private advancing = false;
  private readonly onError: (error: unknown) => void;

  constructor(options: ClockOptions) {
    this.currentSpeed = validSpeed(options.speed ?? 1);
    this.baseVirtual = options.start ?? Date.now();
    this.onError = options.onError ?? ((error: unknown) => console.error('sandbox timer failed:', error));
  }

  get speed(): number {
    return this.currentSpeed;
  }

  now(): number {
    return this.currentSpeed === 0 ? this.baseVirtual : this.baseVirtual + (performance.now() - this.baseReal) * this.currentSpeed;
  }

  setTimer(ms: number, fn: () => void): () => void {
    const timer: Timer = { due: this.now() + Math.max(0, ms), seq: this.seq++, fn };
    let i = this.timers.length;
    while (i > 0 && compare(this.timers[i - 1]!, timer) > 0) i--;
    this.timers.splice(i, 0, timer);
    if (i === 0) this.arm();
    return () => {
      const at = this.timers.indexOf(timer);
      if (at >= 0) this.timers.splice(at, 1);
    };
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepOn((delay, fn) => this.setTimer(delay, fn), ms, signal);
  }

  setSpeed(speed: number): void {
    this.setVirtual(this.now());
    this.currentSpeed = validSpeed(speed);
    this.arm();
  }

  async advance(ms: number): Promise<void> {
    const target = this.now() + Math.max(0, ms);
    this.advancing = true;
    this.arm();
    try {
      while (this.timers.length > 0 && this.timers[0]!.due <= target) {
        const timer = this.timers.shift()!;
        if (timer.due > this.now()) this.setVirtual(timer.due);
        this.run(timer);
        // Let promise chains and socket writes started by the callback settle before the next one.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      if (target > this.now()) this.setVirtual(target);
    } finally {
      this.advancing = false;
      this.arm();
    }
  }

  close(): void {
    this.timers = [];
    this.arm();
  }

  private setVirtual(value: number): void {
    this.baseVirtual = value;
    this.baseReal = performance.now();
  }

  private run(timer: Timer): void {
    try {
      timer.fn();
    } catch (error) {
      this.onError(error);
    }
  }

  /**
   * Fires every timer that fell due, each at its own due time: a late wake-up (a busy event loop
   * at high speed) must not let a deadline timer overtake the events scheduled before it.
   */
  private fireDue(): void {
    this.realTimer = undefined;
    const target = this.now();
    const speed = this.currentSpeed;
    this.currentSpeed = 0;
    try {
      while (this.timers.length > 0 && this.timers[0]!.due <= target) {
        const timer = this.timers.shift()!;
        this.setVirtual(Math.max(this.baseVirtual, timer.due));
        this.run(timer);
      }
      this.setVirtual(Math.max(this.baseVirtual, target));
    } finally {
      this.currentSpeed = speed;
      this.arm();
    }
  }

  /** Arms one Node timer for the earliest sandbox timer (real-time mode only). */
  private arm(): void {
    if (this.realTimer) clearTimeout(this.realTimer);
    this.realTimer = undefined;
    if (this.currentSpeed === 0 || this.advancing || this.timers.length === 0) return;
    const delay = Math.max(0, (this.timers[0]!.due - this.now()) / this.currentSpeed);
    this.realTimer = setTimeout(() => this.fireDue(), Math.min(delay, MAX_REAL_DELAY));
    this.realTimer.unref?.();
  }
}

function sleepOn(setTimer: SandboxClock['setTimer'], ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = (): void => {
      cancel();
      reject(signal?.reason);
    };
    const cancel = setTimer(ms, () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function compare(a: Timer, b: Timer): number {
  return a.due - b.due || a.seq - b.seq;
}

function validSpeed(speed: number): number {
  if (!Number.isFinite(speed) || speed < 0) throw new RangeError(`clock speed must be a finite number ≥ 0, got ${speed}`);
  return speed;
}
