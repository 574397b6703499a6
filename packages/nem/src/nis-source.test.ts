import { isFundflowError, sha256Hex, type Transport, type TransportResponse } from '@fundflow/core';
import { describe, expect, it } from 'vitest';
import { addressFromPublicKey } from './address';
import { unixToNemTime } from './nem-time';
import { NisSource } from './nis-source';
import type { NisInnerTransaction, NisTransaction, NisTransactionMetaDataPair } from './nis-wire';
import { fakeNisNode, type NisLedger } from './testing/fake-nis-node';
import { Prng } from './testing/prng';
import { WARNING_MOSAICS } from './warning-mosaics';

const BASE = 'http://nis.test.invalid:7890';
const rng = new Prng(7);
const key = () => rng.hex(32);
const [alice, bob, carol, multisig, cosigner] = [key(), key(), key(), key(), key()];
const addr = (publicKey: string) => addressFromPublicKey(publicKey, 'mainnet');
const T0 = Date.UTC(2018, 0, 25, 15, 2, 13) / 1000;
const hex = (s: string) => Buffer.from(s, 'utf8').toString('hex');

let nextId = 1000;
function transfer(
  from: string,
  to: string,
  fields: Partial<NisInnerTransaction> & { time?: number } = {},
): NisInnerTransaction {
  const { time, ...rest } = fields;
  return {
    timeStamp: unixToNemTime(time ?? T0),
    amount: 10_000_000,
    fee: 50_000,
    recipient: addr(to),
    type: 257,
    deadline: unixToNemTime(time ?? T0) + 3600,
    message: {},
    version: 0x68000001,
    signer: from,
    ...rest,
  };
}
function pair(transaction: NisTransaction, innerHash?: string): NisTransactionMetaDataPair {
  nextId += 3;
  return {
    meta: {
      innerHash: innerHash ? { data: innerHash } : {},
      id: nextId,
      hash: { data: rng.hex(32) },
      height: 1_490_000,
    },
    transaction,
  };
}
function sourceOver(transactions: NisTransactionMetaDataPair[], extra: Partial<NisLedger> = {}) {
  const node = fakeNisNode({ network: 'mainnet', transactions, ...extra }, { baseUrl: BASE });
  return { node, source: new NisSource({ baseUrl: BASE, network: 'mainnet', transport: node }) };
}
/** A transport answering every request with one fixed response. */
function answering(status: number, body: string): Transport & { count: () => number } {
  let n = 0;
  return {
    async request(): Promise<TransportResponse> {
      n++;
      const res: TransportResponse = { status, headers: {}, body, sha256: sha256Hex(body) };
      if (status < 300) {
        try {
          res.json = JSON.parse(body);
        } catch {}
      }
      return res;
    },
    stats: () => ({ sent: n, retries: 0, rateLimited: 0, cacheHits: 0, dedupeHits: 0 }),
    count: () => n,
  };
}
async function errorOf(p: Promise<unknown>): Promise<{ code?: string; message: string; details?: unknown }> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  if (!isFundflowError(e)) throw new Error(`expected a FundflowError, got ${String(e)}`);
  return { code: e.code, message: e.message, details: e.details };
}

describe('NisSource transfers', () => {
  it('reads a v1 transfer with the same id from the outgoing and the incoming list', async () => {
    const p = pair(
      transfer(alice, bob, { amount: 10_000_000, fee: 100_000, message: { payload: hex('test 10 XEM'), type: 1 } }),
    );
    const { source } = sourceOver([p]);
    const [out] = (await source.getTransfers({ address: addr(alice), direction: 'out' })).transfers;
    const [inn] = (await source.getTransfers({ address: addr(bob), direction: 'in' })).transfers;
    expect(out).toEqual(inn);
    expect(out).toMatchObject({
      id: p.meta.hash.data,
      txid: p.meta.hash.data,
      from: addr(alice),
      to: addr(bob),
      amount: 10_000_000n,
      fee: 100_000n,
      time: T0,
      height: 1_490_000,
      kind: 'native',
      memo: 'test 10 XEM',
      asset: { chain: 'nem', symbol: 'XEM', decimals: 6 },
    });
    expect(out!.evidence[0]).toMatch(/^[0-9a-f]{64}$/);
  });

  it('treats a v2 amount as a multiplier: XEM moves only through nem:xem, one transfer per other mosaic', async () => {
    const warning = WARNING_MOSAICS[0]!;
    const [ns, name] = [warning.slice(0, warning.indexOf(':')), warning.slice(warning.indexOf(':') + 1)];
    const withXem = pair(
      transfer(alice, bob, {
        version: 0x68000002,
        amount: 2_000_000,
        mosaics: [
          { mosaicId: { namespaceId: 'nem', name: 'xem' }, quantity: 1_500_000 },
          { mosaicId: { namespaceId: ns, name }, quantity: 3 },
        ],
      }),
    );
    const mosaicOnly = pair(
      transfer(carol, bob, {
        version: 0x68000002,
        amount: 1_000_000,
        time: T0 + 60,
        mosaics: [{ mosaicId: { namespaceId: ns, name }, quantity: 1 }],
      }),
    );
    const v2NoMosaics = pair(transfer(carol, bob, { version: 0x68000002, amount: 7_000_000, time: T0 + 120 }));
    const { source } = sourceOver([withXem, mosaicOnly, v2NoMosaics]);
    const page = await source.getTransfers({ address: addr(bob), direction: 'in' });
    const byId = new Map(page.transfers.map((t) => [t.id, t]));
    expect(byId.get(withXem.meta.hash.data)).toMatchObject({ amount: 3_000_000n, fee: 50_000n, kind: 'native' });
    expect(byId.get(`${withXem.meta.hash.data}:mosaic:${warning}`)).toMatchObject({
      amount: 6n,
      kind: 'mosaic',
      asset: { chain: 'nem', symbol: name, contract: warning, decimalsKnown: false },
    });
    expect(byId.get(`${withXem.meta.hash.data}:mosaic:${warning}`)?.fee).toBeUndefined();
    // No nem:xem among the mosaics: no XEM moves, but the fee is still accounted on a zero XEM transfer.
    expect(byId.get(mosaicOnly.meta.hash.data)).toMatchObject({ amount: 0n, fee: 50_000n });
    expect(byId.get(`${mosaicOnly.meta.hash.data}:mosaic:${warning}`)?.amount).toBe(1n);
    expect(byId.get(v2NoMosaics.meta.hash.data)?.amount).toBe(7_000_000n);
    expect(page.transfers).toHaveLength(5);
  });

  it('takes the multisig account (inner signer) as the sender and charges it every fee', async () => {
    const innerHash = rng.hex(32);
    const inner = transfer(multisig, carol, { amount: 5_000_000_000, fee: 100_000 });
    const wrapper: NisTransaction = {
      timeStamp: inner.timeStamp,
      fee: 150_000,
      type: 4100,
      deadline: inner.deadline!,
      version: 0x68000001,
      signer: cosigner,
      signatures: [{ fee: 150_000, type: 4098, signer: key(), otherHash: { data: innerHash } }],
      otherTrans: inner,
    };
    const p = pair(wrapper, innerHash);
    const { source } = sourceOver([p]);
    const fromMultisig = await source.getTransfers({ address: addr(multisig), direction: 'out' });
    const fromCosigner = await source.getTransfers({ address: addr(cosigner), direction: 'out' });
    const atRecipient = await source.getTransfers({ address: addr(carol), direction: 'in' });
    for (const page of [fromMultisig, fromCosigner, atRecipient]) {
      expect(page.transfers).toHaveLength(1);
      expect(page.transfers[0]).toMatchObject({
        id: `${p.meta.hash.data}:inner`,
        txid: p.meta.hash.data,
        from: addr(multisig),
        to: addr(carol),
        amount: 5_000_000_000n,
        fee: 400_000n,
      });
    }
  });

  it('fails with BAD_RESPONSE for a multisig transaction without its inner transaction', async () => {
    const p = pair({ timeStamp: unixToNemTime(T0), fee: 150_000, type: 4100, version: 0x68000001, signer: cosigner });
    const body = JSON.stringify({ data: [p] });
    const source = new NisSource({ baseUrl: BASE, network: 'mainnet', transport: answering(200, body) });
    const e = await errorOf(source.getTransfers({ address: addr(cosigner), direction: 'out' }));
    expect(e.code).toBe('BAD_RESPONSE');
    expect(e.message).toMatch(/without its inner transaction/);
  });

  it('keeps hostile message payloads as plain text and never decodes them as markup', async () => {
    const payloads = [
      '<script>alert("xem")</script>',
      '<img src=x onerror=alert(1)>',
      '\u202Egnp.exe',
      '"; DROP TABLE t; --',
    ];
    const pairs = payloads.map((text, i) =>
      pair(transfer(alice, bob, { time: T0 + i, message: { payload: hex(text), type: 1 } })),
    );
    const encrypted = pair(transfer(alice, bob, { time: T0 + 10, message: { payload: rng.hex(48), type: 2 } }));
    const invalidUtf8 = pair(transfer(alice, bob, { time: T0 + 11, message: { payload: 'ff3c62', type: 1 } }));
    const { source } = sourceOver([...pairs, encrypted, invalidUtf8]);
    const { transfers } = await source.getTransfers({ address: addr(alice), direction: 'out' });
    const memo = new Map(transfers.map((t) => [t.id, t.memo]));
    payloads.forEach((text, i) => {
      expect(memo.get(pairs[i]!.meta.hash.data)).toBe(text);
    });
    expect(memo.get(encrypted.meta.hash.data)).toBe('(encrypted message)');
    expect(memo.get(invalidUtf8.meta.hash.data)).toBe('\uFFFD<b');
  });
});

describe('NisSource paging', () => {
  const many = Array.from({ length: 230 }, (_, i) =>
    pair(transfer(alice, i % 2 === 0 ? bob : carol, { time: T0 + i * 600, amount: 1_000_000 + i })),
  );

  it('pages newest first by id, 100 a page, until a page of fewer than 25', async () => {
    const { source, node } = sourceOver(many);
    const seen = new Set<string>();
    let cursor: string | undefined;
    const pages: number[] = [];
    for (;;) {
      const page = await source.getTransfers({ address: addr(alice), direction: 'out', ...(cursor ? { cursor } : {}) });
      pages.push(page.transfers.length);
      for (const t of page.transfers) {
        expect(seen.has(t.id)).toBe(false);
        seen.add(t.id);
      }
      if (!page.next) break;
      cursor = page.next;
    }
    // 30 could be a full page of a node that ignores pageSize (25): one more, empty, page ends it.
    expect(pages).toEqual([100, 100, 30, 0]);
    expect(seen.size).toBe(230);
    expect(node.requests()[1]).toContain(`pageSize=100&id=${many[130]!.meta.id}`);
  });

  it('stops walking back once a page reaches past `since`, and returns only transfers inside the window', async () => {
    const { source } = sourceOver(many);
    const since = T0 + 200 * 600;
    const until = T0 + 220 * 600;
    const page = await source.getTransfers({ address: addr(alice), direction: 'out', since, until });
    expect(page.next).toBeUndefined();
    expect(page.transfers).toHaveLength(21);
    for (const t of page.transfers) expect(t.time >= since && t.time <= until).toBe(true);
  });

  it('rejects a cursor that is not a NIS id without a request', async () => {
    const { source, node } = sourceOver(many);
    for (const cursor of ['abc', '-5', '0', '12x', '99999999999999999999']) {
      const e = await errorOf(source.getTransfers({ address: addr(alice), direction: 'out', cursor }));
      expect(e.code).toBe('INVALID_ARGUMENT');
    }
    expect(node.requests()).toHaveLength(0);
  });

  it('answers an unknown paging id below every transaction with an empty last page', async () => {
    const { source } = sourceOver(many);
    const page = await source.getTransfers({ address: addr(alice), direction: 'out', cursor: '7' });
    expect(page).toEqual({ transfers: [] });
  });

  it('fails with BAD_RESPONSE when the node ignores the paging id (page 1 again)', async () => {
    const body = JSON.stringify({ data: many.slice(-100).reverse() });
    const source = new NisSource({ baseUrl: BASE, network: 'mainnet', transport: answering(200, body) });
    const cursor = String(many[150]!.meta.id);
    const e = await errorOf(source.getTransfers({ address: addr(alice), direction: 'out', cursor }));
    expect(e.code).toBe('BAD_RESPONSE');
    expect(e.message).toMatch(/did not page by id/);
  });
});

describe('NisSource errors', () => {
  it('rejects checksum-invalid and testnet addresses before any request', async () => {
    const { source, node } = sourceOver([]);
    const good = addr(alice);
    const flipped = good.slice(0, 39) + (good[39] === 'A' ? 'B' : 'A');
    for (const address of [flipped, addressFromPublicKey(alice, 'testnet'), 'NOT-AN-ADDRESS']) {
      expect((await errorOf(source.getTransfers({ address, direction: 'out' }))).code).toBe('INVALID_ADDRESS');
      expect((await errorOf(source.getLabels(address))).code).toBe('INVALID_ADDRESS');
    }
    expect(node.requests()).toHaveLength(0);
  });

  it.each([
    [
      404,
      { timeStamp: 9, error: 'Not Found', message: "invalid address 'X' (org.nem.core.model.Address)", status: 404 },
      'INVALID_ADDRESS',
    ],
    [404, { timeStamp: 9, error: 'Not Found', message: 'unknown account', status: 404 }, 'NOT_FOUND'],
    [400, { timeStamp: 9, error: 'Bad Request', message: 'For input string: "x"', status: 400 }, 'BAD_RESPONSE'],
    [500, { timeStamp: 9, error: 'Internal Server Error', message: null, status: 500 }, 'BAD_RESPONSE'],
  ])('turns NIS error JSON (HTTP %i) into a typed error', async (status, body, code) => {
    const source = new NisSource({
      baseUrl: BASE,
      network: 'mainnet',
      transport: answering(status, JSON.stringify(body)),
    });
    const e = await errorOf(source.getTransfers({ address: addr(alice), direction: 'in' }));
    expect(e.code).toBe(code);
    expect(e.details).toMatchObject({ status: body.status, error: body.error });
    expect(e.message).toContain(body.error);
  });

  it('fails with BAD_RESPONSE for a body that does not match the NIS1 wire format', async () => {
    for (const body of ['{"data":[{"meta":{"id":"x"}}]}', '{"data":{}}', '[1,2]', '<html>busy</html>']) {
      const source = new NisSource({ baseUrl: BASE, network: 'mainnet', transport: answering(200, body) });
      expect((await errorOf(source.getTransfers({ address: addr(alice), direction: 'out' }))).code).toBe(
        'BAD_RESPONSE',
      );
    }
  });

  it('rejects a bad base URL, network or page size', () => {
    const t = answering(200, '{}');
    expect(() => new NisSource({ baseUrl: 'ftp://x', network: 'mainnet', transport: t })).toThrow(/http/);
    expect(() => new NisSource({ baseUrl: BASE, network: 'mijin' as 'mainnet', transport: t })).toThrow(/network/);
    expect(() => new NisSource({ baseUrl: BASE, network: 'mainnet', transport: t, pageSize: 101 })).toThrow(/5..100/);
  });
});

describe('NisSource warning-mosaic labels', () => {
  it('labels an account holding a 2018 warning mosaic as tagged, with the mosaic as source', async () => {
    const [ns, name] = WARNING_MOSAICS[1]!.split(':') as [string, string];
    const tag = pair(
      transfer(carol, bob, {
        version: 0x68000002,
        amount: 1_000_000,
        mosaics: [{ mosaicId: { namespaceId: ns, name }, quantity: 1 }],
      }),
    );
    const { source, node } = sourceOver([tag, pair(transfer(alice, carol, { time: T0 + 5 }))], {
      opening: new Map([
        [addr(carol), 1_000_000_000n],
        [addr(alice), 1_000_000_000n],
      ]),
    });
    const labels = await source.getLabels(addr(bob));
    expect(labels).toEqual([
      {
        address: addr(bob),
        chain: 'nem',
        name: `Holds the warning mosaic ${WARNING_MOSAICS[1]}`,
        category: 'tagged',
        pack: 'source:nem-warning-mosaic',
        source: `${WARNING_MOSAICS[1]}: NEM Foundation warning mosaic, 2018 (held per /account/mosaic/owned)`,
        asOf: '2018-01-26',
        confidence: 'high',
      },
    ]);
    expect(await source.getLabels(addr(carol))).toEqual([]);
    expect(node.requests()).toEqual([
      `GET /account/mosaic/owned?address=${addr(bob)}`,
      `GET /account/mosaic/owned?address=${addr(carol)}`,
    ]);
  });
});
