import { parseImageReference, type ReleaseImage } from './release-image.ts';

/**
 * Where an image reference points, the way Docker reads it: the first path component is a
 * registry host when it contains `.` or `:` or is `localhost`; otherwise the image is on Docker
 * Hub, whose one-component names live under `library/` (`postgres` is `docker.io/library/postgres`).
 * @see https://github.com/distribution/distribution/blob/main/docs/spec/api.md
 */
export interface RegistryImage extends ReleaseImage {
  /** Registry host as written (port included), `docker.io` for Docker Hub. */
  readonly host: string;
  /** Repository name inside the registry, as its API wants it (`library/postgres`). */
  readonly name: string;
}

const DOCKER_HUB = 'docker.io';
const DOCKER_HUB_ALIASES: readonly string[] = ['index.docker.io', 'registry-1.docker.io'];

/** Splits `reference` into registry host, repository name, tag and digest. Pure. */
export function registryImage(reference: string): RegistryImage {
  const image = parseImageReference(reference);
  const slash = image.repository.indexOf('/');
  const first = slash < 0 ? '' : image.repository.slice(0, slash);
  const isHost = first.includes('.') || first.includes(':') || first === 'localhost';
  if (!isHost) return { ...image, host: DOCKER_HUB, name: slash < 0 ? `library/${image.repository}` : image.repository };
  const host = DOCKER_HUB_ALIASES.includes(first) ? DOCKER_HUB : first;
  const name = image.repository.slice(slash + 1);
  return { ...image, host, name: host === DOCKER_HUB && !name.includes('/') ? `library/${name}` : name };
}

/** The reference with `digest` added (a tag stays, for people reading it; the digest decides what runs). */
export function withDigest(image: ReleaseImage, digest: string): string {
  return `${image.repository}${image.tag === undefined ? '' : `:${image.tag}`}@${digest}`;
}
