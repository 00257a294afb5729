/**
 * `--metrics-file`: the deploy's metrics written where node-exporter's textfile collector reads
 * them. The file is replaced by rename, so the collector never reads half of it, on every way out
 * (success, failure, refusal, Ctrl-C); a file that cannot be written is a loud warning, not a
 * different exit code: the deploy's outcome is what the exit code reports.
 */
import { rename, writeFile } from 'node:fs/promises';
import type { Registry } from 'prom-client';
import { DroverError, ExitCode } from '../errors.ts';
import type { DeployMetrics } from '../metrics/deploy-metrics.ts';
import type { CliIo } from './io.ts';

/** Runs `run`, then writes the metrics with its exit code (a thrown DroverError's, 70 for anything else). */
export async function withMetricsFile(target: { readonly path: string; readonly registry: Registry; readonly metrics: DeployMetrics; readonly io: CliIo }, run: () => Promise<number>): Promise<number> {
  let exitCode: number = ExitCode.internal;
  try {
    exitCode = await run();
    return exitCode;
  } catch (error) {
    exitCode = error instanceof DroverError ? error.exitCode : ExitCode.internal;
    throw error;
  } finally {
    target.metrics.finish(exitCode, Date.now());
    const temporary = `${target.path}.${process.pid}.tmp`;
    try {
      await writeFile(temporary, await target.registry.metrics());
      await rename(temporary, target.path);
    } catch (error) {
      target.io.stderr.write(`⚠ Could not write the deploy metrics to ${target.path}: ${error instanceof Error ? error.message : String(error)}\n  → Check that its directory exists and is writable; the deploy's own outcome is unaffected.\n`);
    }
  }
}
