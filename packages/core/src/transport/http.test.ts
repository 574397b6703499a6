import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../util/hash';
import { http, type TransportEvent } from './http';
import { failure } from './test-helpers';
import { json, NGINX_429, send, startTestServer, type TestServer } from './test-server';

const KEY = 'SEKRETKEY1234567890';
const fast = { baseMs: 1, maxMs: 5 };

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

function maxInWindow(times: number[], windowMs: number): number {
  const t = [...times].sort((a, b) => a - b);
  let max = 0;
  for (let i = 0; i < t.length; i++) {
    let n = 0;
    for (let j = i; j < t.length && t[j]! - t[i]! < windowMs; j++) n++;
    max = Math.max(max, n);
  }
  return max;
}

describe('http', () => {
  it('returns parsed JSON, the body hash and only the kept headers', async () => {
    server.route('/ok', (_hit, _n, res) =>
      json(
        res,
        200,
        { a: 1 },
        { 'x-ratelimit-remaining': '9', 'set-cookie': 'sid=1', 'x-other': 'y', 'retry-after': '3' },
      ),
    );
    const t = http();
    const res = await t.request({ method: 'GET', url: `${server.url}/ok` });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ a: 1 });
    expect(res.sha256).toBe(sha256Hex('{"a":1}'));
    expect(res.headers).toEqual({
      'content-type': 'application/json',
      'retry-after': '3',
      'x-ratelimit-remaining': '9',
    });
    expect(t.stats()).toEqual({ sent: 1, retries: 0, rateLimited: 0, cacheHits: 0, dedupeHits: 0 });
  });

  it('backs off on 429 with an nginx HTML body and throws RATE_LIMITED when the budget is spent', async () => {
    server.route('/limited', (_hit, _n, res) => send(res, 429, NGINX_429, { 'content-type': 'text/html' }));
    const events: TransportEvent[] = [];
    const t = http({
      retries: 3,
      backoff: { baseMs: 10, maxMs: 25, random: () => 0.999 },
      onEvent: (e) => events.push(e),
    });
    const err = await failure(t.request({ method: 'GET', url: `${server.url}/limited?apikey=${KEY}` }));
    expect(err.code).toBe('RATE_LIMITED');
    expect(err.details).toMatchObject({ attempts: 4, status: 429 });
    expect(server.hitsTo('/limited')).toHaveLength(4);
    expect(events.filter((e) => e.type === 'retry').map((e) => (e.type === 'retry' ? e.delayMs : 0))).toEqual([
      9, 19, 24,
    ]);
    expect(t.stats()).toMatchObject({ sent: 4, retries: 3, rateLimited: 4 });
    expect(JSON.stringify([err.message, err.details, events])).not.toContain(KEY);
  });

  it('recovers when a 429 or a 500 is followed by an answer', async () => {
    server.route('/flaky', (_hit, n, res) =>
      n === 1 ? send(res, 429, NGINX_429) : n === 2 ? send(res, 502, 'bad gateway') : json(res, 200, [1]),
    );
    const t = http({ backoff: fast });
    const res = await t.request({ method: 'GET', url: `${server.url}/flaky` });
    expect(res.json).toEqual([1]);
    expect(t.stats()).toMatchObject({ sent: 3, retries: 2, rateLimited: 1 });
  });

  it('throws HTTP_ERROR with the status after repeated 5xx', async () => {
    server.route('/down', (_hit, _n, res) => send(res, 503, 'down'));
    const err = await failure(
      http({ retries: 2, backoff: fast }).request({ method: 'GET', url: `${server.url}/down` }),
    );
    expect(err.code).toBe('HTTP_ERROR');
    expect(err.details.status).toBe(503);
    expect(err.message).toContain('answered HTTP 503: down; gave up after 3 attempts');
    expect(server.hitsTo('/down')).toHaveLength(3);
  });

  it('names what a failing server said: the text, or an HTML page title; never a secret it echoed', async () => {
    server.route('/syncing', (_hit, _n, res) => send(res, 503, 'node is syncing, key=S3CRETKEY'));
    server.route('/gateway', (_hit, _n, res) =>
      send(res, 502, '<!doctype html><html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>'),
    );
    const t = http({ retries: 0, backoff: fast, secrets: ['S3CRETKEY'] });
    const syncing = await failure(t.request({ method: 'GET', url: `${server.url}/syncing` }));
    expect(syncing.message).toContain('answered HTTP 503: node is syncing, key=***');
    expect(JSON.stringify(syncing.details)).not.toContain('S3CRETKEY');
    const gateway = await failure(t.request({ method: 'GET', url: `${server.url}/gateway` }));
    expect(gateway.message).toContain('answered HTTP 502: 502 Bad Gateway');
    expect(gateway.details.body).toBe('502 Bad Gateway');
  });

  it('retries HTML where JSON was expected, then throws BAD_RESPONSE; accepts it as text', async () => {
    server.route('/html', (_hit, _n, res) => send(res, 200, '\n  <!doctype html><p>maintenance</p>'));
    const t = http({ retries: 2, backoff: fast });
    const err = await failure(t.request({ method: 'GET', url: `${server.url}/html` }));
    expect(err.code).toBe('BAD_RESPONSE');
    expect(server.hitsTo('/html')).toHaveLength(3);
    const text = await t.request({ method: 'GET', url: `${server.url}/html`, expect: 'text' });
    expect(text.body).toContain('maintenance');
    expect(text.json).toBeUndefined();
    expect(server.hitsTo('/html')).toHaveLength(4);
  });

  it('treats content-type text/html as HTML even when the body does not start with <', async () => {
    server.route('/typed-html', (_hit, n, res) =>
      n === 1 ? send(res, 200, 'oops', { 'content-type': 'text/html; charset=utf-8' }) : json(res, 200, {}),
    );
    const res = await http({ backoff: fast }).request({ method: 'GET', url: `${server.url}/typed-html` });
    expect(res.json).toEqual({});
    expect(server.hitsTo('/typed-html')).toHaveLength(2);
  });

  it('throws BAD_RESPONSE at once for malformed JSON, naming the URL without the key', async () => {
    server.route('/malformed', (_hit, _n, res) =>
      send(res, 200, '{"result": [1, 2', { 'content-type': 'application/json' }),
    );
    const err = await failure(
      http({ backoff: fast }).request({ method: 'GET', url: `${server.url}/malformed?module=account&apikey=${KEY}` }),
    );
    expect(err.code).toBe('BAD_RESPONSE');
    expect(server.hitsTo('/malformed')).toHaveLength(1);
    expect(err.message).toContain(`${server.url}/malformed?module=account&apikey=***`);
    expect(err.details.url).toBe(`${server.url}/malformed?module=account&apikey=***`);
    expect(JSON.stringify(err)).not.toContain(KEY);
    expect(err.message).not.toContain(KEY);
  });

  it('returns other 4xx answers instead of throwing', async () => {
    server.route('/missing', (_hit, _n, res) =>
      send(res, 404, 'Transaction not found', { 'content-type': 'text/plain' }),
    );
    const t = http({ backoff: fast });
    const res = await t.request({ method: 'GET', url: `${server.url}/missing` });
    expect(res).toMatchObject({ status: 404, body: 'Transaction not found' });
    expect(res.json).toBeUndefined();
    expect(t.stats()).toMatchObject({ sent: 1, retries: 0 });
  });

  it('times out each attempt and throws TIMEOUT', async () => {
    server.route('/slow', (_hit, _n, res) => {
      setTimeout(() => json(res, 200, {}), 400);
    });
    const started = performance.now();
    const err = await failure(
      http({ timeoutMs: 40, retries: 1, backoff: fast }).request({ method: 'GET', url: `${server.url}/slow` }),
    );
    expect(err.code).toBe('TIMEOUT');
    expect(server.hitsTo('/slow')).toHaveLength(2);
    expect(performance.now() - started).toBeLessThan(350);
  });

  it('throws NETWORK_ERROR when nothing listens, without the key', async () => {
    const other = await startTestServer();
    const url = `${other.url}/gone?apikey=${KEY}`;
    await other.close();
    const events: TransportEvent[] = [];
    const err = await failure(
      http({ retries: 1, backoff: fast, onEvent: (e) => events.push(e) }).request({ method: 'GET', url }),
    );
    expect(err.code).toBe('NETWORK_ERROR');
    expect(JSON.stringify([err, err.message, events, String(err.cause)])).not.toContain(KEY);
  });

  it('honours Retry-After seconds', async () => {
    server.route('/retry-after', (_hit, n, res) =>
      n === 1 ? send(res, 429, 'slow down', { 'retry-after': '1' }) : json(res, 200, { ok: true }),
    );
    const res = await http({ backoff: fast }).request({ method: 'GET', url: `${server.url}/retry-after` });
    expect(res.json).toEqual({ ok: true });
    const [first, second] = server.hitsTo('/retry-after');
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(990);
  });

  it('sends identical concurrent requests once', async () => {
    server.route('/dedupe', (_hit, _n, res) => {
      setTimeout(() => json(res, 200, { v: 1 }), 50);
    });
    const t = http();
    const req = { method: 'GET', url: `${server.url}/dedupe?b=2&a=1` } as const;
    const [a, b] = await Promise.all([t.request(req), t.request({ ...req, url: `${server.url}/dedupe?a=1&b=2` })]);
    expect(a.json).toEqual({ v: 1 });
    expect(b.body).toBe(a.body);
    expect(server.hitsTo('/dedupe')).toHaveLength(1);
    expect(t.stats()).toMatchObject({ sent: 1, dedupeHits: 1 });
  });

  it('shares one request between JSON-RPC calls that differ only in id', async () => {
    server.route('/rpc', (hit, _n, res) => {
      setTimeout(() => json(res, 200, { jsonrpc: '2.0', id: JSON.parse(hit.body).id, result: '0x1' }), 30);
    });
    const t = http();
    const call = (id: number) =>
      t.request({
        method: 'POST',
        url: `${server.url}/rpc`,
        body: JSON.stringify({ jsonrpc: '2.0', id, method: 'eth_chainId', params: [] }),
      });
    await Promise.all([call(1), call(2)]);
    expect(server.hitsTo('/rpc')).toHaveLength(1);
  });

  it('keeps the shared request alive when only one of its callers aborts', async () => {
    server.route('/abort-one', (_hit, _n, res) => {
      setTimeout(() => json(res, 200, { v: 2 }), 60);
    });
    const t = http();
    const req = { method: 'GET', url: `${server.url}/abort-one` } as const;
    const controller = new AbortController();
    const first = t.request(req, controller.signal);
    const second = t.request(req);
    controller.abort();
    expect((await failure(first)).code).toBe('ABORTED');
    expect((await second).json).toEqual({ v: 2 });
  });

  it('aborts a request waiting in the rate-limit queue', async () => {
    server.route('/queued', (_hit, _n, res) => json(res, 200, {}));
    const t = http({ rateLimit: { requestsPerSecond: 1 } });
    await t.request({ method: 'GET', url: `${server.url}/queued/1` });
    const controller = new AbortController();
    const waiting = t.request({ method: 'GET', url: `${server.url}/queued/2` }, controller.signal);
    setTimeout(() => controller.abort(), 20);
    expect((await failure(waiting)).code).toBe('ABORTED');
    expect(server.hitsTo('/queued')).toHaveLength(1);
  });

  it('caches 2xx answers to immutable requests (LRU)', async () => {
    server.route('/tx/', (hit, _n, res) => json(res, 200, { path: hit.path }));
    const t = http({ cacheSize: 2 });
    const get = (id: string, immutable = true) =>
      t.request({ method: 'GET', url: `${server.url}/tx/${id}`, immutable });
    await get('a');
    await get('a');
    expect(server.hitsTo('/tx/a')).toHaveLength(1);
    expect(t.stats().cacheHits).toBe(1);
    await get('b', false);
    await get('b', false);
    expect(server.hitsTo('/tx/b')).toHaveLength(2);
    await get('c');
    await get('d');
    await get('a');
    expect(server.hitsTo('/tx/a')).toHaveLength(2);
  });

  it('does not cache non-2xx answers', async () => {
    server.route('/nocache', (_hit, _n, res) => send(res, 404, 'nope'));
    const t = http();
    await t.request({ method: 'GET', url: `${server.url}/nocache`, immutable: true });
    await t.request({ method: 'GET', url: `${server.url}/nocache`, immutable: true });
    expect(server.hitsTo('/nocache')).toHaveLength(2);
  });

  it('never starts more than the limit in any 1 s window, as the server sees it', async () => {
    server.route('/rate/', (_hit, _n, res) => json(res, 200, {}));
    const t = http({ rateLimit: { requestsPerSecond: 8 } });
    await Promise.all(
      Array.from({ length: 24 }, (_, i) => t.request({ method: 'GET', url: `${server.url}/rate/${i}` })),
    );
    const times = server.hitsTo('/rate/').map((h) => h.at);
    expect(times).toHaveLength(24);
    expect(maxInWindow(times, 1000)).toBeLessThanOrEqual(8);
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThanOrEqual(2000);
  });

  it('spreads starts out when burst is smaller than the rate', async () => {
    server.route('/burst/', (_hit, _n, res) => json(res, 200, {}));
    // Spreading is a promise about when requests start, so it is measured where they start.
    const starts: number[] = [];
    const t = http({
      rateLimit: { requestsPerSecond: 20, burst: 2 },
      fetch: (input, init) => {
        starts.push(performance.now());
        return fetch(input, init);
      },
    });
    await Promise.all(
      Array.from({ length: 8 }, (_, i) => t.request({ method: 'GET', url: `${server.url}/burst/${i}` })),
    );
    // Pairs 100 ms apart; 50 ms spared for the process being descheduled between a start ticket and its fetch call.
    expect(maxInWindow(starts, 50)).toBe(2);
    expect(Math.max(...starts) - Math.min(...starts)).toBeGreaterThanOrEqual(250);
    expect(server.hitsTo('/burst/')).toHaveLength(8);
  });

  it('limits each host on its own', async () => {
    const other = await startTestServer();
    try {
      server.route('/host/', (_hit, _n, res) => json(res, 200, {}));
      other.route('/host/', (_hit, _n, res) => json(res, 200, {}));
      const t = http({ rateLimit: { requestsPerSecond: 5 } });
      const started = performance.now();
      await Promise.all(
        [server.url, other.url].flatMap((base) =>
          Array.from({ length: 5 }, (_, i) => t.request({ method: 'GET', url: `${base}/host/${i}` })),
        ),
      );
      // Evenly spaced at 5/s, each host's five take 0.8 s; one shared limit would need 1.8 s for all ten.
      expect(performance.now() - started).toBeLessThan(1400);
      expect(other.hitsTo('/host/')).toHaveLength(5);
    } finally {
      await other.close();
    }
  });

  it('retries what retryIf calls rate-limited (Etherscan NOTOK with HTTP 200)', async () => {
    const notok = { status: '0', message: 'NOTOK', result: 'Max calls per sec rate limit reached (3/sec)' };
    server.route('/etherscan', (_hit, n, res) =>
      n === 1 ? json(res, 200, notok) : json(res, 200, { status: '1', message: 'OK', result: [] }),
    );
    server.route('/always-notok', (_hit, _n, res) => json(res, 200, notok));
    const retryIf = (r: { json?: unknown }) => {
      const body = r.json as { status?: string; result?: unknown } | undefined;
      return body?.status === '0' && typeof body.result === 'string' && /rate limit/i.test(body.result)
        ? ('rate-limited' as const)
        : undefined;
    };
    const t = http({ backoff: fast, retryIf });
    const res = await t.request({ method: 'GET', url: `${server.url}/etherscan` });
    expect(res.json).toMatchObject({ status: '1' });
    expect(t.stats()).toMatchObject({ sent: 2, rateLimited: 1 });
    const err = await failure(
      http({ retries: 1, backoff: fast, retryIf }).request({ method: 'GET', url: `${server.url}/always-notok` }),
    );
    expect(err.code).toBe('RATE_LIMITED');
  });

  it('sends configured headers and credentials but shows them nowhere', async () => {
    server.route('/v2/', (hit, _n, res) => json(res, 200, { echo: hit.path, auth: hit.headers.authorization }));
    const events: TransportEvent[] = [];
    const t = http({
      secrets: [KEY],
      headers: { 'user-agent': 'fundflow-test', 'x-api-key': 'HEADERSECRET99' },
      onEvent: (e) => events.push(e),
    });
    const res = await t.request({
      method: 'GET',
      url: `${server.url}/v2/${KEY}/blocks?token=TOKENVALUE123`,
      headers: { authorization: 'Bearer BEARERTOKEN42' },
    });
    const [hit] = server.hitsTo('/v2/');
    expect(hit!.path).toBe(`/v2/${KEY}/blocks?token=TOKENVALUE123`);
    expect(hit!.headers).toMatchObject({
      'user-agent': 'fundflow-test',
      'x-api-key': 'HEADERSECRET99',
      authorization: 'Bearer BEARERTOKEN42',
    });
    // The server echoed the credentials: the body handed on has them replaced, and its hash matches.
    expect(res.json).toEqual({ echo: '/v2/***/blocks?token=***', auth: '***' });
    expect(res.sha256).toBe(sha256Hex(res.body));
    const shown = JSON.stringify([res, events]);
    for (const secret of [KEY, 'TOKENVALUE123', 'HEADERSECRET99', 'BEARERTOKEN42']) expect(shown).not.toContain(secret);
  });

  it('moves userinfo into a Basic Authorization header', async () => {
    server.route('/basic-auth', (hit, _n, res) => json(res, 200, { auth: hit.headers.authorization ?? null }));
    const url = server.url.replace('http://', 'http://alice:p%40ss@');
    const res = await http().request({ method: 'POST', url: `${url}/basic-auth`, body: '{}' });
    expect(res.json).toEqual({ auth: `Basic ${Buffer.from('alice:p@ss').toString('base64')}` });
  });

  it('uses an injected fetch', async () => {
    server.route('/injected', (_hit, _n, res) => json(res, 200, {}));
    const seen: string[] = [];
    const t = http({
      fetch: (input, init) => {
        seen.push(String(input));
        return fetch(input, init);
      },
    });
    await t.request({ method: 'GET', url: `${server.url}/injected` });
    expect(seen).toEqual([`${server.url}/injected`]);
  });

  it('rejects impossible options with INVALID_ARGUMENT', () => {
    for (const bad of [
      { rateLimit: { requestsPerSecond: 0 } },
      { rateLimit: { requestsPerSecond: 4, burst: 1.5 } },
      { retries: -1 },
      { timeoutMs: 0 },
    ]) {
      expect(() => http(bad)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    }
  });

  it('rejects a relative URL with INVALID_ARGUMENT', async () => {
    expect((await failure(http().request({ method: 'GET', url: '/tx/1' }))).code).toBe('INVALID_ARGUMENT');
  });
});
