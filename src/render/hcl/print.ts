import { formatNumber, heredoc, quoteString } from './literals.ts';
import type { HclBlock, HclItem, HclValue } from './syntax.ts';

const INDENT = '  ';

/**
 * Prints an HCL body in `terraform fmt`/`nomad fmt` style: two-space indentation, `=` aligned
 * across consecutive arguments, a blank line around nested blocks, a final newline. The output
 * depends only on `items`, so equal input gives byte-identical files.
 */
export function printHcl(items: readonly HclItem[]): string {
  const lines: string[] = [];
  printBody(items, 0, lines);
  return `${lines.join('\n')}\n`;
}

/** Appends the body's lines to `lines` (one array for the whole file: no copying up the nesting). */
function printBody(items: readonly HclItem[], depth: number, lines: string[]): void {
  const pad = INDENT.repeat(depth);
  const widths = alignmentWidths(items);
  items.forEach((item, index) => {
    const previous = items[index - 1];
    if (previous && (previous.kind === 'block' || item.kind === 'block')) lines.push('');
    if (item.kind === 'block') {
      printBlock(item, depth, lines);
    } else {
      lines.push(`${pad}${item.name.padEnd(widths[index] ?? 0)} = ${printAttributeValue(item.value, depth)}`);
    }
  });
}

function printBlock(item: HclBlock, depth: number, lines: string[]): void {
  const pad = INDENT.repeat(depth);
  const header = [item.type, ...item.labels.map(quoteString)].join(' ');
  if (item.body.length === 0) {
    lines.push(`${pad}${header} {}`);
    return;
  }
  lines.push(`${pad}${header} {`);
  printBody(item.body, depth + 1, lines);
  lines.push(`${pad}}`);
}

/** Top-level multi-line strings (template data, scripts) read best as heredocs. */
function printAttributeValue(value: HclValue, depth: number): string {
  return (typeof value === 'string' ? heredoc(value) : undefined) ?? printValue(value, depth);
}

function printValue(value: HclValue, depth: number): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return quoteString(value);
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'boolean') return String(value);
  if (isList(value)) return printList(value, depth);
  return printObject(value, depth);
}

function printList(values: readonly HclValue[], depth: number): string {
  if (values.every(isScalar)) return `[${values.map((v) => printValue(v, depth)).join(', ')}]`;
  const inner = INDENT.repeat(depth + 1);
  const lines = values.map((v) => `${inner}${printValue(v, depth + 1)},`);
  return `[\n${lines.join('\n')}\n${INDENT.repeat(depth)}]`;
}

/** Object keys are always quoted: a bare `null`/`true` key or a traversal-looking key would not be literal. */
function printObject(object: { readonly [key: string]: HclValue }, depth: number): string {
  const entries = Object.entries(object);
  if (entries.length === 0) return '{}';
  const keys = entries.map(([key]) => quoteString(key));
  const width = Math.max(...keys.map((k) => k.length));
  const inner = INDENT.repeat(depth + 1);
  const lines = entries.map(([, v], i) => `${inner}${(keys[i] ?? '').padEnd(width)} = ${printValue(v, depth + 1)}`);
  return `{\n${lines.join('\n')}\n${INDENT.repeat(depth)}}`;
}

/** For each attribute, the name width of the run of consecutive attributes it belongs to. */
function alignmentWidths(items: readonly HclItem[]): number[] {
  const widths: number[] = new Array<number>(items.length).fill(0);
  let start = 0;
  for (let i = 0; i <= items.length; i += 1) {
    if (i < items.length && items[i]?.kind === 'attribute') continue;
    const run = items.slice(start, i) as readonly { readonly name: string }[];
    const width = Math.max(0, ...run.map((a) => a.name.length));
    widths.fill(width, start, i);
    start = i + 1;
  }
  return widths;
}

function isList(value: HclValue): value is readonly HclValue[] {
  return Array.isArray(value);
}

function isScalar(value: HclValue): boolean {
  return value === null || typeof value !== 'object';
}
