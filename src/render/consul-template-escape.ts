/**
 * Text that must reach a task verbatim through a Nomad `template` block, whose data consul-template
 * executes: every `{{` and `}}` becomes an action printing it (`{{"{{"}}`, `{{"}}"}}`), so
 * another tool's own `{{ field }}` syntax (Vector's, Prometheus's) survives. One pass, so the
 * braces it inserts are never escaped again. test/integration/consul-template-escape.test.ts
 * runs the result through Go's text/template, the engine consul-template is built on.
 */
export function escapeForConsulTemplate(text: string): string {
  return text.replace(/\{\{|\}\}/g, (braces) => `{{"${braces}"}}`);
}
