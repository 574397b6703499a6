import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cassette } from './cassette';
import { loadCassette, saveCassette } from './cassette-fs';
import { http } from './http';
import { recording } from './recording';
import { replaying } from './replaying';
import { failure } from './test-helpers';
import { json, send, startTestServer, type TestServer } from './test-server';

let server: TestServer;
let dir: string;
beforeAll(async () => {
  server = await startTestServer();
  dir = await mkdtemp(join(tmpdir(), 'fundflow-cassette-'));
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('cassette files', () => {
  it('record → save → load → replay round trip, byte-identical on a second save', async () => {
    server.route('/api/tx/', (hit, _n, res) =>
      hit.path.endsWith('/missing')
        ? send(res, 404, 'Transaction not found')
        : json(res, 200, { txid: hit.path.slice(8) }),
    );
    server.route('/rpc', (hit, _n, res) => {
      const call = JSON.parse(hit.body) as { id: number; method: string };
      json(res, 200, { jsonrpc: '2.0', id: call.id, result: call.method });
    });
    const recorded = new Cassette();
    const live = recording(http(), recorded);
    const requests = [
      { method: 'GET', url: `${server.url}/api/tx/aa`, immutable: true },
      { method: 'GET', url: `${server.url}/api/tx/bb` },
      { method: 'GET', url: `${server.url}/api/tx/missing` },
      { method: 'POST', url: `${server.url}/rpc`, body: '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}' },
    ] as const;
    const liveAnswers = [];
    for (const r of requests) liveAnswers.push(await live.request(r));
    const first = join(dir, 'first');
    await saveCassette(first, recorded);

    const loaded = await loadCassette(first);
    expect(loaded.size).toBe(4);
    const offline = replaying(loaded);
    for (const [i, r] of requests.entries()) expect(await offline.request(r)).toEqual(liveAnswers[i]);
    expect(server.hits).toHaveLength(4);

    const second = join(dir, 'second');
    await saveCassette(second, loaded);
    for (const name of ['cassette.json', 'manifest.json']) {
      expect(await readFile(join(second, name), 'utf8')).toBe(await readFile(join(first, name), 'utf8'));
    }
  });

  it('throws FIXTURE_MISSING with the path for a missing directory or file', async () => {
    const nowhere = join(dir, 'nowhere');
    const err = await failure(loadCassette(nowhere));
    expect(err.code).toBe('FIXTURE_MISSING');
    expect(String(err.details.path)).toContain(nowhere);
    const half = join(dir, 'half');
    await saveCassette(half, new Cassette());
    await rm(join(half, 'manifest.json'));
    const err2 = await failure(loadCassette(half));
    expect(err2.code).toBe('FIXTURE_MISSING');
    expect(err2.details.path).toBe(join(half, 'manifest.json'));
  });

  it('throws FIXTURE_CORRUPT for a file with a flipped body byte', async () => {
    const c = new Cassette();
    server.route('/flip', (_hit, _n, res) => json(res, 200, { value: 1000 }));
    await recording(http(), c).request({ method: 'GET', url: `${server.url}/flip` });
    const d = join(dir, 'flip');
    await saveCassette(d, c);
    const path = join(d, 'cassette.json');
    const text = await readFile(path, 'utf8');
    await writeFile(path, text.replace('1000', '1001'));
    const err = await failure(loadCassette(d));
    expect(err.code).toBe('FIXTURE_CORRUPT');
    expect(err.details.url).toBe(`${server.url}/flip`);
  });
});
