import { splitImageReference } from '../model/image-reference.ts';

/** An image a task of the release runs, as it was rendered (tag, plus digest when the reference pins one). */
export interface ReleaseImage {
  /** Full reference as rendered, e.g. `ghcr.io/acme/api:1.4.2@sha256:…`. */
  readonly reference: string;
  /** `ghcr.io/acme/api`: the key of `RenderContext.images`. */
  readonly repository: string;
  readonly tag?: string;
  /** `sha256:…` when the reference carries a digest. */
  readonly digest?: string;
}

/**
 * Splits an image reference into repository, tag and digest (`registry:5000/a/b:1.2@sha256:…`).
 * Takes any string, as rendered: the parts as written, unchecked (an empty digest is left out).
 */
export function parseImageReference(reference: string): ReleaseImage {
  const { name, tag, digest } = splitImageReference(reference);
  return {
    reference,
    repository: name,
    ...(tag !== undefined ? { tag } : {}),
    ...(digest ? { digest } : {}),
  };
}
