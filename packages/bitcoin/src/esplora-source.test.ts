import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  Cassette,
  createCassetteEntry,
  type FundflowErrorCode,
  isFundflowError,
  replaying,
  sha256Hex,
  type UtxoTransaction,
} from '@fundflow/core';
import { describe, expect, it } from 'vitest';
import { EsploraSource, type EsploraSourceOptions, toUtxoTransaction } from './esplora-source';
import { type EsploraTx, esploraTxSchema } from './esplora-wire';
import type { BitcoinNetworkName } from './networks';
import { BLOCK1_COINBASE } from './testing/block1-coinbase';
import { type CannedRoute, CannedTransport } from './testing/canned-transport';

const BASE = 'https://esplora.test/api';
// <repo root>/../shared/realdata: present on developer machines and in CI, absent in a fresh clone.
const REALDATA = fileURLToPath(new URL('../../../../shared/realdata/', import.meta.url));
const ESPLORA_SAMPLES = join(REALDATA, 'esplora');
const haveRealdata = existsSync(ESPLORA_SAMPLES);
if (!haveRealdata) {
  console.warn(`[bitcoin] skipping the realdata Esplora tests: ${ESPLORA_SAMPLES} is absent`);
}

function source(
  routes: Record<string, CannedRoute> = {},
  options: Partial<Omit<EsploraSourceOptions, 'transport'>> = {},
): { source: EsploraSource; transport: CannedTransport } {
  const transport = new CannedTransport(routes);
  const network: BitcoinNetworkName = options.network ?? 'bitcoin';
  return { source: new EsploraSource({ baseUrl: BASE, network, transport, ...options }), transport };
}

async function codeOf(promise: Promise<unknown>): Promise<{ code: FundflowErrorCode; error: unknown }> {
  try {
    await promise;
  } catch (error) {
    if (isFundflowError(error)) return { code: error.code, error };
    throw error;
  }
  throw new Error('expected a FundflowError, got a result');
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function scriptHash16(hex: string): string {
  return createHash('sha256').update(Buffer.from(hex, 'hex')).digest('hex').slice(0, 32);
}

/** Deterministic fake txid n (64 hex). */
function txidN(n: number): string {
  return n.toString(16).padStart(8, '0').repeat(8);
}

type SampleOutput = EsploraTx['vout'][number];
/** The samples have no coinbase: every input has its prevout. */
type SampleTx = Omit<EsploraTx, 'vin'> & { vin: { txid: string; vout: number; prevout: SampleOutput }[] };

function sumValues(items: { value: bigint }[]): bigint {
  return items.reduce((s, i) => s + i.value, 0n);
}

describe.skipIf(!haveRealdata)(
  'EsploraSource over the real mempool.space samples in ../shared/realdata/esplora',
  () => {
    const samples = haveRealdata
      ? readdirSync(ESPLORA_SAMPLES)
          .filter((f) => f.endsWith('.json'))
          .flatMap((f) => {
            const parsed: unknown = JSON.parse(readFileSync(join(ESPLORA_SAMPLES, f), 'utf8'));
            return (Array.isArray(parsed) ? parsed : [parsed]) as Record<string, unknown>[];
          })
      : [];
    const routes: Record<string, CannedRoute> = {};
    for (const tx of samples) routes[`${BASE}/tx/${tx.txid}`] = { body: tx };

    it('finds the 6 sample transactions', () => {
      expect(samples.map((t) => t.txid as string).sort()).toEqual([
        '13f007241d78e8b0b4e57d2ae3fd37bcfe3226534d7cadeba5a549860d960db0',
        '20b984492b5264162a4c92c9a34bc7fa08b67d669de7b4c5982ad3cb28aaecf6',
        '8e89b20f8a7fadb0e4cdbe57a00eee224f5076bac5387fc276916724e7c4a16a',
        'b10c0000004da5a9d1d9b4ae32e09f0b3e62d21a5cce5428d4ad714fb444eb5d',
        'b6a53d8a8025c0c5b194345925a99741b645cae0b1f180f0613273029f2bf698',
        'f859a4e6692c3f15a279449eac191ecb9d17d2d6c003bbae9a55e5da07147eab',
      ]);
    });

    it('parses every sample with exact values, outpoints, addresses or script ids, fee and evidence', async () => {
      const { source: s, transport } = source(routes);
      for (const raw of samples) {
        const wire = raw as unknown as SampleTx;
        const tx = await s.getTransaction(raw.txid as string);
        expect(tx.txid).toBe(raw.txid);
        expect(tx.evidence).toEqual([sha256(JSON.stringify(raw))]);
        expect(tx.fee).toBe(BigInt(wire.fee));
        expect(sumValues(tx.inputs)).toBe(sumValues(tx.outputs) + tx.fee);
        expect(tx.inputs).toHaveLength(wire.vin.length);
        wire.vin.forEach((vin, i) => {
          const input = tx.inputs[i]!;
          expect(input).toMatchObject({ outpoint: `${vin.txid}:${vin.vout}`, coinbase: false });
          expect(input.value).toBe(BigInt(vin.prevout.value));
          expect(input.address).toBe(
            vin.prevout.scriptpubkey_address ||
              `script:${vin.prevout.scriptpubkey_type}:${scriptHash16(vin.prevout.scriptpubkey)}`,
          );
        });
        expect(tx.outputs).toHaveLength(wire.vout.length);
        wire.vout.forEach((out, vout) => {
          const output = tx.outputs[vout]!;
          expect(output.vout).toBe(vout);
          expect(output.value).toBe(BigInt(out.value));
          expect(output.scriptType).toBe(out.scriptpubkey_type);
          expect(output.hasAddress).toBe(Boolean(out.scriptpubkey_address));
          expect(output.address).toBe(
            out.scriptpubkey_address || `script:${out.scriptpubkey_type}:${scriptHash16(out.scriptpubkey)}`,
          );
        });
      }
      expect(transport.requests.every((r) => r.method === 'GET' && r.immutable === true)).toBe(true);
    });

    it('b10c0000…: p2pk/multisig/op_return get script ids, taproot and witness-v1 outputs keep addresses', async () => {
      const tx = await source(routes).source.getTransaction(
        'b10c0000004da5a9d1d9b4ae32e09f0b3e62d21a5cce5428d4ad714fb444eb5d',
      );
      expect(tx).toMatchObject({ height: 850000, time: 1719689674, confirmed: true, fee: 71294n });
      expect(tx.inputs).toHaveLength(10);
      expect(tx.outputs).toHaveLength(9);
      expect(tx.outputs.map((o) => [o.scriptType, o.hasAddress])).toEqual([
        ['p2pk', false],
        ['p2pkh', true],
        ['multisig', false],
        ['p2sh', true],
        ['v0_p2wpkh', true],
        ['v0_p2wsh', true],
        ['v1_p2tr', true],
        ['unknown', true],
        ['op_return', false],
      ]);
      expect(tx.outputs[0]!.address).toBe(
        `script:p2pk:${scriptHash16('210261542eb020b36c1da48e2e607b90a8c1f2ccdbd06eaf5fb4bb0d7cc34293d32aac')}`,
      );
      expect(tx.outputs[6]!.address).toBe('bc1p57jzkf5f27sxe80y6unq780njt8y6mnmwsl44hp8g9ww9t7wkwusv7av76');
      expect(tx.outputs[7]!.address).toBe('bc1pfeessrawgf');
      expect(tx.outputs[8]!).toMatchObject({ value: 0n, hasAddress: false });
      expect(tx.outputs[8]!.address).toMatch(/^script:op_return:[0-9a-f]{32}$/);
      expect(tx.inputs[0]!.address).toMatch(/^script:p2pk:/);
      expect(tx.inputs[2]!.address).toMatch(/^script:multisig:/);
      expect(tx.inputs[9]).toEqual({
        outpoint: '795741ecf9c431b14b1c8d2dd017d3978fd4f6452e91edf416f31ef9971206b4:0',
        address: 'bc1p3xkpyzjfpmhg3k643qgjl90cszfjsnypfuru8tv58fl6a7azyudqkcu66k',
        value: 19953n,
        coinbase: false,
      });
    });

    it('f859a4e6…: mempool.space’s empty op_return address becomes a script id', async () => {
      const tx = await source(routes).source.getTransaction(
        'f859a4e6692c3f15a279449eac191ecb9d17d2d6c003bbae9a55e5da07147eab',
      );
      expect(tx.outputs).toEqual([
        {
          vout: 0,
          address: `script:op_return:${scriptHash16('6a05616e6e6578')}`,
          value: 0n,
          scriptType: 'op_return',
          hasAddress: false,
        },
      ]);
      expect(tx.inputs[0]!.address).toBe('bc1p3zfekshja5gnm4r4vp2mz7wd0pxze7jjetffq3jprs5rxk4zq4wqesykl2');
      expect(tx).toMatchObject({ fee: 11586n, height: 896088, time: 1746868490 });
    });

    it('b6a53d8a…: an unconfirmed transaction has height -1, time 0', async () => {
      const tx = await source(routes).source.getTransaction(
        'b6a53d8a8025c0c5b194345925a99741b645cae0b1f180f0613273029f2bf698',
      );
      expect(tx).toMatchObject({ confirmed: false, height: -1, time: 0, fee: 960n });
      expect(tx.inputs).toEqual([
        {
          outpoint: 'fb16c141d22a3a7af5e44e7478a8663866c35d554cd85107ec8a99b97e5a72e9:0',
          address: '1stAprEZapjCYGUACUcXohQqSHF9MU5Kj',
          value: 50000n,
          coinbase: false,
        },
      ]);
      expect(tx.outputs).toEqual([
        { vout: 0, address: '1stAprEZapjCYGUACUcXohQqSHF9MU5Kj', value: 49040n, scriptType: 'p2pkh', hasAddress: true },
      ]);
    });

    it('the zod schema accepts the extended mempool.space shape and drops its extra fields', () => {
      for (const raw of samples) {
        const parsed = esploraTxSchema.parse(raw);
        expect(Object.keys(parsed).sort()).toEqual(
          ['fee', 'locktime', 'size', 'status', 'txid', 'version', 'vin', 'vout', 'weight'].filter((k) => k in raw),
        );
      }
    });
  },
);

describe('EsploraSource.getTransaction', () => {
  it('a coinbase input has no outpoint or address and carries the outputs’ sum', async () => {
    const { source: s } = source({ [`${BASE}/tx/${BLOCK1_COINBASE.txid}`]: { body: BLOCK1_COINBASE } });
    const tx = await s.getTransaction(BLOCK1_COINBASE.txid.toUpperCase());
    expect(tx).toEqual<UtxoTransaction>({
      txid: BLOCK1_COINBASE.txid,
      time: 1231469665,
      height: 1,
      confirmed: true,
      inputs: [{ value: 5000000000n, coinbase: true }],
      outputs: [
        {
          vout: 0,
          address: `script:p2pk:${scriptHash16(BLOCK1_COINBASE.vout[0]!.scriptpubkey)}`,
          value: 5000000000n,
          scriptType: 'p2pk',
          hasAddress: false,
        },
      ],
      fee: 0n,
      evidence: [sha256(JSON.stringify(BLOCK1_COINBASE))],
    });
  });

  it('404 plain text → NOT_FOUND naming the txid and URL', async () => {
    const txid = txidN(1);
    const url = `${BASE}/tx/${txid}`;
    const { source: s } = source({ [url]: { status: 404, body: 'Transaction not found' } });
    const { code, error } = await codeOf(s.getTransaction(txid));
    expect(code).toBe('NOT_FOUND');
    expect(error).toMatchObject({ details: { txid, url } });
  });

  it('a malformed txid → INVALID_ARGUMENT before any request', async () => {
    const { source: s, transport } = source();
    expect((await codeOf(s.getTransaction('abc'))).code).toBe('INVALID_ARGUMENT');
    expect((await codeOf(s.getTransaction(`${txidN(1)}/../x`))).code).toBe('INVALID_ARGUMENT');
    expect(transport.requests).toHaveLength(0);
  });

  it('a 2xx HTML page → BAD_RESPONSE', async () => {
    const txid = txidN(2);
    const { source: s } = source({
      [`${BASE}/tx/${txid}`]: { body: '<html><body>502 Bad Gateway</body></html>', contentType: 'text/html' },
    });
    const { code, error } = await codeOf(s.getTransaction(txid));
    expect(code).toBe('BAD_RESPONSE');
    expect(error).toMatchObject({ details: { url: `${BASE}/tx/${txid}` } });
  });

  it('a body that fails the schema → BAD_RESPONSE naming the path and the first issue', async () => {
    const bad = structuredClone(BLOCK1_COINBASE) as Record<string, unknown>;
    (bad.vout as Record<string, unknown>[])[0]!.value = '5000000000';
    const { source: s } = source({ [`${BASE}/tx/${BLOCK1_COINBASE.txid}`]: { body: bad } });
    const { code, error } = await codeOf(s.getTransaction(BLOCK1_COINBASE.txid));
    expect(code).toBe('BAD_RESPONSE');
    expect(error).toMatchObject({ details: { path: `/api/tx/${BLOCK1_COINBASE.txid}`, at: 'vout.0.value' } });
    expect((error as Error).message).toContain(`/api/tx/${BLOCK1_COINBASE.txid}`);
    expect((error as Error).message).toContain('vout.0.value');
  });

  it.each([
    ['another transaction', { txid: txidN(9) }],
    ['a fee that does not add up', { fee: 1 }],
    [
      'a spending input without prevout',
      { vin: [{ ...BLOCK1_COINBASE.vin[0], is_coinbase: false, txid: txidN(3), vout: 0 }] },
    ],
    ['a negative value', { vout: [{ ...BLOCK1_COINBASE.vout[0], value: -1 }] }],
    ['a confirmed status without height', { status: { confirmed: true } }],
  ])('%s → BAD_RESPONSE', async (_name, patch) => {
    const { source: s } = source({
      [`${BASE}/tx/${BLOCK1_COINBASE.txid}`]: { body: { ...BLOCK1_COINBASE, ...patch } },
    });
    expect((await codeOf(s.getTransaction(BLOCK1_COINBASE.txid))).code).toBe('BAD_RESPONSE');
  });

  it('other non-2xx statuses → BAD_RESPONSE with the status', async () => {
    const txid = txidN(4);
    const { source: s } = source({ [`${BASE}/tx/${txid}`]: { status: 503, body: 'Service Unavailable' } });
    const { code, error } = await codeOf(s.getTransaction(txid));
    expect(code).toBe('BAD_RESPONSE');
    expect(error).toMatchObject({ details: { status: 503, body: 'Service Unavailable' } });
  });

  it('toUtxoTransaction is usable on its own', () => {
    const tx = toUtxoTransaction(esploraTxSchema.parse(BLOCK1_COINBASE), 'e'.repeat(64), `${BASE}/tx/x`);
    expect(tx.evidence).toEqual(['e'.repeat(64)]);
  });
});

describe('EsploraSource.getTransactionNow / getOutspendsNow (a transport that answers at once)', () => {
  const spender = txidN(30);
  const answer = (url: string, body: string, status = 200) =>
    createCassetteEntry(
      { method: 'GET', url },
      { status, headers: { 'content-type': 'application/json' }, body, sha256: sha256Hex(body) },
    );
  const cassette = new Cassette([
    answer(`${BASE}/tx/${BLOCK1_COINBASE.txid}`, JSON.stringify(BLOCK1_COINBASE)),
    answer(`${BASE}/tx/${BLOCK1_COINBASE.txid}/outspends`, JSON.stringify([{ spent: true, txid: spender, vin: 0 }])),
    answer(`${BASE}/tx/${txidN(31)}`, 'Transaction not found', 404),
  ]);
  const replay = () => new EsploraSource({ baseUrl: BASE, network: 'bitcoin', transport: replaying(cassette) });
  const thrown = (f: () => unknown): unknown => {
    try {
      f();
    } catch (e) {
      return e;
    }
    throw new Error('expected a throw');
  };

  it('answer as the promise-returning methods do', async () => {
    const s = replay();
    expect(s.getTransactionNow(BLOCK1_COINBASE.txid)).toEqual(await s.getTransaction(BLOCK1_COINBASE.txid));
    expect(s.getOutspendsNow(BLOCK1_COINBASE.txid)).toEqual([{ spent: true, txid: spender, vin: 0 }]);
    expect(s.getOutspendsNow(BLOCK1_COINBASE.txid)).toEqual(await s.getOutspends(BLOCK1_COINBASE.txid));
  });

  it('throw the same typed errors, at once', () => {
    const s = replay();
    expect(thrown(() => s.getTransactionNow(txidN(31)))).toMatchObject({ code: 'NOT_FOUND' });
    expect(thrown(() => s.getTransactionNow(txidN(32)))).toMatchObject({ code: 'FIXTURE_MISSING' });
    expect(thrown(() => s.getOutspendsNow('not-a-txid'))).toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('say undefined, without a request, over a transport that has to wait', () => {
    const { source: s, transport } = source({ [`${BASE}/tx/${BLOCK1_COINBASE.txid}`]: { body: BLOCK1_COINBASE } });
    expect(s.getTransactionNow(BLOCK1_COINBASE.txid)).toBeUndefined();
    expect(s.getOutspendsNow(BLOCK1_COINBASE.txid)).toBeUndefined();
    expect(transport.requests).toHaveLength(0);
  });
});

describe('EsploraSource.getOutspends', () => {
  const spentConfirmed = {
    spent: true,
    txid: txidN(20).toUpperCase(),
    vin: 3,
    status: { confirmed: true, block_height: 800000, block_hash: 'ab'.repeat(32), block_time: 1690000000 },
  };
  const spentUnconfirmed = { spent: true, txid: txidN(21), vin: 0, status: { confirmed: false } };

  it('maps spent/unspent entries in vout order with the spender’s height (-1 unconfirmed)', async () => {
    const txid = txidN(10);
    const { source: s, transport } = source({
      [`${BASE}/tx/${txid}/outspends`]: {
        body: [{ spent: false }, spentConfirmed, spentUnconfirmed, { spent: true, txid: txidN(22), vin: 1 }],
      },
    });
    expect(await s.getOutspends(txid)).toEqual([
      { spent: false },
      { spent: true, txid: txidN(20), vin: 3, height: 800000 },
      { spent: true, txid: txidN(21), vin: 0, height: -1 },
      { spent: true, txid: txidN(22), vin: 1 },
    ]);
    expect(transport.requests[0]!.immutable).toBeUndefined();
  });

  it('404 → NOT_FOUND; a schema failure → BAD_RESPONSE', async () => {
    const { source: s } = source({
      [`${BASE}/tx/${txidN(11)}/outspends`]: { status: 404, body: 'Transaction not found' },
      [`${BASE}/tx/${txidN(12)}/outspends`]: { body: [{ spent: true, vin: 0 }] },
    });
    expect((await codeOf(s.getOutspends(txidN(11)))).code).toBe('NOT_FOUND');
    expect((await codeOf(s.getOutspends(txidN(12)))).code).toBe('BAD_RESPONSE');
  });

  it('batchOutspends coalesces concurrent calls into one /txs/outspends request', async () => {
    const ids = [txidN(30), txidN(31), txidN(32)];
    const { source: s, transport } = source(
      {
        [`${BASE}/txs/outspends?txids=${ids.join(',')}`]: {
          body: [[{ spent: false }], [spentConfirmed, { spent: false }], [spentUnconfirmed]],
        },
      },
      { batchOutspends: true },
    );
    const results = await Promise.all([
      s.getOutspends(ids[0]!),
      s.getOutspends(ids[1]!),
      s.getOutspends(ids[2]!),
      s.getOutspends(ids[1]!.toUpperCase()),
    ]);
    expect(transport.urls).toEqual([`${BASE}/txs/outspends?txids=${ids.join(',')}`]);
    expect(results).toEqual([
      [{ spent: false }],
      [{ spent: true, txid: txidN(20), vin: 3, height: 800000 }, { spent: false }],
      [{ spent: true, txid: txidN(21), vin: 0, height: -1 }],
      [{ spent: true, txid: txidN(20), vin: 3, height: 800000 }, { spent: false }],
    ]);
    expect(results[1]).not.toBe(results[3]);
  });

  it('calls made after awaits in the same turn join the batch; 120 txids take 3 requests of ≤ 50', async () => {
    const ids = Array.from({ length: 120 }, (_, i) => txidN(1000 + i));
    const delay = (i: number) => i % 3;
    // Callers reach getOutspends after 0, 1 or 2 awaits, as code that awaits other work first would: the batch
    // holds them in arrival order.
    const arrival = [0, 1, 2].flatMap((d) => ids.filter((_, i) => delay(i) === d));
    const transport = new CannedTransport();
    for (let from = 0; from < arrival.length; from += 50) {
      const chunk = arrival.slice(from, from + 50);
      transport.set(`${BASE}/txs/outspends?txids=${chunk.join(',')}`, {
        body: chunk.map((id) => [{ spent: true, txid: id, vin: 0 }]),
      });
    }
    const s = new EsploraSource({ baseUrl: BASE, network: 'bitcoin', transport, batchOutspends: true });
    const results = await Promise.all(
      ids.map(async (id, i) => {
        for (let k = 0; k < delay(i); k++) await null;
        return s.getOutspends(id);
      }),
    );
    expect(transport.urls.map((u) => u.split('=')[1]!.split(',').length)).toEqual([50, 50, 20]);
    expect(results).toEqual(ids.map((id) => [{ spent: true, txid: id, vin: 0 }]));
  });

  it('a single queued call uses the portable /tx/:txid/outspends', async () => {
    const { source: s, transport } = source(
      { [`${BASE}/tx/${txidN(40)}/outspends`]: { body: [{ spent: false }] } },
      { batchOutspends: true },
    );
    expect(await s.getOutspends(txidN(40))).toEqual([{ spent: false }]);
    expect(transport.urls).toEqual([`${BASE}/tx/${txidN(40)}/outspends`]);
  });

  it('a failed batch falls back to one request per txid, so only the unknown txid fails', async () => {
    const [a, b] = [txidN(50), txidN(51)];
    const { source: s, transport } = source(
      {
        [`${BASE}/txs/outspends?txids=${a},${b}`]: { status: 404, body: 'Not Found' },
        [`${BASE}/tx/${a}/outspends`]: { body: [{ spent: false }] },
        [`${BASE}/tx/${b}/outspends`]: { status: 404, body: 'Transaction not found' },
      },
      { batchOutspends: true },
    );
    const [ra, rb] = await Promise.allSettled([s.getOutspends(a), s.getOutspends(b)]);
    expect(ra).toEqual({ status: 'fulfilled', value: [{ spent: false }] });
    expect(rb.status === 'rejected' && isFundflowError(rb.reason, 'NOT_FOUND')).toBe(true);
    expect(transport.requests).toHaveLength(3);
  });

  it('an empty list in a batch (txid unknown to the batch endpoint) is asked again on its own', async () => {
    const [a, b] = [txidN(60), txidN(61)];
    const { source: s, transport } = source(
      {
        [`${BASE}/txs/outspends?txids=${a},${b}`]: { body: [[{ spent: false }], []] },
        [`${BASE}/tx/${b}/outspends`]: { status: 404, body: 'Transaction not found' },
      },
      { batchOutspends: true },
    );
    const [ra, rb] = await Promise.allSettled([s.getOutspends(a), s.getOutspends(b)]);
    expect(ra).toEqual({ status: 'fulfilled', value: [{ spent: false }] });
    expect(rb.status === 'rejected' && isFundflowError(rb.reason, 'NOT_FOUND')).toBe(true);
    expect(transport.urls).toEqual([`${BASE}/txs/outspends?txids=${a},${b}`, `${BASE}/tx/${b}/outspends`]);
  });

  it('a batch answer of the wrong length → BAD_RESPONSE for every caller', async () => {
    const [a, b] = [txidN(70), txidN(71)];
    const { source: s } = source(
      { [`${BASE}/txs/outspends?txids=${a},${b}`]: { body: [[{ spent: false }]] } },
      { batchOutspends: true },
    );
    const settled = await Promise.allSettled([s.getOutspends(a), s.getOutspends(b)]);
    expect(settled.map((r) => r.status === 'rejected' && isFundflowError(r.reason, 'BAD_RESPONSE'))).toEqual([
      true,
      true,
    ]);
  });
});

describe('EsploraSource.getAddressHistory', () => {
  const address = 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4';
  const historyTx = (n: number) => ({
    txid: txidN(n),
    status: { confirmed: true, block_height: 900000 - n, block_hash: 'cd'.repeat(32), block_time: 1750000000 - n },
    fee: 100,
  });
  const page = (from: number, to: number) => ({
    body: Array.from({ length: to - from }, (_, i) => historyTx(from + i)),
  });
  const chain = `${BASE}/address/${address}/txs/chain`;

  it('pages 25 at a time, newest first, until a short page, with the last txid as cursor', async () => {
    const { source: s, transport } = source({
      [chain]: page(0, 25),
      [`${chain}/${txidN(24)}`]: page(25, 50),
      [`${chain}/${txidN(49)}`]: page(50, 60),
    });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const result = await s.getAddressHistory(address.toUpperCase(), cursor);
      seen.push(...result.txids);
      cursor = result.next;
    } while (cursor !== undefined);
    expect(seen).toEqual(Array.from({ length: 60 }, (_, i) => txidN(i)));
    expect(transport.urls).toEqual([chain, `${chain}/${txidN(24)}`, `${chain}/${txidN(49)}`]);
    expect(transport.requests.some((r) => r.immutable)).toBe(false);
  });

  it('a full last page is followed by an empty one', async () => {
    const { source: s } = source({ [chain]: page(0, 25), [`${chain}/${txidN(24)}`]: { body: [] } });
    const first = await s.getAddressHistory(address);
    expect(first.next).toBe(txidN(24));
    expect(await s.getAddressHistory(address, first.next)).toEqual({ txids: [] });
  });

  it('a server that ignores last_seen_txid and serves page 1 again → BAD_RESPONSE', async () => {
    const { source: s } = source({ [chain]: page(0, 25), [`${chain}/${txidN(24)}`]: page(0, 25) });
    const first = await s.getAddressHistory(address);
    const { code, error } = await codeOf(s.getAddressHistory(address, first.next));
    expect(code).toBe('BAD_RESPONSE');
    expect(error).toMatchObject({ details: { cursor: txidN(24) } });
  });

  it('page 1 served again for a later cursor is caught by the remembered head', async () => {
    const { source: s } = source({
      [chain]: page(0, 25),
      [`${chain}/${txidN(24)}`]: page(25, 50),
      // A reorg or new transactions may shift page 1: still newer than anything on page 3.
      [`${chain}/${txidN(49)}`]: page(0, 25),
    });
    const p1 = await s.getAddressHistory(address);
    const p2 = await s.getAddressHistory(address, p1.next);
    expect((await codeOf(s.getAddressHistory(address, p2.next))).code).toBe('BAD_RESPONSE');
  });

  it('validates the address and the cursor before any request', async () => {
    const { source: s, transport } = source();
    expect(
      (await codeOf(s.getAddressHistory('tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7'))).code,
    ).toBe('INVALID_ADDRESS');
    expect((await codeOf(s.getAddressHistory(address, 'page-2'))).code).toBe('INVALID_ARGUMENT');
    expect(transport.requests).toHaveLength(0);
  });

  it('400 "Invalid Bitcoin address" → INVALID_ADDRESS', async () => {
    // BIP 350 allows witness v2 addresses; a server may still refuse them.
    const v2 = 'bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs';
    const { source: s } = source({
      [`${BASE}/address/${v2}/txs/chain`]: { status: 400, body: 'Invalid Bitcoin address' },
    });
    const { code, error } = await codeOf(s.getAddressHistory(v2));
    expect(code).toBe('INVALID_ADDRESS');
    expect(error).toMatchObject({ details: { address: v2, network: 'bitcoin' } });
  });

  it('a page element without a txid → BAD_RESPONSE', async () => {
    const { source: s } = source({ [chain]: { body: [{ status: { confirmed: false } }] } });
    expect((await codeOf(s.getAddressHistory(address))).code).toBe('BAD_RESPONSE');
  });
});

describe('EsploraSource.getAddressStats', () => {
  it('reads GET /address/:a into bigint sums', async () => {
    const address = '1stAprEZapjCYGUACUcXohQqSHF9MU5Kj';
    const stats = {
      address,
      chain_stats: {
        funded_txo_count: 3,
        funded_txo_sum: 2100000000000000,
        spent_txo_count: 2,
        spent_txo_sum: 7,
        tx_count: 4,
      },
      mempool_stats: { funded_txo_count: 0, funded_txo_sum: 0, spent_txo_count: 0, spent_txo_sum: 0, tx_count: 0 },
    };
    const { source: s } = source({ [`${BASE}/address/${address}`]: { body: stats } });
    expect(await s.getAddressStats(address)).toEqual({
      address,
      chain: { txCount: 4, fundedOutputs: 3, funded: 2100000000000000n, spentOutputs: 2, spent: 7n },
      mempool: { txCount: 0, fundedOutputs: 0, funded: 0n, spentOutputs: 0, spent: 0n },
      evidence: [sha256(JSON.stringify(stats))],
    });
  });
});

describe('EsploraSource setup', () => {
  it('describes itself without credentials and sends them as a Basic header', async () => {
    const transport = new CannedTransport({
      'https://esplora.test/ltc/api/tx/0e3e2357e806b6cdb1f70b54c3a3a17b6714ee1f0e68bebb44a74b1efd512098': {
        body: BLOCK1_COINBASE,
      },
    });
    const s = new EsploraSource({
      baseUrl: 'https://user:p%40ss@esplora.test/ltc/api/',
      network: 'litecoin-testnet',
      transport,
    });
    expect(s.info).toEqual({
      chain: 'litecoin',
      kind: 'esplora',
      endpoint: 'https://esplora.test/ltc/api',
      network: 'litecoin-testnet',
    });
    expect(s.model).toBe('utxo');
    expect(s.nativeAsset).toEqual({ chain: 'litecoin', symbol: 'LTC', decimals: 8 });
    await s.getTransaction(BLOCK1_COINBASE.txid);
    expect(transport.requests[0]!.headers).toEqual({ authorization: `Basic ${btoa('user:p@ss')}` });
    expect(transport.requests[0]!.url).not.toMatch(/user|p%40ss|p@ss/);
  });

  it.each([
    ['not a url', 'bitcoin'],
    ['ftp://esplora.test/api', 'bitcoin'],
    ['https://esplora.test/api?key=secret', 'bitcoin'],
    ['https://esplora.test/api', 'dogecoin'],
  ])('rejects %s / %s with INVALID_ARGUMENT', (baseUrl, network) => {
    expect(
      () => new EsploraSource({ baseUrl, network: network as BitcoinNetworkName, transport: new CannedTransport() }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('normalizeAddress uses the source’s network', () => {
    const { source: s } = source({}, { network: 'litecoin' });
    expect(s.normalizeAddress('LTC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KGMN4N9')).toBe(
      'ltc1qw508d6qejxtdg4y5r3zarvary0c5xw7kgmn4n9',
    );
    expect(() => s.normalizeAddress('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4')).toThrow(
      expect.objectContaining({ code: 'INVALID_ADDRESS' }),
    );
  });
});
