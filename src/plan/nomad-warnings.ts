/**
 * Nomad's `Warnings` (register, revert and plan answers): one string that
 * `helper.MergeMultierrorWarnings` (nomad helper/warning.go) builds as `N warning(s):` then
 * `\n* <warning>` per warning, `""` for none. A group's own warnings arrive nested as
 * `Group "api" has warnings: 1 error occurred:\n\t* <warning>` (go-multierror's list format).
 */

const HEADER = /^\d+ warnings?:\s*/;
/** go-multierror's `ListFormatFunc` after a prefix: `<prefix>N error(s) occurred:\n\t* a\n\t* b`. */
const NESTED = /^([\s\S]*?)(\d+) errors? occurred:\s*\n\t\* ([\s\S]*)$/;

/**
 * The warnings as a list, one line each, in Nomad's order; pure. A nested list is flattened into
 * one line per inner warning, each keeping its outer prefix (`Group "api" has warnings: Update
 * max parallel …`), so every line reads on its own. Text in any other shape is kept line by line.
 */
export function parseNomadWarnings(text: string): string[] {
  const body = text.trim();
  if (!body) return [];
  if (!HEADER.test(body)) return body.split('\n').map((line) => line.trim()).filter(Boolean);
  const items = body.replace(HEADER, '').split(/\n(?=\* )/).map((item) => item.replace(/^\* /, ''));
  return items.flatMap(flattenNested).map((line) => line.replace(/\s*\n\s*/g, ' ').trim()).filter(Boolean);
}

function flattenNested(item: string): string[] {
  const nested = NESTED.exec(item.trimEnd());
  if (!nested) return [item];
  const [, prefix = '', count = '', list = ''] = nested;
  // One inner warning may itself be nested (a task's list inside its group's): keep it whole.
  const inners = count === '1' ? [list] : list.split(/\n\t\* /);
  return inners.flatMap((inner) => flattenNested(inner.trim()).map((line) => `${prefix}${line}`));
}
