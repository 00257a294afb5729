/**
 * A file drover writes: build output (git-ignored) or a committed generated file. Its own module
 * because the renderer and the Vault policy derivation both produce them, and neither imports
 * the other for it.
 */
export interface GeneratedFile {
  /** Relative to the output dir (build files) or the project root (committed files). */
  readonly path: string;
  readonly content: string;
  readonly committed: boolean;
}
