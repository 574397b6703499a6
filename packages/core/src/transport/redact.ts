/** What a secret is replaced by. */
export const REDACTED = '***';

const SECRET_PARAMS = new Set([
  'apikey',
  'api_key',
  'api-key',
  'key',
  'token',
  'access_token',
  'auth',
  'password',
  'secret',
]);
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'x-api-key', 'cookie', 'set-cookie']);
// Values found in a request (query params, userinfo, headers) are only treated as secrets anywhere else in a text when
// they are this long: `key=1` must not turn every `1` of a response into `***`.
const MIN_DERIVED_SECRET_LENGTH = 8;

const URL_SHAPE = /^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/)([^/?#]*@)?([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/;
const SECRET_PARAM_IN_TEXT =
  /([?&;](?:apikey|api_key|api-key|key|token|access_token|auth|password|secret)=)[^&#\s"'<>]*/gi;
const USERINFO_IN_TEXT = /\b([a-zA-Z][a-zA-Z0-9+.-]*:\/\/)[^\s/?#@"'<>]+@/g;

/**
 * True for a query parameter name that carries a credential (case-insensitive).
 * @example isSecretParam('apiKey') === true
 */
export function isSecretParam(name: string): boolean {
  return SECRET_PARAMS.has(safeDecode(name).toLowerCase());
}

/**
 * A URL fit for a log line, an error message or a cassette: userinfo removed, secret query params set to `***`,
 * and every listed secret value (raw or percent-encoded) replaced wherever it appears, the path included.
 * @example redactUrl('https://u:p@x.io/v2/KEY?apikey=K2&a=1', ['KEY']) === 'https://x.io/v2/***?apikey=***&a=1'
 */
export function redactUrl(url: string, secrets: readonly string[] = []): string {
  const parts = splitUrl(url);
  if (parts === undefined) return redactText(url, secrets);
  const query = parts.query
    .map(([name, value]) => (value === undefined ? name : `${name}=${isSecretParam(name) ? REDACTED : value}`))
    .join('&');
  const out = parts.origin + parts.path + (parts.hasQuery ? `?${query}` : '') + parts.fragment;
  return replaceSecrets(out, secrets);
}

/**
 * Free text (an error message, a request body) with secrets removed: listed secret values (raw, percent-encoded or
 * JSON-escaped), secret query params of any URL inside it, and `user:pass@` userinfo.
 * @example redactText('GET https://x.io/?apikey=K failed', []) === 'GET https://x.io/?apikey=*** failed'
 */
export function redactText(text: string, secrets: readonly string[] = []): string {
  return replaceSecrets(text, secrets).replace(SECRET_PARAM_IN_TEXT, `$1${REDACTED}`).replace(USERINFO_IN_TEXT, '$1');
}

/**
 * Only the exact secret values (raw, percent-encoded or JSON-escaped) replaced by `***`; nothing else changes. Used on
 * response bodies, where rewriting anything that merely looks like a query param would alter the data.
 * @example replaceSecrets('{"echo":"/v2/KEY"}', ['KEY']) === '{"echo":"/v2/***"}'
 */
export function replaceSecrets(text: string, secrets: readonly string[]): string {
  if (secrets.length === 0) return text;
  let out = text;
  for (const form of secretForms(secrets)) {
    if (out.includes(form)) out = out.split(form).join(REDACTED);
  }
  return out;
}

/**
 * Headers without credentials: authorization, x-api-key, cookies and any header whose value contains a listed secret.
 * @example redactHeaders({ Authorization: 'Bearer K', accept: 'application/json' }) // { accept: 'application/json' }
 */
export function redactHeaders(
  headers: Record<string, string> | undefined,
  secrets: readonly string[] = [],
): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers === undefined) return out;
  const forms = secretForms(secrets);
  for (const [name, value] of Object.entries(headers)) {
    if (SECRET_HEADERS.has(name.toLowerCase())) continue;
    if (forms.some((form) => value.includes(form))) continue;
    out[name] = value;
  }
  return out;
}

/**
 * The listed secrets plus the credentials a request carries itself (secret query param values, userinfo, secret header
 * values), so that a key passed only in the URL is also scrubbed from bodies and messages.
 * @example requestSecrets({ url: 'https://x.io/?apikey=ABCDEFGH123' }, []) // ['ABCDEFGH123']
 */
export function requestSecrets(
  request: { url: string; headers?: Record<string, string> | undefined },
  secrets: readonly string[] = [],
): string[] {
  const found = new Set(secrets.filter((s) => s.length > 0));
  const derived = (value: string) => {
    if (value.length >= MIN_DERIVED_SECRET_LENGTH) found.add(value);
  };
  const parts = splitUrl(request.url);
  if (parts !== undefined) {
    for (const [name, value] of parts.query) {
      if (value !== undefined && isSecretParam(name)) {
        derived(value);
        derived(safeDecode(value));
      }
    }
    if (parts.userinfo !== undefined) {
      for (const piece of parts.userinfo.split(':')) derived(safeDecode(piece));
    }
  }
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    if (!SECRET_HEADERS.has(name.toLowerCase())) continue;
    derived(value);
    // `Bearer <token>`, `Basic <base64>`: the credential alone may be echoed back.
    const space = value.indexOf(' ');
    if (space > 0) derived(value.slice(space + 1).trim());
  }
  return [...found];
}

export interface UrlParts {
  /** scheme://host[:port], lower-cased, without userinfo. */
  origin: string;
  userinfo: string | undefined;
  path: string;
  hasQuery: boolean;
  /** Raw `name` / `value` pairs in order; `value` is undefined for a bare `name` without `=`. */
  query: Array<[string, string | undefined]>;
  fragment: string;
}

/** An absolute URL cut into its raw parts without re-encoding anything; undefined if it is not an absolute URL. */
export function splitUrl(url: string): UrlParts | undefined {
  const m = URL_SHAPE.exec(url);
  if (m === null) return undefined;
  const search = m[5];
  const query: Array<[string, string | undefined]> = [];
  if (search !== undefined && search.length > 1) {
    for (const pair of search.slice(1).split('&')) {
      if (pair === '') continue;
      const eq = pair.indexOf('=');
      query.push(eq < 0 ? [pair, undefined] : [pair.slice(0, eq), pair.slice(eq + 1)]);
    }
  }
  const userinfo = m[2];
  return {
    origin: (m[1]! + m[3]!).toLowerCase(),
    userinfo: userinfo === undefined ? undefined : userinfo.slice(0, -1),
    path: m[4]!,
    hasQuery: search !== undefined,
    query,
    fragment: m[6] ?? '',
  };
}

const formsCache = new WeakMap<readonly string[], string[]>();

function secretForms(secrets: readonly string[]): string[] {
  const cached = formsCache.get(secrets);
  if (cached !== undefined) return cached;
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret.length === 0) continue;
    forms.add(secret);
    forms.add(encodeURIComponent(secret));
    forms.add(JSON.stringify(secret).slice(1, -1));
  }
  // Longest first, so a secret that contains another is replaced whole.
  const sorted = [...forms].sort((a, b) => b.length - a.length);
  formsCache.set(secrets, sorted);
  return sorted;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}
