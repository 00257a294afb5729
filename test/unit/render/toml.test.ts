import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { printToml } from '../../../src/render/toml.ts';

describe('printToml', () => {
  it('prints what a TOML parser reads back as the same object', () => {
    const table = {
      top: 'value',
      count: 3,
      on: false,
      list: ['a', 'b "quoted"', 'c\\d'],
      nested: { deeper: { name: 'x', 'with.dot': 'y', 'X-Header': ['v'] }, flag: true },
      tricky: { tab: 'a\tb', control: 'bell\u0007', del: 'del\u007f', unicode: 'ünï — ✓', quotes: "it's \"fine\"" },
      program: { multi: "line one\nline 'two' \\d+\\z\n", triple: "has '''\nin it", crlf: 'a\r\nb', endsQuote: "ends with '\nquote'" },
    };
    expect(parse(printToml(table))).toEqual(table);
  });

  it('writes multi-line strings as literal strings, as a reviewer reads them', () => {
    const text = printToml({ t: { source: 'a = 1\nb = r\'\\d\'\n' } });
    expect(text).toBe("[t]\nsource = '''\na = 1\nb = r'\\d'\n'''");
  });

  it('leaves out undefined keys, prints tables after values and keeps insertion order', () => {
    expect(printToml({ b: { z: 1, a: 2 }, a: 'first', gone: undefined, c: { only: { x: 1 } } })).toBe('a = "first"\n\n[b]\nz = 1\na = 2\n\n[c.only]\nx = 1');
  });

  it('refuses a number TOML cannot hold', () => {
    expect(() => printToml({ n: Number.NaN })).toThrow(/TOML cannot hold NaN/);
  });
});
