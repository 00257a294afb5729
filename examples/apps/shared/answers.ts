/** What a route answers, as data: the plumbing in http-app.ts writes it. */

export interface Answer {
  readonly status: number;
  readonly body: string;
  readonly contentType: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export function text(status: number, body: string, headers?: Readonly<Record<string, string>>): Answer {
  return { status, body, contentType: 'text/plain; charset=utf-8', ...(headers ? { headers } : {}) };
}

export function json(status: number, value: unknown): Answer {
  return { status, body: JSON.stringify(value), contentType: 'application/json' };
}

export function html(status: number, body: string): Answer {
  return { status, body, contentType: 'text/html; charset=utf-8' };
}
