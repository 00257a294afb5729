/**
 * HCL2 literal syntax: identifiers, numbers, quoted strings and heredocs.
 *
 * Every string drover writes is literal text, never an HCL expression. Quoted strings and heredocs
 * are templates in HCL2, so `${` and `%{` are always escaped as `$${` and `%%{`. That includes
 * Nomad runtime references such as `${node.class}`, `${attr.kernel.name}` or
 * `${NOMAD_TASK_DIR}`: after parsing, `"$${node.class}"` is the literal text `${node.class}`,
 * exactly what the JSON job carries and what Nomad interpolates at placement/run time.
 *
 * Nomad's jobspec2 would also accept them unescaped (its EvalContext has an `UnknownVariable`
 * hook that turns an unknown reference back into `"${<expr>}"`), but relying on that breaks for
 * `${var.…}`/`${local.…}` (real jobspec variables), for `%{` (a template directive, usually a
 * syntax error) and for any expression that is not a plain traversal. Escaping is plain HCL and
 * is correct in every case.
 */

/** HCL identifiers (ASCII subset): a letter or `_`, then letters, digits, `_` or `-`. */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Characters a heredoc cannot carry verbatim (HCL has no escapes inside heredocs besides `$${`/`%%{`). */
const NOT_HEREDOC_SAFE = /[\u0000-\u0008\u000b-\u001f\u007f]/;

/** True when `name` can be written bare, as an argument name or block type. */
export function isHclIdentifier(name: string): boolean {
  return IDENTIFIER.test(name);
}

/** A number literal; HCL accepts JavaScript's `1e+21` form, but not NaN or infinities. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`internal: ${value} cannot be written as an HCL number`);
  return Object.is(value, -0) ? '0' : String(value);
}

/** Characters {@link quoteString} writes other than as themselves. */
const NEEDS_ESCAPE = /[\\"\u0000-\u001f\u007f]|[$%]\{/;

/** A double-quoted HCL string whose parsed value is exactly `text`. */
export function quoteString(text: string): string {
  // Most strings (names, paths, images) need no escape: one test instead of a call per character.
  if (!NEEDS_ESCAPE.test(text)) return `"${text}"`;
  let out = '"';
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i] as string;
    out += escapeQuotedChar(char, text[i + 1]);
  }
  return `${out}"`;
}

/**
 * A heredoc (`<<EOT … EOT`) whose value is exactly `text`, or undefined when `text` cannot be
 * one: a heredoc's value always ends with a newline and carries CR and control characters
 * verbatim, so those texts stay quoted. The plain `<<` form (not `<<-`) is used because `<<-`
 * strips common indentation, which would change templates whose lines all start indented.
 */
export function heredoc(text: string): string | undefined {
  if (!text.includes('\n') || !text.endsWith('\n') || NOT_HEREDOC_SAFE.test(text)) return undefined;
  const body = escapeTemplateSequences(text);
  const delimiter = heredocDelimiter(body);
  return `<<${delimiter}\n${body}${delimiter}`;
}

/** `EOT`, or `EOT1`, `EOT2`, … when the text itself contains the marker anywhere. */
function heredocDelimiter(body: string): string {
  for (let n = 0; ; n += 1) {
    const candidate = n === 0 ? 'EOT' : `EOT${n}`;
    if (!body.includes(candidate)) return candidate;
  }
}

function escapeTemplateSequences(text: string): string {
  return text.replace(/([$%])\{/g, '$1$1{');
}

function escapeQuotedChar(char: string, next: string | undefined): string {
  switch (char) {
    case '\\':
      return '\\\\';
    case '"':
      return '\\"';
    case '\n':
      return '\\n';
    case '\r':
      return '\\r';
    case '\t':
      return '\\t';
    case '$':
    case '%':
      // `$${` and `%%{` are HCL's escapes for a literal `${` / `%{`.
      return next === '{' ? char + char : char;
    default: {
      const code = char.charCodeAt(0);
      return code < 0x20 || code === 0x7f ? `\\u${code.toString(16).padStart(4, '0')}` : char;
    }
  }
}
