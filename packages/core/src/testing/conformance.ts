import { describe, expect, it } from 'vitest';
import { isFundflowError } from '../errors';
import type { AccountSource, ChainSource, UtxoSource } from '../source';
import type { Transfer } from '../types';

/** What a source's replay fixture holds, so the shared suite knows what to ask. */
export interface ConformanceFixture {
  /** Builds the source over its fixture (a replaying transport, or in-memory data). Called once per test. */
  create(): ChainSource | Promise<ChainSource>;
  /** Addresses that must normalise (to the given form when a pair is given). */
  validAddresses: (string | [input: string, normalized: string])[];
  /** Addresses that must fail with INVALID_ADDRESS without a request (other networks, bad checksums, garbage). */
  invalidAddresses: string[];
  utxo?: {
    /** A transaction in the fixture, with its outspends. */
    txid: string;
    /** A txid the fixture answers with "not found". */
    missingTxid?: string;
    /** An address whose history (all pages) is in the fixture. */
    historyAddress?: string;
  };
  account?: {
    /** An address whose outgoing and incoming transfers (all pages) are in the fixture. */
    address: string;
    since?: number;
    until?: number;
  };
}

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * The contract every ChainSource keeps, as one vitest suite each source runs over its own replay fixture
 * (as graphology's `specs(Graph)` does for graph implementations).
 * @example describeChainSourceConformance('esplora', { create: () => new EsploraSource({ …, transport: replaying(c) }), … })
 */
export function describeChainSourceConformance(name: string, fixture: ConformanceFixture): void {
  describe(`ChainSource conformance: ${name}`, () => {
    it('describes itself without secrets', async () => {
      const source = await fixture.create();
      expect(source.info.chain).toMatch(/\S/);
      expect(source.info.kind).toMatch(/\S/);
      expect(source.info.endpoint).not.toMatch(/apikey=|api_key=|token=|:\/\/[^/]*:[^/]*@/i);
      expect(Number.isInteger(source.nativeAsset.decimals)).toBe(true);
      expect(source.nativeAsset.chain).toBe(source.info.chain);
    });

    it('normalises valid addresses idempotently', async () => {
      const source = await fixture.create();
      for (const entry of fixture.validAddresses) {
        const [input, expected] = typeof entry === 'string' ? [entry, undefined] : entry;
        const once = source.normalizeAddress(input);
        if (expected !== undefined) expect(once).toBe(expected);
        expect(source.normalizeAddress(once)).toBe(once);
      }
    });

    it('rejects invalid addresses with INVALID_ADDRESS', async () => {
      const source = await fixture.create();
      for (const address of fixture.invalidAddresses) {
        let error: unknown;
        try {
          source.normalizeAddress(address);
        } catch (e) {
          error = e;
        }
        expect(isFundflowError(error, 'INVALID_ADDRESS'), `${address} should be rejected`).toBe(true);
      }
    });

    if (fixture.utxo) {
      const u = fixture.utxo;
      it('returns a balanced transaction with provenance', async () => {
        const source = (await fixture.create()) as UtxoSource;
        expect(source.model).toBe('utxo');
        const tx = await source.getTransaction(u.txid);
        expect(tx.txid).toBe(u.txid);
        expect(tx.evidence.length).toBeGreaterThan(0);
        for (const e of tx.evidence) expect(e).toMatch(SHA256);
        tx.outputs.forEach((o, i) => {
          expect(o.vout).toBe(i);
          expect(typeof o.value).toBe('bigint');
          expect(o.value >= 0n).toBe(true);
          expect(o.address).toMatch(/\S/);
        });
        const coinbase = tx.inputs.some((i) => i.coinbase);
        if (!coinbase) {
          const sumIn = tx.inputs.reduce((s, i) => s + i.value, 0n);
          const sumOut = tx.outputs.reduce((s, o) => s + o.value, 0n);
          expect(tx.fee).toBe(sumIn - sumOut);
          for (const i of tx.inputs) expect(i.outpoint).toMatch(/^[0-9a-f]{64}:\d+$/);
        }
        if (tx.confirmed) expect(tx.height).toBeGreaterThanOrEqual(0);
        else expect(tx.height).toBe(-1);
      });

      it('returns one outspend per output', async () => {
        const source = (await fixture.create()) as UtxoSource;
        const tx = await source.getTransaction(u.txid);
        const spends = await source.getOutspends(u.txid);
        expect(spends.length).toBe(tx.outputs.length);
        for (const s of spends) if (s.spent) expect(s.txid).toMatch(/^[0-9a-f]{64}$/);
      });

      if (u.missingTxid) {
        const missing = u.missingTxid;
        it('answers NOT_FOUND for an unknown transaction', async () => {
          const source = (await fixture.create()) as UtxoSource;
          const error = await source.getTransaction(missing).catch((e: unknown) => e);
          expect(isFundflowError(error, 'NOT_FOUND')).toBe(true);
        });
      }

      if (u.historyAddress) {
        const address = u.historyAddress;
        it('pages an address history without repeats', async () => {
          const source = (await fixture.create()) as UtxoSource;
          const seen = new Set<string>();
          let cursor: string | undefined;
          for (let page = 0; page < 10_000; page++) {
            const p = await source.getAddressHistory(address, cursor);
            for (const t of p.txids) {
              expect(seen.has(t), `txid ${t} repeated across pages`).toBe(false);
              seen.add(t);
            }
            if (!p.next) break;
            cursor = p.next;
          }
          expect(seen.size).toBeGreaterThan(0);
        });
      }
    }

    if (fixture.account) {
      const a = fixture.account;
      for (const direction of ['out', 'in'] as const) {
        it(`pages ${direction === 'out' ? 'outgoing' : 'incoming'} transfers with unique ids and provenance`, async () => {
          const source = (await fixture.create()) as AccountSource;
          expect(source.model).toBe('account');
          const address = source.normalizeAddress(a.address);
          const seen = new Map<string, Transfer>();
          let cursor: string | undefined;
          for (let page = 0; page < 10_000; page++) {
            const p = await source.getTransfers({
              address,
              direction,
              ...(a.since !== undefined ? { since: a.since } : {}),
              ...(a.until !== undefined ? { until: a.until } : {}),
              ...(cursor !== undefined ? { cursor } : {}),
            });
            for (const t of p.transfers) {
              expect(seen.has(t.id), `transfer ${t.id} repeated across pages`).toBe(false);
              seen.set(t.id, t);
              expect(typeof t.amount).toBe('bigint');
              expect(t.amount >= 0n).toBe(true);
              expect(Number.isInteger(t.time)).toBe(true);
              expect(t.evidence.length).toBeGreaterThan(0);
              for (const e of t.evidence) expect(e).toMatch(SHA256);
            }
            if (!p.next) break;
            cursor = p.next;
          }
          const mine = [...seen.values()].filter((t) => (direction === 'out' ? t.from === address : t.to === address));
          if (direction === 'out') expect(mine.length).toBeGreaterThan(0);
          for (const t of mine) {
            if (a.since !== undefined) expect(t.time).toBeGreaterThanOrEqual(a.since);
            if (a.until !== undefined) expect(t.time).toBeLessThanOrEqual(a.until);
          }
        });
      }
    }
  });
}
