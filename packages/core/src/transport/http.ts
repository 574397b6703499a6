import PQueue from 'p-queue';
import { FundflowError, type FundflowErrorCode, isFundflowError } from '../errors';
import { bodyExcerpt } from '../source-kit/parse-wire';
import { sha256Hex } from '../util/hash';
import { redactText, redactUrl, replaceSecrets, requestSecrets, splitUrl } from './redact';
import { requestKey } from './request-key';
import type { Transport, TransportRequest, TransportResponse, TransportStats } from './types';

export interface HttpRateLimit {
  /**
   * Most requests per host in any 1 s window, as the server sees them: p-queue's strict sliding window, and a slot is
   * only freed 1 s after its answer came back. A fraction below 1 widens the window (0.5 → 1 per 2 s); above 1 it
   * rounds down.
   */
  requestsPerSecond: number;
  /** How many may start back to back; the rest are spread over the second. Default 1: starts evenly spaced. */
  burst?: number;
}

export interface HttpBackoff {
  /** First retry waits up to this long (full jitter), doubling each retry. Default 250. */
  baseMs?: number;
  /** Cap of the exponential part. Default 8000. A longer `Retry-After` still wins. */
  maxMs?: number;
  /** Uniform [0, 1) source for the jitter; injectable for tests. Default Math.random. */
  random?: () => number;
}

/**
 * What a response's content says beyond its status: Etherscan's HTTP-200 `NOTOK … rate limit` → `'rate-limited'`
 * (retried, then RATE_LIMITED); `'retry'` is retried, then BAD_RESPONSE; undefined returns the response.
 */
export type RetryVerdict = 'rate-limited' | 'retry' | undefined;

/** Log events. URLs are redacted; nothing here ever holds a secret. */
export type TransportEvent =
  | { type: 'request'; method: string; url: string; attempt: number }
  | { type: 'response'; method: string; url: string; attempt: number; status: number; ms: number }
  | {
      type: 'retry';
      method: string;
      url: string;
      attempt: number;
      code: FundflowErrorCode;
      delayMs: number;
      message: string;
    }
  | { type: 'cache-hit'; method: string; url: string }
  | { type: 'dedupe-hit'; method: string; url: string }
  | { type: 'error'; method: string; url: string; code: FundflowErrorCode; message: string };

export interface HttpOptions {
  rateLimit?: HttpRateLimit;
  /** Requests in flight at once, per host. Default 16. */
  concurrency?: number;
  /** Retries after the first attempt. Default 5. */
  retries?: number;
  backoff?: HttpBackoff;
  /** Per attempt, including reading the body. Default 20000. */
  timeoutMs?: number;
  /** Values never to show anywhere (API keys in a path, tokens). Secret query params and headers are found by name. */
  secrets?: readonly string[];
  /** Sent with every request; a request's own headers win. */
  headers?: Record<string, string>;
  fetch?: typeof fetch;
  /** Immutable 2xx answers kept (LRU). Default 10000; 0 disables the cache. */
  cacheSize?: number;
  retryIf?: (response: TransportResponse) => RetryVerdict;
  onEvent?: (event: TransportEvent) => void;
}

/**
 * The network transport: per-host rate limit (p-queue, strict sliding window held until answers arrive), retries with exponential backoff and full
 * jitter on 429, 5xx, timeouts, network errors and HTML where JSON was expected; shared in-flight requests; LRU cache of
 * immutable answers. Browser-safe (uses `fetch`).
 * @example
 *   const transport = http({ rateLimit: { requestsPerSecond: 4 }, secrets: [apiKey] });
 *   const res = await transport.request({ method: 'GET', url: 'https://mempool.space/api/tx/…', immutable: true });
 */
export function http(options: HttpOptions = {}): Transport {
  const concurrency = options.concurrency ?? 16;
  const retries = options.retries ?? 5;
  const baseMs = options.backoff?.baseMs ?? 250;
  const maxMs = options.backoff?.maxMs ?? 8000;
  const random = options.backoff?.random ?? Math.random;
  const timeoutMs = options.timeoutMs ?? 20000;
  const secrets = options.secrets ?? [];
  const cacheSize = options.cacheSize ?? 10000;
  const fetchFn = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const limits = options.rateLimit === undefined ? undefined : rateLimitQueues(options.rateLimit);
  if (!Number.isInteger(retries) || retries < 0) throw invalid('retries must be a whole number ≥ 0');
  if (!(timeoutMs > 0)) throw invalid('timeoutMs must be > 0');
  if (!(concurrency >= 1)) throw invalid('concurrency must be ≥ 1');

  const stats: TransportStats = { sent: 0, retries: 0, rateLimited: 0, cacheHits: 0, dedupeHits: 0 };
  const hosts = new Map<string, HostQueues>();
  const cache = new Map<string, TransportResponse>();
  const inflight = new Map<string, Flight>();

  const emit = (event: TransportEvent) => {
    if (options.onEvent === undefined) return;
    try {
      options.onEvent(event);
    } catch {
      // A failing logger must not fail the request.
    }
  };

  function queuesFor(host: string): HostQueues {
    let q = hosts.get(host);
    if (q === undefined) {
      q = {
        ...(limits === undefined
          ? {}
          : {
              window: new PQueue({ ...limits.window, strict: true }),
              spread: new PQueue({ ...limits.spread, strict: true }),
            }),
        send: new PQueue({ concurrency }),
      };
      hosts.set(host, q);
    }
    return q;
  }

  async function attempt(ctx: Context, n: number, signal: AbortSignal): Promise<Outcome> {
    const { request, url, all } = ctx;
    const queues = queuesFor(ctx.host);
    try {
      // Both rate queues only hand out start tickets: `spread` spaces starts (burst), `window` keeps any sliding
      // window (1 s plus slack for arrival jitter) within the limit. The send queue bounds requests in flight.
      if (queues.spread !== undefined) await queues.spread.add(() => undefined, { signal });
      if (queues.window !== undefined) await queues.window.add(() => undefined, { signal });
      return await queues.send.add(() => send(ctx, n, signal), { signal });
    } catch (e) {
      if (signal.aborted && !isFundflowError(e)) throw aborted(request.method, url, all);
      throw e;
    }
  }

  async function send(ctx: Context, n: number, outer: AbortSignal): Promise<Outcome> {
    const { request, url, all } = ctx;
    const method = request.method;
    stats.sent++;
    emit({ type: 'request', method, url, attempt: n });
    const started = Date.now();
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onAbort = () => controller.abort();
    outer.addEventListener('abort', onAbort, { once: true });
    let status: number;
    let headers: Record<string, string>;
    let body: string;
    try {
      const res = await fetchFn(ctx.target, {
        method,
        headers: ctx.headers,
        ...(request.body === undefined ? {} : { body: request.body }),
        signal: controller.signal,
      });
      status = res.status;
      headers = keptHeaders(res.headers);
      body = replaceSecrets(await res.text(), all);
    } catch (e) {
      if (outer.aborted) throw aborted(method, url, all, e);
      if (timedOut) {
        return retry('TIMEOUT', `${method} ${url} did not answer within ${timeoutMs} ms`, { timeoutMs });
      }
      return retry('NETWORK_ERROR', `${method} ${url} failed: ${redactText(describe(e), all)}`, {});
    } finally {
      clearTimeout(timer);
      outer.removeEventListener('abort', onAbort);
    }
    emit({ type: 'response', method, url, attempt: n, status, ms: Date.now() - started });

    const retryAfterMs = parseRetryAfter(headers['retry-after']);
    const after = retryAfterMs === undefined ? {} : { retryAfterMs };
    if (status === 429) {
      stats.rateLimited++;
      return retry('RATE_LIMITED', `${method} ${url} was rate limited (HTTP 429)`, { status }, after);
    }
    if (status >= 500) {
      // What the server said goes into the error (its first words, or an HTML page's title): "upstream timed out" and
      // "node is syncing" call for different actions.
      const said = serverSays(body, headers);
      return retry(
        'HTTP_ERROR',
        `${method} ${url} answered HTTP ${status}${said === '' ? '' : `: ${said}`}`,
        { status, ...(said === '' ? {} : { body: said }) },
        after,
      );
    }

    const response: TransportResponse = { status, headers, body, sha256: sha256Hex(body) };
    if (status >= 200 && status < 300 && (request.expect ?? 'json') === 'json') {
      if (looksLikeHtml(body, headers)) {
        return retry('BAD_RESPONSE', `${method} ${url} answered HTML where JSON was expected`, { status });
      }
      try {
        response.json = JSON.parse(body);
      } catch {
        throw new FundflowError('BAD_RESPONSE', `${method} ${url} answered malformed JSON (HTTP ${status})`, {
          details: { method, url, status, sha256: response.sha256, bodyStart: body.slice(0, 200) },
        });
      }
    }
    const verdict = options.retryIf?.(response);
    if (verdict === 'rate-limited') {
      stats.rateLimited++;
      return retry('RATE_LIMITED', `${method} ${url} was rate limited (${body.slice(0, 120)})`, { status }, after);
    }
    if (verdict === 'retry')
      return retry('BAD_RESPONSE', `${method} ${url} answered an error worth retrying`, { status });
    return { response };

    function retry(
      code: FundflowErrorCode,
      message: string,
      extra: Record<string, unknown>,
      more: { retryAfterMs?: number } = {},
    ): Outcome {
      return { failure: new FundflowError(code, message, { details: { method, url, ...extra } }), ...more };
    }
  }

  async function perform(ctx: Context, signal: AbortSignal): Promise<TransportResponse> {
    let last: Outcome | undefined;
    for (let n = 0; n <= retries; n++) {
      if (last?.failure !== undefined) {
        const jittered = Math.floor(random() * Math.min(maxMs, baseMs * 2 ** (n - 1)));
        const delayMs = Math.max(jittered, last.retryAfterMs ?? 0);
        stats.retries++;
        emit({
          type: 'retry',
          method: ctx.request.method,
          url: ctx.url,
          attempt: n,
          code: last.failure.code,
          delayMs,
          message: last.failure.message,
        });
        await sleep(delayMs, signal, () => aborted(ctx.request.method, ctx.url, ctx.all));
      }
      last = await attempt(ctx, n, signal);
      if (last.response !== undefined) {
        if (ctx.request.immutable && last.response.status >= 200 && last.response.status < 300) {
          remember(ctx.cacheKey, last.response);
        }
        return last.response;
      }
    }
    const failure = last!.failure!;
    const attempts = retries + 1;
    throw new FundflowError(
      failure.code,
      `${failure.message}; gave up after ${attempts} attempt${attempts === 1 ? '' : 's'}`,
      { details: { ...failure.details, attempts } },
    );
  }

  function remember(key: string, response: TransportResponse) {
    if (cacheSize <= 0) return;
    cache.delete(key);
    cache.set(key, response);
    if (cache.size > cacheSize) cache.delete(cache.keys().next().value!);
  }

  async function request(request: TransportRequest, signal?: AbortSignal): Promise<TransportResponse> {
    const headers = { ...options.headers, ...request.headers };
    const all = requestSecrets({ url: request.url, headers }, secrets);
    const url = redactUrl(request.url, all);
    const method = request.method;
    const parts = splitUrl(request.url);
    if (parts === undefined || !/^https?:\/\//.test(parts.origin)) {
      throw invalid(`${method} ${url}: not an absolute http(s) URL`, { method, url });
    }
    if (signal?.aborted) throw aborted(method, url, all);
    const cacheKey = `${request.expect ?? 'json'} ${requestKey(request, secrets)}`;
    try {
      if (request.immutable) {
        const hit = cache.get(cacheKey);
        if (hit !== undefined) {
          cache.delete(cacheKey);
          cache.set(cacheKey, hit);
          stats.cacheHits++;
          emit({ type: 'cache-hit', method, url });
          return copy(hit);
        }
      }
      let flight = inflight.get(cacheKey);
      if (flight === undefined) {
        const controller = new AbortController();
        const ctx: Context = {
          request,
          url,
          all,
          host: parts.origin.replace(/^[a-z]+:\/\//, ''),
          cacheKey,
          ...withoutUserinfo(request.url, parts.userinfo, headers),
        };
        const created: Flight = { promise: perform(ctx, controller.signal), controller, waiters: 0 };
        const done = () => {
          if (inflight.get(cacheKey) === created) inflight.delete(cacheKey);
        };
        created.promise.then(done, done);
        inflight.set(cacheKey, created);
        flight = created;
      } else {
        stats.dedupeHits++;
        emit({ type: 'dedupe-hit', method, url });
      }
      return copy(await wait(flight, signal, () => aborted(method, url, all)));
    } catch (e) {
      if (isFundflowError(e)) emit({ type: 'error', method, url, code: e.code, message: e.message });
      throw e;
    }
  }

  return { request, stats: () => ({ ...stats }) };
}

interface Context {
  request: TransportRequest;
  /** Redacted, for messages and events. */
  url: string;
  /** Every secret of this request: listed ones plus those it carries. */
  all: string[];
  host: string;
  cacheKey: string;
  /** The URL fetched: userinfo moved into an Authorization header, as fetch refuses URLs with credentials. */
  target: string;
  headers: Record<string, string>;
}

interface Outcome {
  response?: TransportResponse;
  failure?: FundflowError;
  retryAfterMs?: number;
}

interface Flight {
  promise: Promise<TransportResponse>;
  controller: AbortController;
  /** Callers waiting; the shared request is aborted only when every one of them has given up. */
  waiters: number;
}

interface HostQueues {
  /** Strict sliding window of `requestsPerSecond`; each slot held until 1 s after its answer. */
  window?: PQueue;
  /** Spaces starts out when `burst` is below the rate. */
  spread?: PQueue;
  /** In-flight limit (`concurrency`). */
  send: PQueue;
}

function rateLimitQueues(limit: HttpRateLimit): {
  window: { intervalCap: number; interval: number };
  spread: { intervalCap: number; interval: number };
} {
  const rps = limit.requestsPerSecond;
  if (!(rps > 0) || !Number.isFinite(rps)) throw invalid('rateLimit.requestsPerSecond must be a positive number');
  const cap = Math.max(1, Math.floor(rps));
  const window = { intervalCap: cap, interval: Math.max(1000, Math.ceil((1000 * cap) / rps)) + WINDOW_SLACK_MS };
  const burst = Math.min(limit.burst ?? 1, cap);
  if (!Number.isInteger(burst) || burst < 1) throw invalid('rateLimit.burst must be a whole number ≥ 1');
  return { window, spread: { intervalCap: burst, interval: Math.ceil((1000 * burst) / rps) } };
}

/**
 * Added to the 1 s window: a request reaches the server a little after it starts (a new connection's handshake
 * takes longer than a reused one's), so starts exactly 1 s apart could land inside one server-side second.
 */
const WINDOW_SLACK_MS = 50;

async function wait(flight: Flight, signal: AbortSignal | undefined, onAbort: () => FundflowError) {
  flight.waiters++;
  if (signal === undefined) return flight.promise;
  return new Promise<TransportResponse>((resolve, reject) => {
    const abort = () => {
      flight.waiters--;
      if (flight.waiters === 0) flight.controller.abort();
      reject(onAbort());
    };
    signal.addEventListener('abort', abort, { once: true });
    flight.promise.then(
      (r) => {
        signal.removeEventListener('abort', abort);
        resolve(r);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', abort);
        reject(e);
      },
    );
  });
}

function sleep(ms: number, signal: AbortSignal, onAbort: () => FundflowError): Promise<void> {
  if (signal.aborted) return Promise.reject(onAbort());
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', abort);
      resolve();
    }, ms);
    const abort = () => {
      clearTimeout(timer);
      reject(onAbort());
    };
    signal.addEventListener('abort', abort, { once: true });
  });
}

function withoutUserinfo(
  url: string,
  userinfo: string | undefined,
  headers: Record<string, string>,
): { target: string; headers: Record<string, string> } {
  if (userinfo === undefined) return { target: url, headers };
  const target = url.replace(`${userinfo}@`, '');
  if (Object.keys(headers).some((h) => h.toLowerCase() === 'authorization')) return { target, headers };
  const colon = userinfo.indexOf(':');
  const user = colon < 0 ? userinfo : userinfo.slice(0, colon);
  const pass = colon < 0 ? '' : userinfo.slice(colon + 1);
  const bytes = new TextEncoder().encode(`${decode(user)}:${decode(pass)}`);
  const basic = btoa(String.fromCharCode(...bytes));
  return { target, headers: { ...headers, authorization: `Basic ${basic}` } };
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function copy(response: TransportResponse): TransportResponse {
  return { ...response, headers: { ...response.headers } };
}

function keptHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    const n = name.toLowerCase();
    if (n === 'content-type' || n === 'retry-after' || n.startsWith('x-ratelimit-')) out[n] = value;
  });
  return out;
}

/** An error page's gist: the `<title>` of an HTML page, else the body's first 200 characters, whitespace folded. */
function serverSays(body: string, headers: Record<string, string>): string {
  if (looksLikeHtml(body, headers)) {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(body)?.[1];
    return title === undefined ? 'an HTML page' : bodyExcerpt(title);
  }
  return bodyExcerpt(body);
}

function looksLikeHtml(body: string, headers: Record<string, string>): boolean {
  return body.trimStart().startsWith('<') || /\btext\/html\b/i.test(headers['content-type'] ?? '');
}

function parseRetryAfter(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

function describe(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const cause = e.cause instanceof Error ? `: ${e.cause.message}` : '';
  return e.message + cause;
}

function aborted(method: string, url: string, all: readonly string[], cause?: unknown): FundflowError {
  const reason = cause === undefined ? '' : `: ${redactText(describe(cause), all)}`;
  return new FundflowError('ABORTED', `${method} ${url} was aborted${reason}`, { details: { method, url } });
}

function invalid(message: string, details: Record<string, unknown> = {}): FundflowError {
  return new FundflowError('INVALID_ARGUMENT', `http transport: ${message}`, { details });
}
