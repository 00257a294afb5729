/**
 * The names of the files drover writes in an environment's build folder (`build/<env>/`): two
 * per rendered job, and the files other commands save there. A job whose files would take one of
 * the latter's names is refused by validation (`job/reserved-id`), or render and that command
 * would overwrite each other's file.
 */

/** The plan `drover plan <env>` saves by default (`build/<env>/plan.json`), which `deploy --plan` reads. */
export const PLAN_FILE = 'plan.json';

/** A file of build/<env>/ that is not a rendered job's, and the command that writes it. */
export interface ReservedBuildFile {
  readonly name: string;
  readonly writtenBy: string;
}

/** Every file drover writes in build/<env>/ apart from rendered jobs' files. */
export const RESERVED_BUILD_FILES: readonly ReservedBuildFile[] = [{ name: PLAN_FILE, writtenBy: 'drover plan <env>' }];

/** A rendered job's files in build/<env>/: the JSON body Nomad accepts and its HCL. */
export function jobBuildFileNames(id: string): readonly [json: string, hcl: string] {
  return [`${id}.json`, `${id}.nomad.hcl`];
}
