/**
 * Container image references as Docker reads them: `ghcr.io/acme/api:1.4.2`, `postgres`,
 * `localhost:5000/team/app:2@sha256:…`. The one place drover splits an image string into its
 * parts. Pure: no I/O, no imports.
 *
 * Grammar (Docker's distribution reference, rules only):
 * ```
 * reference      := name [ ":" tag ] [ "@" digest ]
 * name           := [ host [ ":" port ] "/" ] path-component { "/" path-component }
 * host           := domain-component { "." domain-component } | "[" IPv6 "]"
 * path-component := [a-z0-9]+ { ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ }
 * tag            := [A-Za-z0-9_] [A-Za-z0-9_.-]{0,127}
 * digest         := algorithm ":" hex     (sha256: 64, sha384: 96, sha512: 128 lower-case hex digits)
 * ```
 * The first path segment is a host only when it contains `.` or `:` or is `localhost`; otherwise
 * the image is on Docker Hub (`docker.io`), whose one-segment names live under `library/`.
 * @see https://github.com/distribution/reference/blob/main/reference.go
 * @see https://github.com/distribution/reference/blob/main/normalize.go
 */

/** Docker Hub's name in references (its API is at registry-1.docker.io). */
export const DOCKER_HUB = 'docker.io';

/**
 * The parts of a reference exactly as written, found by its delimiters only and never checked:
 * what {@link splitImageReference} returns for any string.
 */
export interface ImageReferenceParts {
  /** Everything before the tag and digest, as written: `ghcr.io/acme/api`, `postgres`, `docker.io/postgres`. */
  readonly name: string;
  /** After the last `:` that follows the last `/` of the name; `""` when the reference ends in `:`. */
  readonly tag?: string;
  /** After the `@` (`sha256:…`); `""` when the reference ends in `@`. */
  readonly digest?: string;
}

/** A valid reference, normalised the way Docker reads it. */
export interface ImageReference {
  /**
   * Registry host, port included, as written (`ghcr.io`, `localhost:5000`, `[::1]:5000`);
   * `docker.io` when the name has no host or names Docker Hub's legacy `index.docker.io` (as in
 * Docker, `registry-1.docker.io` stays as written).
   * @default "docker.io"
   */
  readonly registry: string;
  /** Repository path inside the registry, as its API wants it: `acme/api`, `library/postgres`. */
  readonly path: string;
  readonly tag?: string;
  /** `sha256:<64 hex digits>` (or sha384/sha512) when the reference pins one. */
  readonly digest?: string;
}

/** Why a string is not a valid image reference. */
export type ImageReferenceProblemKind =
  | 'empty'
  | 'whitespace'
  | 'digest'
  | 'tag'
  | 'registry'
  | 'uppercase'
  | 'name'
  | 'too-long'
  | 'identifier';

/** An invalid reference: `reason` completes "Image "x" is not a valid reference: …". */
export interface ImageReferenceProblem {
  readonly kind: ImageReferenceProblemKind;
  readonly reason: string;
}

/** What {@link parseImageReference} returns: the reference, or why it is not one. */
export type ParsedImageReference =
  | { readonly valid: true; readonly image: ImageReference }
  | { readonly valid: false; readonly problem: ImageReferenceProblem };

/** Docker caps the repository path (host excluded, `library/` included) at 255 characters. */
const PATH_MAX = 255;
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^\w[\w.-]{0,127}$/;
const DOMAIN_COMPONENT = '[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?';
const HOST = new RegExp(`^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?$`);
const DIGEST = /^([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*):([0-9a-fA-F]{32,})$/;
/** Docker resolves only these algorithms; each has a fixed length of lower-case hex. */
const DIGEST_HEX_LENGTH: Readonly<Record<string, number>> = { sha256: 64, sha384: 96, sha512: 128 };
/** A bare 64-hex string is an image ID to Docker, never a repository name. */
const IDENTIFIER = /^[a-f0-9]{64}$/;
const LEGACY_DOCKER_HUB = 'index.docker.io';
const OFFICIAL_PREFIX = 'library/';

/**
 * Splits `reference` at its delimiters without checking the parts, for callers that must take any
 * string: the digest follows the first `@` (up to a second `@`, which no valid reference has; what
 * follows it is dropped, as drover always read it), the tag follows the last `:` after the name's
 * last `/` (so `registry:5000/app` has no tag).
 */
export function splitImageReference(reference: string): ImageReferenceParts {
  const at = reference.indexOf('@');
  const beforeDigest = at < 0 ? reference : reference.slice(0, at);
  const digest = at < 0 ? undefined : reference.slice(at + 1).split('@', 1)[0];
  const colon = beforeDigest.lastIndexOf(':');
  const hasTag = colon > beforeDigest.lastIndexOf('/');
  return {
    name: hasTag ? beforeDigest.slice(0, colon) : beforeDigest,
    ...(hasTag ? { tag: beforeDigest.slice(colon + 1) } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}

/** Parses `reference` by Docker's grammar into registry, path, tag and digest, or says why it is not one. */
export function parseImageReference(reference: string): ParsedImageReference {
  const parts = splitImageReference(reference);
  const problem = referenceProblem(reference, parts);
  if (problem) return { valid: false, problem };
  const { host, remainder } = splitHost(parts.name);
  if (host !== undefined && !HOST.test(host)) {
    return invalid('registry', `the registry host "${host}" is not a host name, IPv4 or [IPv6] address with an optional :port`);
  }
  const nameProblem = remainderProblem(remainder);
  if (nameProblem) return { valid: false, problem: nameProblem };
  const registry = host === undefined || host === LEGACY_DOCKER_HUB ? DOCKER_HUB : host;
  const path = registry === DOCKER_HUB && !remainder.includes('/') ? `${OFFICIAL_PREFIX}${remainder}` : remainder;
  if (path.length > PATH_MAX) return invalid('too-long', `the repository path has ${path.length} characters, more than Docker's ${PATH_MAX}`);
  const { tag, digest } = parts;
  return { valid: true, image: { registry, path, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) } };
}

/**
 * Writes `image` back as a reference. `familiar` (the default) is the short form people write:
 * Docker Hub's host and `library/` left out (`postgres:16`); `canonical` always names both
 * (`docker.io/library/postgres:16`). Parsing either gives `image` again.
 */
export function formatImageReference(image: ImageReference, form: 'familiar' | 'canonical' = 'familiar'): string {
  const suffix = `${image.tag !== undefined ? `:${image.tag}` : ''}${image.digest !== undefined ? `@${image.digest}` : ''}`;
  return `${form === 'familiar' ? familiarName(image) : `${image.registry}/${image.path}`}${suffix}`;
}

/** The problems visible before the name is split: emptiness, whitespace, digest, tag, image IDs. */
function referenceProblem(reference: string, { name, tag, digest }: ImageReferenceParts): ImageReferenceProblem | undefined {
  if (reference === '') return problemOf('empty', 'it is empty');
  if (/\s/.test(reference)) return problemOf('whitespace', 'it contains whitespace');
  if (IDENTIFIER.test(reference)) return problemOf('identifier', 'a 64-hex-digit string is an image ID, not a repository name');
  if (reference.indexOf('@') !== reference.lastIndexOf('@')) return problemOf('digest', 'it contains more than one "@"');
  if (digest !== undefined) {
    const reason = digestProblem(digest);
    if (reason) return problemOf('digest', reason);
  }
  if (tag !== undefined && !TAG.test(tag)) {
    return problemOf('tag', `the tag "${tag}" is not 1 to 128 letters, digits, "_", "." or "-" starting with a letter, digit or "_"`);
  }
  if (name === '') return problemOf('name', 'it names no repository');
  return undefined;
}

function digestProblem(digest: string): string | undefined {
  const match = DIGEST.exec(digest);
  if (!match) return `the digest "${digest}" is not <algorithm>:<hex digits>, e.g. sha256: and 64 hex digits`;
  const [, algorithm = '', hex = ''] = match;
  const length = Object.hasOwn(DIGEST_HEX_LENGTH, algorithm) ? DIGEST_HEX_LENGTH[algorithm] : undefined;
  if (length === undefined) return `the digest algorithm "${algorithm}" is not one Docker resolves (sha256, sha384, sha512)`;
  if (!new RegExp(`^[a-f0-9]{${length}}$`).test(hex)) return `a ${algorithm} digest has ${length} lower-case hex digits, not "${hex}"`;
  return undefined;
}

/**
 * Docker's rule: the first segment is a host only if it has `.` or `:` or is `localhost`. (Recent
 * Docker also reads a first segment with capitals as a host; drover rejects it as upper-case.)
 */
function splitHost(name: string): { host?: string; remainder: string } {
  const slash = name.indexOf('/');
  if (slash < 0) return { remainder: name };
  const first = name.slice(0, slash);
  const isHost = first.includes('.') || first.includes(':') || first === 'localhost';
  return isHost ? { host: first, remainder: name.slice(slash + 1) } : { remainder: name };
}

function remainderProblem(remainder: string): ImageReferenceProblem | undefined {
  const bad = remainder.split('/').find((component) => !PATH_COMPONENT.test(component));
  if (bad === undefined) return undefined;
  // Like Docker: a name that only its capitals spoil gets the specific reason.
  if (remainder.split('/').every((component) => PATH_COMPONENT.test(component.toLowerCase()))) {
    return problemOf('uppercase', `the repository name "${remainder}" must be lower-case`);
  }
  const what = bad === '' ? 'has an empty path segment' : `has the path segment "${bad}"`;
  return problemOf('name', `the repository name "${remainder}" ${what}; segments are lower-case letters and digits joined by ".", "_", "__" or "-"`);
}

/** Docker Hub's host and `library/` left out, unless the first segment would then read as a host. */
function familiarName(image: ImageReference): string {
  if (image.registry !== DOCKER_HUB) return `${image.registry}/${image.path}`;
  const short = image.path.startsWith(OFFICIAL_PREFIX) && !image.path.slice(OFFICIAL_PREFIX.length).includes('/')
    ? image.path.slice(OFFICIAL_PREFIX.length)
    : image.path;
  return splitHost(short).host === undefined ? short : `${DOCKER_HUB}/${image.path}`;
}

function problemOf(kind: ImageReferenceProblemKind, reason: string): ImageReferenceProblem {
  return { kind, reason };
}

function invalid(kind: ImageReferenceProblemKind, reason: string): ParsedImageReference {
  return { valid: false, problem: problemOf(kind, reason) };
}
