/**
 * The log shipper's Vector config reaches its task through a Nomad template block, which
 * consul-template executes with Go's text/template. Vector's own `{{ field }}` templates must come
 * out as written: this runs the escaped text through Go's text/template (the engine consul-template
 * parses with, same delimiters) and expects the committed config back, and shows the unescaped
 * config does not survive. Needs `go` on PATH; skipped loudly otherwise.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import prod from '../../environments/prod.ts';
import qa from '../../environments/qa.ts';
import { escapeForConsulTemplate } from '../../src/render/consul-template-escape.ts';
import { renderVectorConfig } from '../../src/render/vector-config.ts';
import { missingBinaries } from '../support/real-process.ts';

const SUITE = 'test/integration/consul-template-escape.test.ts';
const missing = missingBinaries(SUITE, ['go']);

/** Executes stdin as a text/template with no data, as consul-template does with a template's text. */
const PROGRAM = `package main

import (
	"io"
	"os"
	"text/template"
)

func main() {
	text, _ := io.ReadAll(os.Stdin)
	t, err := template.New("t").Option("missingkey=error").Parse(string(text))
	if err != nil {
		os.Stderr.WriteString(err.Error())
		os.Exit(2)
	}
	if err := t.Execute(os.Stdout, nil); err != nil {
		os.Stderr.WriteString(err.Error())
		os.Exit(3)
	}
}
`;

describe.skipIf(missing.length > 0)('escaped text through Go text/template', () => {
  const dir = mkdtempSync(join(tmpdir(), 'drover-ct-escape-'));
  const binary = join(dir, 'exec-template');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  let built = false;
  const execute = (text: string) => {
    if (!built) {
      writeFileSync(join(dir, 'main.go'), PROGRAM);
      const build = spawnSync('go', ['build', '-o', binary, join(dir, 'main.go')], { encoding: 'utf8', env: { ...process.env, GO111MODULE: 'off' } });
      if (build.status !== 0) throw new Error(`go build failed: ${build.stderr}`);
      built = true;
    }
    return spawnSync(binary, [], { input: text, encoding: 'utf8' });
  };

  it('gives back the committed Vector configs, {{ field }} templates included', () => {
    for (const env of [qa, prod]) {
      const config = renderVectorConfig(env) as string;
      if (env === qa) expect(config).toContain('job = "{{ job }}"');
      const result = execute(escapeForConsulTemplate(config));
      expect(result.stderr).toBe('');
      expect(result.stdout).toBe(config);
    }
  }, 120_000);

  it('gives back nested and unbalanced braces too', () => {
    const text = 'a {{ b }} }} {{ {{{ x }}}} "{{" \'}}\' {{- y -}}';
    const result = execute(escapeForConsulTemplate(text));
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(text);
  }, 120_000);

  it('would not survive unescaped (why the escape is there)', () => {
    const result = execute(renderVectorConfig(qa) as string);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/function "job" not defined/);
  }, 120_000);
});
