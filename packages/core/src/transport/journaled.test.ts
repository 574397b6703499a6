import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FundflowError } from '../errors';
import { http } from './http';
import { journaled } from './journaled';
import { json, send, startTestServer, type TestServer } from './test-server';

let server: TestServer;
let dir: string;
beforeAll(async () => {
  server = await startTestServer();
  server.route('/j/', (hit, _n, res) =>
    hit.path.includes('fail') ? send(res, 500, 'boom') : json(res, 200, { path: hit.path }),
  );
  dir = await mkdtemp(join(tmpdir(), 'fundflow-journal-'));
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

const get = (path: string) => ({ method: 'GET', url: `${server.url}${path}` }) as const;

function lines(path: string): string[] {
  return readFileSync(path, 'utf8').split('\n');
}

describe('journaled', () => {
  it('serves a re-run from the journal after a torn last line, with no server hits, and repairs the file', async () => {
    const path = join(dir, 'torn', 'trace.jsonl');
    const first = journaled(http(), path);
    for (const p of ['/j/torn/1', '/j/torn/2', '/j/torn/3']) await first.request(get(p));
    first.close();
    const good = readFileSync(path, 'utf8');
    expect(good.split('\n')).toHaveLength(4);
    // Killed while writing the fourth line.
    appendFileSync(path, lines(path)[0]!.slice(0, 57));

    const hitsBefore = server.hitsTo('/j/torn/').length;
    const again = journaled(http(), path);
    expect(readFileSync(path, 'utf8')).toBe(good);
    for (const p of ['/j/torn/1', '/j/torn/2', '/j/torn/3']) {
      expect((await again.request(get(p))).json).toEqual({ path: p });
    }
    expect(server.hitsTo('/j/torn/')).toHaveLength(hitsBefore);
    expect(again.served()).toBe(3);
    expect(again.stats().sent).toBe(0);

    await again.request(get('/j/torn/4'));
    again.close();
    expect(server.hitsTo('/j/torn/')).toHaveLength(hitsBefore + 1);
    const after = lines(path);
    expect(after).toHaveLength(5);
    for (const line of after.slice(0, 4)) expect(() => JSON.parse(line)).not.toThrow();
  });

  it('keeps a complete last line that lost only its newline', async () => {
    const path = join(dir, 'nonewline.jsonl');
    const t = journaled(http(), path);
    await t.request(get('/j/nl/1'));
    t.close();
    writeFileSync(path, readFileSync(path, 'utf8').trimEnd());
    const again = journaled(http(), path);
    await again.request(get('/j/nl/1'));
    await again.request(get('/j/nl/2'));
    again.close();
    expect(again.served()).toBe(1);
    expect(lines(path).filter((l) => l !== '')).toHaveLength(2);
    expect(readFileSync(path, 'utf8').endsWith('\n')).toBe(true);
  });

  it('refuses a journal corrupt before its last line', async () => {
    const path = join(dir, 'corrupt.jsonl');
    const t = journaled(http(), path);
    for (const p of ['/j/c/1', '/j/c/2', '/j/c/3']) await t.request(get(p));
    t.close();
    const [a, b, c] = lines(path);
    writeFileSync(path, `${a}\n${b!.replace('/j/c/2', '/j/c/X')}\n${c}\n`);
    let err: unknown;
    try {
      journaled(http(), path);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FundflowError);
    expect((err as FundflowError).code).toBe('FIXTURE_CORRUPT');
    expect((err as FundflowError).message).toContain(':2');
    writeFileSync(path, `${a}\n{"torn\n${c}\n`);
    expect(() => journaled(http(), path)).toThrow(/:2/);
  });

  it('journals concurrent identical misses once and does not journal errors', async () => {
    const path = join(dir, 'concurrent.jsonl');
    const t = journaled(http({ retries: 0 }), path);
    const [a, b] = await Promise.all([t.request(get('/j/same')), t.request(get('/j/same'))]);
    expect(b.body).toBe(a.body);
    await expect(t.request(get('/j/fail'))).rejects.toMatchObject({ code: 'HTTP_ERROR' });
    t.close();
    expect(lines(path).filter((l) => l !== '')).toHaveLength(1);
    expect(t.toCassette().size).toBe(1);
  });

  it('throws after close for requests it would have to fetch', async () => {
    const path = join(dir, 'closed.jsonl');
    const t = journaled(http(), path);
    await t.request(get('/j/closed/1'));
    t.close();
    expect((await t.request(get('/j/closed/1'))).status).toBe(200);
    await expect(t.request(get('/j/closed/2'))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
