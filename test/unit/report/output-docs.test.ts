import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OUTPUT_SCHEMAS } from '../../../src/report/documents.ts';
import { loadSchema, type Schema } from '../../support/json-schema.ts';
import { repoRoot } from '../../support/run-cli.ts';

/** Every property name a schema defines, at any depth (its $defs included). */
function fieldNames(schema: Schema, into = new Set<string>()): Set<string> {
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties' && value && typeof value === 'object') for (const name of Object.keys(value)) into.add(name);
    if (value && typeof value === 'object') fieldNames(value as Schema, into);
  }
  return into;
}

describe('docs/output.md and docs/schemas/', () => {
  const docs = readFileSync(join(repoRoot, 'docs/output.md'), 'utf8');
  const schemaFiles = readdirSync(join(repoRoot, 'docs/schemas')).filter((f) => f.endsWith('.schema.json'));

  it('has a schema file per --output json document, whose schema const is the id the code prints', () => {
    for (const [command, id] of Object.entries(OUTPUT_SCHEMAS)) {
      const schema = loadSchema(command);
      expect((schema.properties as Record<string, { const?: string }>).schema?.const, command).toBe(id);
      expect(schema.title).toBe(id);
      expect(docs, `docs/output.md has no section for ${id}`).toContain(`### \`${id}\``);
    }
  });

  it('names every field each schema defines', () => {
    const undocumented = schemaFiles.flatMap((file) => [...fieldNames(loadSchema(file.replace('.schema.json', '')))].filter((name) => !docs.includes(`\`${name}\``)).map((name) => `${file}: ${name}`));
    expect(undocumented).toEqual([]);
  });
});
