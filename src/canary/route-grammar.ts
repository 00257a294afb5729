/**
 * A parser for the subset of Fabio's route configuration language drover writes or reads
 * (`route add`, `route del`, `route weight`), strict enough to check every line drover emits.
 * Grammar: shared/reference/fabio.md §4.
 * @see https://fabiolb.net/cfg/ (registry.static.routes)
 */

/** `route add <svc> <src> <dst>[ weight <w>][ tags "<t1>,<t2>"][ opts "k1=v1 k2=v2"]` */
export interface RouteAdd {
  readonly cmd: 'route add';
  readonly service: string;
  readonly src: string;
  readonly dst: string;
  readonly weight?: number;
  readonly tags?: readonly string[];
  readonly opts?: Readonly<Record<string, string>>;
}

/** `route del <svc>[ <src>[ <dst>]]`, `route del <svc> tags "…"`, `route del tags "…"` */
export interface RouteDel {
  readonly cmd: 'route del';
  readonly service?: string;
  readonly src?: string;
  readonly dst?: string;
  readonly tags?: readonly string[];
}

/** `route weight <svc> <src> weight <w> tags "…"`, `route weight <src> weight <w> tags "…"`, `route weight <svc> <src> weight <w>` */
export interface RouteWeight {
  readonly cmd: 'route weight';
  readonly service?: string;
  readonly src: string;
  readonly weight: number;
  readonly tags?: readonly string[];
}

/** One parsed command of the route language, by `cmd`. */
export type RouteCommand = RouteAdd | RouteDel | RouteWeight;

/** A parsed line: a command, nothing (blank or comment), or why it is not valid. */
export type RouteLineResult = { readonly ok: true; readonly command: RouteCommand | null } | { readonly ok: false; readonly error: string };

// Tokens: bare words, or a double-quoted string (tags and opts lists).
const TOKEN = /"([^"]*)"|(\S+)/g;
const FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const SRC = /^(?::\d+|[^\s/]*\/\S*)$/;
const DST = /^(?:[a-z][a-z0-9+.-]*:\/\/\S+|[^\s/:]+:\d+)$/i;

type Token = { readonly text: string; readonly quoted: boolean };

/**
 * Parses one line of the route language. Blank lines and `#`/`//` comments give `command: null`.
 * Checks each argument's form: `src` is `/path`, `host/path` or `:port`; `dst` a URL or
 * `host:port`; weights are floats; tags and opts are double-quoted.
 */
export function parseRouteCommand(line: string): RouteLineResult {
  const text = line.trim();
  if (text === '' || text.startsWith('#') || text.startsWith('//')) return { ok: true, command: null };
  const tokens = [...text.matchAll(TOKEN)].map((m): Token => (m[1] !== undefined ? { text: m[1], quoted: true } : { text: m[2] ?? '', quoted: false }));
  const [route, verb, ...args] = tokens;
  if (route?.text !== 'route' || route.quoted || !verb) return { ok: false, error: `not a route command: ${text}` };
  try {
    if (verb.text === 'add') return { ok: true, command: parseAdd(args) };
    if (verb.text === 'del') return { ok: true, command: parseDel(args) };
    if (verb.text === 'weight') return { ok: true, command: parseWeight(args) };
    return { ok: false, error: `unknown command "route ${verb.text}" (expected add, del or weight)` };
  } catch (error) {
    return { ok: false, error: `${(error as Error).message}: ${text}` };
  }
}

/** Parses every line of a KV value or properties block; errors carry their 1-based line number. */
export function parseRouteConfig(text: string): { readonly commands: readonly RouteCommand[]; readonly errors: readonly string[] } {
  const commands: RouteCommand[] = [];
  const errors: string[] = [];
  text.split('\n').forEach((line, i) => {
    const result = parseRouteCommand(line);
    if (!result.ok) errors.push(`line ${i + 1}: ${result.error}`);
    else if (result.command) commands.push(result.command);
  });
  return { commands, errors };
}

function parseAdd(args: readonly Token[]): RouteAdd {
  const [service, src, dst, ...rest] = args;
  const base = { cmd: 'route add' as const, service: word(service, 'service'), src: source(src), dst: destination(dst) };
  const options = keywords(rest, ['weight', 'tags', 'opts']);
  return {
    ...base,
    ...(options.weight === undefined ? {} : { weight: float(options.weight) }),
    ...(options.tags === undefined ? {} : { tags: tagList(options.tags) }),
    ...(options.opts === undefined ? {} : { opts: optList(options.opts) }),
  };
}

function parseDel(args: readonly Token[]): RouteDel {
  if (args[0]?.text === 'tags' && !args[0].quoted) return { cmd: 'route del', tags: tagList(exactKeywords(args, ['tags']).tags) };
  const service = word(args[0], 'service');
  if (args[1]?.text === 'tags' && !args[1].quoted) return { cmd: 'route del', service, tags: tagList(exactKeywords(args.slice(1), ['tags']).tags) };
  if (args.length > 3) throw new Error('too many arguments to route del');
  return { cmd: 'route del', service, ...(args[1] ? { src: source(args[1]) } : {}), ...(args[2] ? { dst: destination(args[2]) } : {}) };
}

function parseWeight(args: readonly Token[]): RouteWeight {
  // `route weight <src> weight …` has the keyword second; `route weight <svc> <src> weight …` third.
  const serviceLess = args[1]?.text === 'weight' && !args[1].quoted;
  const service = serviceLess ? undefined : word(args[0], 'service');
  const src = source(serviceLess ? args[0] : args[1]);
  const rest = args.slice(serviceLess ? 1 : 2);
  const options = exactKeywords(rest, serviceLess ? ['weight', 'tags'] : rest.length > 2 ? ['weight', 'tags'] : ['weight']);
  return { cmd: 'route weight', ...(service === undefined ? {} : { service }), src, weight: float(options.weight), ...(options.tags === undefined ? {} : { tags: tagList(options.tags) }) };
}

/** `<kw> <value>` pairs in the given order, each optional. */
function keywords(args: readonly Token[], allowed: readonly string[]): Record<string, Token | undefined> {
  const out: Record<string, Token | undefined> = {};
  let next = 0;
  for (let i = 0; i < args.length; i += 2) {
    const key = args[i]!;
    const at = allowed.indexOf(key.text, next);
    if (key.quoted || at < 0) throw new Error(`unexpected "${key.text}"`);
    if (args[i + 1] === undefined) throw new Error(`"${key.text}" needs a value`);
    out[key.text] = args[i + 1];
    next = at + 1;
  }
  return out;
}

/** Every listed keyword exactly once, in order, and nothing else. */
function exactKeywords(args: readonly Token[], required: readonly string[]): Record<string, Token> {
  const out = keywords(args, required);
  for (const key of required) if (out[key] === undefined) throw new Error(`missing "${key} …"`);
  return out as Record<string, Token>;
}

function word(token: Token | undefined, what: string): string {
  if (!token || token.quoted || token.text === '') throw new Error(`missing ${what}`);
  return token.text;
}

function source(token: Token | undefined): string {
  const text = word(token, 'src');
  if (!SRC.test(text)) throw new Error(`src "${text}" is not /path, host/path or :port`);
  return text;
}

function destination(token: Token | undefined): string {
  const text = word(token, 'dst');
  if (!DST.test(text)) throw new Error(`dst "${text}" is not a URL or host:port`);
  return text;
}

function float(token: Token | undefined): number {
  const text = word(token, 'weight');
  if (!FLOAT.test(text)) throw new Error(`weight "${text}" is not a number`);
  return Number(text);
}

function tagList(token: Token | undefined): string[] {
  if (!token?.quoted) throw new Error('tags must be a double-quoted, comma-separated list');
  const tags = token.text.split(',').map((t) => t.trim());
  if (tags.some((t) => t === '')) throw new Error(`empty tag in "${token.text}"`);
  return tags;
}

function optList(token: Token | undefined): Record<string, string> {
  if (!token?.quoted) throw new Error('opts must be a double-quoted, space-separated list of k=v');
  const out: Record<string, string> = {};
  for (const pair of token.text.split(/\s+/).filter(Boolean)) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new Error(`opt "${pair}" is not k=v`);
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}
