/**
 * Pinning image tags to digests for an environment with `registries`: which images to look up,
 * and the `RenderContext.images` pins that result. The lookup itself is injected (the registry
 * client in production, anything in tests); everything else is a function of its inputs.
 */
import { ApiError, isDenied } from '../clients/api-error.ts';
import type { RegistryTarget } from '../config/environment.ts';
import { DroverError, ExitCode } from '../errors.ts';
import { registryImage, withDigest, type RegistryImage } from './image-registry.ts';

/** Asks one registry (by host) for the digest of `image` (its `name` and `tag`). */
export type DigestLookup = (host: string, image: RegistryImage, signal?: AbortSignal) => Promise<string>;

/** An image pinned to the digest its tag pointed at. */
export interface PinnedImage {
  readonly reference: string;
  readonly digest: string;
}

/** An image deployed as written, and why it was not pinned. */
export interface UnpinnedImage {
  readonly reference: string;
  readonly why: 'already pinned by digest' | 'its registry is not in the environment\'s registries';
}

/** What the lookups gave. `pins` maps each reference as written to its pinned form. */
export interface DigestPins {
  readonly pins: Readonly<Record<string, string>>;
  readonly pinned: readonly PinnedImage[];
  readonly asWritten: readonly UnpinnedImage[];
}

/**
 * Looks up the digest of every distinct tagged image whose registry `registries` lists, in
 * parallel. Every failed lookup is collected and reported in one error (exit 4, or 69 when a
 * registry did not answer), before anything was deployed.
 */
export async function resolveDigestPins(
  input: { readonly env: string; readonly images: readonly string[]; readonly registries: readonly RegistryTarget[] },
  deps: { readonly lookup: DigestLookup; readonly signal?: AbortSignal },
): Promise<DigestPins> {
  const hosts = new Set(input.registries.map((r) => r.host));
  const references = [...new Set(input.images)].sort();
  const asWritten: UnpinnedImage[] = [];
  const wanted: RegistryImage[] = [];
  for (const reference of references) {
    const image = registryImage(reference);
    if (image.digest) asWritten.push({ reference, why: 'already pinned by digest' });
    else if (!hosts.has(image.host)) asWritten.push({ reference, why: 'its registry is not in the environment\'s registries' });
    else if (image.tag !== undefined) wanted.push(image);
  }
  const answers = await Promise.allSettled(wanted.map((image) => deps.lookup(image.host, image, deps.signal)));
  if (deps.signal?.aborted) throw deps.signal.reason;
  const failures = answers.flatMap((answer, i) => (answer.status === 'rejected' ? [{ image: wanted[i]!, error: answer.reason as unknown }] : []));
  if (failures.length) throw digestLookupFailed(input.env, failures);
  const pinned = answers.map((answer, i) => ({ reference: wanted[i]!.reference, digest: (answer as PromiseFulfilledResult<string>).value }));
  const pins = Object.fromEntries(pinned.map((p, i) => [p.reference, withDigest(wanted[i]!, p.digest)]));
  return { pins, pinned, asWritten };
}

function digestLookupFailed(env: string, failures: readonly { readonly image: RegistryImage; readonly error: unknown }[]): DroverError {
  const unreachable = failures.some(({ error }) => error instanceof ApiError && (error.status === undefined || error.status >= 502));
  // A registry that would not let these credentials read is "not allowed" (77), whatever else failed.
  const denied = failures.some(({ error }) => error instanceof ApiError && isDenied(error.status));
  const lines = failures.map(({ image, error }) => [image.reference, describe(error)] as const);
  const first = failures[0]!.error;
  return new DroverError(`Could not pin ${failures.length === 1 ? 'an image' : `${failures.length} images`} to ${failures.length === 1 ? 'its digest' : 'their digests'} for ${env}; nothing was deployed`, denied ? ExitCode.noPermission : unreachable ? ExitCode.unreachable : ExitCode.refused, {
    context: Object.fromEntries(lines),
    hint: first instanceof DroverError && first.hint ? first.hint : 'Check the image tags in jobs/ and the registries in the environment file, then retry.',
  });
}

function describe(error: unknown): string {
  if (error instanceof ApiError) return error.status === 404 ? 'no such tag in the registry (HTTP 404)' : error.message;
  return error instanceof Error ? error.message : String(error);
}
