/**
 * The image pins a deploy (and its plan) renders with: an environment that takes releases runs
 * the release's references; one with `registries` runs each tag at the digest it points at now.
 * The images are read from the specs (`specImages`), so pinning needs no render of its own.
 */
import type { Environment } from '../config/environment.ts';
import type { LoadedJob } from '../model/loaded-job.ts';
import { specImages } from '../render/spec-images.ts';
import type { Report } from '../report/events.ts';
import { resolveDigestPins, type DigestLookup } from './digests.ts';
import { parseImageReference } from './release-image.ts';

/** Inputs of {@link imagePinsFor}. */
export interface ImagePinsInput {
  readonly env: Environment;
  /** The jobs being deployed. */
  readonly jobs: readonly LoadedJob[];
  /** The release's pins (prod): they are what runs, and nothing is looked up. */
  readonly releasePins?: Readonly<Record<string, string>>;
  readonly report: Report;
  readonly signal?: AbortSignal;
}

/**
 * Pins for `RenderContext.images`, or undefined when the images run as written. `openLookup`
 * gives the function that asks a registry for a tag's digest; it is only called when the
 * environment lists registries and the release brings no pins.
 */
export async function imagePinsFor(input: ImagePinsInput, openLookup: (() => DigestLookup) | undefined): Promise<Readonly<Record<string, string>> | undefined> {
  if (input.releasePins) return input.releasePins;
  const { env } = input;
  if (env.registries.length === 0 || !openLookup) return undefined;
  const lookup = openLookup();
  const images = input.jobs.flatMap((job) => specImages(job.spec).map((image) => parseImageReference(image).reference));
  const result = await resolveDigestPins({ env: env.name, images, registries: env.registries }, { lookup, ...(input.signal ? { signal: input.signal } : {}) });
  input.report({ type: 'images-pinned', env: env.name, pinned: result.pinned, asWritten: result.asWritten });
  return Object.keys(result.pins).length ? result.pins : undefined;
}
