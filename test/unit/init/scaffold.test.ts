import { describe, expect, it } from 'vitest';
import { packageNameFor, renderScaffold, type ScaffoldValues } from '../../../src/init/scaffold.ts';

const VALUES: ScaffoldValues = { name: 'shop', droverSpec: 'file:../drover', service: 'web', namespace: 'default', owner: 'team-shop', typescriptVersion: '^7.0.2', typesNodeVersion: '^20.19.43' };

describe('packageNameFor', () => {
  it('lower-cases and replaces what npm refuses with dashes', () => {
    expect(packageNameFor('Billing API')).toBe('billing-api');
    expect(packageNameFor('my_service.v2')).toBe('my_service.v2');
    expect(packageNameFor('--Ünïcode--')).toBe('n-code');
  });

  it('gives nothing for a name npm cannot take', () => {
    expect(packageNameFor('...')).toBeUndefined();
    expect(packageNameFor('node_modules')).toBeUndefined();
  });
});

describe('renderScaffold', () => {
  it('fills the templates, names the outputs and sorts them', () => {
    const files = renderScaffold(
      [
        { path: 'jobs/service.ts.hbs', text: "id: '{{service}}'" },
        { path: 'gitignore.hbs', text: 'build/' },
        { path: 'package.json.hbs', text: '"{{name}}": "{{droverSpec}}" {{{owner}}}' },
      ],
      VALUES,
    );
    expect(files).toEqual([
      { path: '.gitignore', content: 'build/' },
      { path: 'jobs/web.ts', content: "id: 'web'" },
      { path: 'package.json', content: '"shop": "file:../drover" team-shop' },
    ]);
  });

  it('writes values unescaped (source files, not HTML)', () => {
    expect(renderScaffold([{ path: 'a.hbs', text: '{{droverSpec}}' }], { ...VALUES, droverSpec: 'git+https://x/y.git#a&b' })[0]!.content).toBe('git+https://x/y.git#a&b');
  });

  it('fails on a value a template names but the scaffold does not have', () => {
    expect(() => renderScaffold([{ path: 'a.hbs', text: '{{region}}' }], VALUES)).toThrow(/region/);
  });
});
