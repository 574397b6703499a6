import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FundflowError } from '../errors';
import { Cassette } from './cassette';
import { saveCassette } from './cassette-fs';
import { http, type TransportEvent } from './http';
import { journaled } from './journaled';
import { recording } from './recording';
import { replaying } from './replaying';
import { failure } from './test-helpers';
import { json, send, startTestServer, type TestServer } from './test-server';

const KEY = 'LIVEKEY0123456789ABCDEF';

let server: TestServer;
let dir: string;
beforeAll(async () => {
  server = await startTestServer();
  dir = await mkdtemp(join(tmpdir(), 'fundflow-recording-'));
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('recording', () => {
  it('records returned answers (2xx and 4xx), not thrown errors, and passes stats through', async () => {
    server.route('/r/ok', (_hit, _n, res) => json(res, 200, { ok: 1 }));
    server.route('/r/404', (_hit, _n, res) => send(res, 404, 'not found'));
    server.route('/r/500', (_hit, _n, res) => send(res, 500, 'boom'));
    const cassette = new Cassette();
    const inner = http({ retries: 1, backoff: { baseMs: 1, maxMs: 2 } });
    const t = recording(inner, cassette);
    await t.request({ method: 'GET', url: `${server.url}/r/ok` });
    await t.request({ method: 'GET', url: `${server.url}/r/404` });
    expect((await failure(t.request({ method: 'GET', url: `${server.url}/r/500` }))).code).toBe('HTTP_ERROR');
    expect(
      cassette
        .entries()
        .map((e) => [e.request.url.slice(server.url.length), e.status])
        .sort(),
    ).toEqual([
      ['/r/404', 404],
      ['/r/ok', 200],
    ]);
    expect(t.stats()).toEqual(inner.stats());
    expect(t.stats().sent).toBe(4);
  });

  it('keeps an API key out of cassette files, the journal, errors and log events', async () => {
    server.route('/leak/echo', (hit, _n, res) => json(res, 200, { youAskedFor: hit.path }));
    server.route('/leak/bad', (_hit, _n, res) => send(res, 200, '{"oops"', { 'content-type': 'application/json' }));
    server.route('/leak/500', (_hit, _n, res) => send(res, 500, `upstream said ${KEY}`));
    server.route('/leak/notfound', (hit, _n, res) => send(res, 404, `no route for ${hit.path}`));
    const events: TransportEvent[] = [];
    const live = http({ secrets: [KEY], retries: 1, backoff: { baseMs: 1, maxMs: 2 }, onEvent: (e) => events.push(e) });
    const cassette = new Cassette();
    const journalPath = join(dir, 'leak.jsonl');
    const journal = journaled(recording(live, cassette, { secrets: [KEY] }), journalPath, { secrets: [KEY] });
    const errors: FundflowError[] = [];
    const urls = [
      `${server.url}/leak/echo?module=account&apikey=${KEY}`,
      `${server.url}/leak/echo/${KEY}/path`,
      `${server.url}/leak/notfound?API_KEY=${encodeURIComponent(KEY)}`,
      `${server.url}/leak/bad?apikey=${KEY}`,
      `${server.url}/leak/500?apikey=${KEY}`,
    ];
    for (const url of urls) {
      try {
        await journal.request({ method: 'GET', url });
      } catch (e) {
        errors.push(e as FundflowError);
      }
    }
    await journal
      .request({
        method: 'POST',
        url: `${server.url}/leak/echo`,
        body: `{"jsonrpc":"2.0","id":1,"method":"x","params":["${KEY}"]}`,
      })
      .catch((e: FundflowError) => errors.push(e));
    const offline = replaying(cassette, { secrets: [KEY] });
    await offline
      .request({ method: 'GET', url: `${server.url}/leak/unrecorded?apikey=${KEY}` })
      .catch((e: FundflowError) => errors.push(e));
    journal.close();

    // The key did reach the server: redaction happens on the way back only.
    expect(server.hitsTo('/leak/').some((h) => h.path.includes(KEY))).toBe(true);
    expect(errors.map((e) => e.code).sort()).toEqual(['BAD_RESPONSE', 'FIXTURE_MISSING', 'HTTP_ERROR']);
    expect(cassette.size).toBe(4);

    await saveCassette(join(dir, 'leak'), cassette);
    const outputs = [
      await readFile(join(dir, 'leak', 'cassette.json'), 'utf8'),
      await readFile(join(dir, 'leak', 'manifest.json'), 'utf8'),
      await readFile(journalPath, 'utf8'),
      JSON.stringify(events),
      ...errors.flatMap((e) => [e.message, JSON.stringify(e.details), JSON.stringify(e), String(e.cause ?? '')]),
    ];
    expect(outputs[0]).toContain('apikey=***');
    for (const text of outputs) {
      expect(text).not.toContain(KEY);
      expect(text).not.toContain(encodeURIComponent(KEY));
    }
  });

  it('replaces a key the answer echoes in recorded and returned bodies alike, even from a non-http inner transport', async () => {
    const body = `{"url":"https://x.io/v2/${KEY}"}`;
    const inner = {
      request: async () => ({ status: 200, headers: {}, body, sha256: 'x'.repeat(64) }),
      stats: () => ({ sent: 0, retries: 0, rateLimited: 0, cacheHits: 0, dedupeHits: 0 }),
    };
    const cassette = new Cassette();
    const res = await recording(inner, cassette, { secrets: [KEY] }).request({
      method: 'GET',
      url: `https://x.io/v2/${KEY}`,
    });
    expect(res.json).toEqual({ url: 'https://x.io/v2/***' });
    const [entry] = cassette.entries();
    expect(entry!.body).toBe(res.body);
    expect(entry!.sha256).toBe(res.sha256);
    expect(entry!.request.url).toBe('https://x.io/v2/***');
  });
});
