import { splitImageReference } from '../../model/image-reference.ts';
import { at } from '../diagnostic.ts';
import { problem, warning, type Rule } from '../rule.ts';
import { isNonEmptyString, show } from './lib/index.ts';
import { tasksOf } from './lib/visit.ts';

const ID = 'task/image';
const DIGEST = /@sha256:[0-9a-f]{64}$/;

/**
 * Without a tag or digest every node pulls whatever `latest` is when it starts the task, so two
 * allocations of one version can run different code and a release cannot be reproduced.
 */
export const taskImageRule: Rule = {
  id: ID,
  description: 'Docker images are non-empty references without whitespace, pinned by a tag (not latest) or digest.',
  check({ jobs }) {
    return tasksOf(jobs).flatMap(({ file, task, path }) => {
      if (task.driver !== undefined && task.driver !== 'docker') return [];
      const image: unknown = (task as { image?: unknown }).image;
      const location = { file, path: at(path, 'image') };
      if (!isNonEmptyString(image) || /\s/.test(image)) {
        return [problem(ID, location, `Image ${show(image)} is not an image reference`, 'Set image to a reference such as "ghcr.io/acme/api:1.4.2".')];
      }
      // Lenient on purpose, as this rule has always been: any tag text (even an empty one) and
      // capitals in the name pass, which parseImageReference (Docker's grammar) rejects; the
      // digest test reads the whole reference's end, so it also passes `a@x@sha256:…`.
      const { tag, digest } = splitImageReference(image);
      if (digest !== undefined && !DIGEST.test(image)) {
        return [problem(ID, location, `Image ${show(image)} has a malformed digest`, 'Write the digest as @sha256:<64 hex digits>, or use a tag.')];
      }
      if (tag === undefined && digest === undefined) {
        return [problem(ID, location, `Image ${show(image)} has neither a tag nor a digest`, `Pin a version, e.g. "${image}:1.2.3".`)];
      }
      if (tag === 'latest') {
        return [warning(ID, location, `Image ${show(image)} uses the moving tag "latest"`, 'Pin a version tag so every allocation of a release runs the same image.')];
      }
      return [];
    });
  },
};
