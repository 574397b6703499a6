import { describe, expect, it } from 'vitest';
import { FundflowError } from '../errors';
import { sha256Hex } from '../util/hash';
import { Cassette } from './cassette';
import { type CassetteEntry, cassetteEntrySchema, createCassetteEntry, isCassetteEntry } from './cassette-entry';
import type { TransportResponse } from './types';

function response(body: string, status = 200): TransportResponse {
  return { status, headers: { 'content-type': 'application/json' }, body, sha256: sha256Hex(body) };
}

function entries(): CassetteEntry[] {
  return [
    createCassetteEntry(
      { method: 'GET', url: 'https://mempool.space/api/tx/aa' },
      response('{"txid":"aa","value":1000}'),
    ),
    createCassetteEntry(
      { method: 'GET', url: 'https://mempool.space/api/tx/bb' },
      response('{"txid":"bb","value":2000}'),
    ),
    createCassetteEntry(
      {
        method: 'POST',
        url: 'https://rpc.example/',
        body: '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}',
      },
      response('{"jsonrpc":"2.0","id":1,"result":"0x1"}'),
    ),
    createCassetteEntry(
      { method: 'GET', url: 'https://mempool.space/api/tx/cc' },
      response('Transaction not found', 404),
    ),
  ];
}

function corruptError(fn: () => unknown): FundflowError {
  try {
    fn();
  } catch (e) {
    if (e instanceof FundflowError) return e;
    throw e;
  }
  throw new Error('expected FIXTURE_CORRUPT');
}

describe('Cassette', () => {
  it('serializes deterministically: sorted by key, one entry per line', () => {
    const list = entries();
    const a = new Cassette(list).serialize();
    const b = new Cassette([...list].reverse()).serialize();
    expect(b).toEqual(a);
    const lines = a.cassette.split('\n');
    expect(lines[0]).toBe('{"format":"fundflow.cassette/1","entries":[');
    expect(lines).toHaveLength(list.length + 3);
    const keys = lines.slice(1, -2).map((l) => (JSON.parse(l.replace(/,$/, '')) as CassetteEntry).key);
    expect(keys).toEqual([...keys].sort());
    expect(JSON.parse(a.manifest)).toMatchObject({ format: 'fundflow.cassette-manifest/1', count: 4 });
  });

  it('parses what it serialized, byte-identical on the next serialize', () => {
    const first = new Cassette(entries()).serialize();
    const parsed = Cassette.parse(first.cassette, first.manifest);
    expect(parsed.size).toBe(4);
    expect(parsed.serialize()).toEqual(first);
    const e = entries()[0]!;
    expect(parsed.get(e.key)).toEqual(e);
  });

  it('serializes an empty cassette as valid files', () => {
    const { cassette, manifest } = new Cassette().serialize();
    expect(Cassette.parse(cassette, manifest).size).toBe(0);
  });

  it('put replaces the entry of the same key', () => {
    const c = new Cassette(entries());
    const e = entries()[0]!;
    c.put({ ...e, status: 201 });
    expect(c.size).toBe(4);
    expect(c.get(e.key)?.status).toBe(201);
  });

  it('rejects a body with one byte flipped, naming the key and url', () => {
    const { cassette, manifest } = new Cassette(entries()).serialize();
    const flipped = cassette.replace('\\"value\\":1000', '\\"value\\":1001');
    expect(flipped).not.toBe(cassette);
    const err = corruptError(() => Cassette.parse(flipped, manifest, 'fixtures/x'));
    expect(err.code).toBe('FIXTURE_CORRUPT');
    expect(err.details.key).toBe(entries()[0]!.key);
    expect(err.details.url).toBe('https://mempool.space/api/tx/aa');
    expect(err.message).toContain('https://mempool.space/api/tx/aa');
    expect(err.message).toContain('fixtures/x/cassette.json');
  });

  it('rejects an entry whose sha256 differs from the manifest', () => {
    const { cassette, manifest } = new Cassette(entries()).serialize();
    const e = entries()[1]!;
    const other = '0'.repeat(64);
    const err = corruptError(() => Cassette.parse(cassette, manifest.replace(e.sha256, other)));
    expect(err.code).toBe('FIXTURE_CORRUPT');
    expect(err.details.key).toBe(e.key);
  });

  it('rejects a truncated cassette, naming the torn entry when it can', () => {
    const { cassette, manifest } = new Cassette(entries()).serialize();
    const lines = cassette.split('\n');
    const torn = `${lines.slice(0, 3).join('\n')}\n${lines[3]!.slice(0, -30)}`;
    const err = corruptError(() => Cassette.parse(torn, manifest));
    expect(err.code).toBe('FIXTURE_CORRUPT');
    expect(err.details.key).toBe((JSON.parse(lines[3]!.replace(/,$/, '')) as CassetteEntry).key);
    expect(corruptError(() => Cassette.parse(cassette.slice(0, 10), manifest)).code).toBe('FIXTURE_CORRUPT');
    expect(corruptError(() => Cassette.parse(cassette, manifest.slice(0, -20))).code).toBe('FIXTURE_CORRUPT');
  });

  it('rejects an entry missing a field, naming it', () => {
    const { cassette, manifest } = new Cassette(entries()).serialize();
    const e = entries()[0]!;
    const line = cassette.split('\n').find((l) => l.includes(e.key))!;
    const withoutStatus = line.replace(/,"status":200/, '');
    const err = corruptError(() => Cassette.parse(cassette.replace(line, withoutStatus), manifest));
    expect(err.code).toBe('FIXTURE_CORRUPT');
    expect(err.details.key).toBe(e.key);
    expect(err.message).toContain('status');
  });

  it('rejects a cassette and manifest that list different requests', () => {
    const list = entries();
    const { manifest } = new Cassette(list).serialize();
    const { cassette: fewer } = new Cassette(list.slice(1)).serialize();
    const err = corruptError(() => Cassette.parse(fewer, manifest));
    expect(err.code).toBe('FIXTURE_CORRUPT');
    expect(err.details.key).toBe(list[0]!.key);
    const { manifest: fewerManifest } = new Cassette(list.slice(1)).serialize();
    const { cassette: all } = new Cassette(list).serialize();
    expect(corruptError(() => Cassette.parse(all, fewerManifest)).details.key).toBe(list[0]!.key);
  });

  it('rejects another format', () => {
    const { cassette, manifest } = new Cassette(entries()).serialize();
    const err = corruptError(() =>
      Cassette.parse(cassette.replace('fundflow.cassette/1', 'fundflow.cassette/9'), manifest),
    );
    expect(err.code).toBe('FIXTURE_CORRUPT');
  });
});

describe('isCassetteEntry', () => {
  // verifyCassetteEntry checks entries in place and runs the zod schema only for its message: the two must agree on
  // every entry, or a corrupt cassette could load (or a good one be refused).
  const values: unknown[] = [undefined, null, 0, 1.5, 99, 100, 599, 600, '', 'x', 'GET', 'a'.repeat(64), [], {}, true];
  const fields: (string | [string, string])[] = [
    'key',
    'request',
    ['request', 'method'],
    ['request', 'url'],
    ['request', 'body'],
    'status',
    'headers',
    ['headers', 'content-type'],
    'body',
    'sha256',
  ];

  it('agrees with the schema on every entry and every one-field change of it', () => {
    let checked = 0;
    let refused = 0;
    for (const entry of entries()) {
      const json = JSON.parse(JSON.stringify(entry)) as Record<string, Record<string, unknown>>;
      expect(isCassetteEntry(json)).toBe(true);
      for (const field of fields) {
        for (const value of values) {
          const copy = structuredClone(json);
          const [outer, inner] = typeof field === 'string' ? [field, undefined] : field;
          if (inner === undefined) (copy as Record<string, unknown>)[outer] = value;
          else if (typeof copy[outer] === 'object' && copy[outer] !== null) copy[outer]![inner] = value;
          const schema = cassetteEntrySchema.safeParse(copy).success;
          expect(isCassetteEntry(copy), `${String(field)} = ${JSON.stringify(value)}`).toBe(schema);
          checked++;
          if (!schema) refused++;
        }
      }
    }
    expect(checked).toBeGreaterThan(500);
    expect(refused).toBeGreaterThan(400);
  });
});
