import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { esploraOutspendsSchema, esploraTxSchema, isEsploraOutspends, isEsploraTx } from './esplora-wire';
import { BLOCK1_COINBASE } from './testing/block1-coinbase';

// The in-place checks must accept exactly what the zod schemas accept: a value the check wrongly accepts would skip
// validation. Samples: real mempool.space answers (../shared/realdata, when present), the Esplora answers recorded in
// the simulated case's cassette (always in the repo), block 1's coinbase; then every field of each mutated.
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const REALDATA_ESPLORA = join(ROOT, '../shared/realdata/esplora');

function cassetteBodies(pattern: RegExp): unknown[] {
  const file = join(ROOT, 'fixtures/sim-utxo-exchange-drain/cassette/cassette.json');
  const doc = JSON.parse(readFileSync(file, 'utf8')) as { entries: { request: { url: string }; body: string }[] };
  return doc.entries.filter((e) => pattern.test(e.request.url)).map((e) => JSON.parse(e.body) as unknown);
}

function realTxs(): unknown[] {
  if (!existsSync(REALDATA_ESPLORA)) return [];
  const out: unknown[] = [];
  for (const f of readdirSync(REALDATA_ESPLORA).filter((n) => n.endsWith('.json'))) {
    const doc = JSON.parse(readFileSync(join(REALDATA_ESPLORA, f), 'utf8')) as unknown;
    for (const t of Array.isArray(doc) ? doc : [doc]) if (esploraTxSchema.safeParse(t).success) out.push(t);
  }
  return out;
}

const BAD_VALUES: unknown[] = [undefined, null, 'x', 'zz', '', -1, 1.5, 2 ** 53, 0x1_0000_0000, true, false, {}, []];

/** Every copy of `value` with one place changed: each key deleted, and each value replaced by each of BAD_VALUES. */
function* mutations(value: unknown): Generator<unknown> {
  if (value === null || typeof value !== 'object') return;
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : Object.entries(value as Record<string, unknown>);
  for (const [key, child] of entries) {
    const put = (replacement: unknown, remove = false) => {
      if (Array.isArray(value)) {
        const copy = [...value];
        if (remove) copy.splice(key as number, 1);
        else copy[key as number] = replacement;
        return copy;
      }
      const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
      if (remove) delete copy[key as string];
      else copy[key as string] = replacement;
      return copy;
    };
    yield put(undefined, true);
    for (const bad of BAD_VALUES) yield put(bad);
    for (const inner of mutations(child)) yield put(inner);
  }
}

function agreement(
  samples: unknown[],
  check: (v: unknown) => boolean,
  schema: { safeParse(v: unknown): { success: boolean } },
) {
  let cases = 0;
  let accepted = 0;
  const disagreements: string[] = [];
  for (const sample of samples) {
    for (const v of [sample, ...mutations(sample)]) {
      cases++;
      const expected = schema.safeParse(v).success;
      if (expected) accepted++;
      if (check(v) !== expected && disagreements.length < 5) disagreements.push(JSON.stringify(v).slice(0, 300));
    }
  }
  return { cases, accepted, disagreements };
}

describe('isEsploraTx / isEsploraOutspends agree with the zod schemas', () => {
  it('on transactions (recorded, real, coinbase) and every one-field mutation of them', () => {
    const samples = [...cassetteBodies(/\/tx\/[0-9a-f]{64}$/).slice(0, 12), BLOCK1_COINBASE, ...realTxs()];
    expect(samples.length).toBeGreaterThan(10);
    const { cases, accepted, disagreements } = agreement(samples, isEsploraTx, esploraTxSchema);
    expect(disagreements).toEqual([]);
    // Both outcomes are exercised many times.
    expect(accepted).toBeGreaterThan(samples.length);
    expect(cases - accepted).toBeGreaterThan(1000);
  });

  it('on outspends lists and every one-field mutation of them', () => {
    const samples = cassetteBodies(/\/outspends$/).slice(0, 20);
    samples.push([{ spent: true, txid: 'a'.repeat(64), vin: 0 }, { spent: false }]);
    samples.push([{ spent: true, txid: 'B'.repeat(64), vin: 3, status: { confirmed: false } }]);
    const { cases, accepted, disagreements } = agreement(samples, isEsploraOutspends, esploraOutspendsSchema);
    expect(disagreements).toEqual([]);
    expect(accepted).toBeGreaterThan(samples.length);
    expect(cases - accepted).toBeGreaterThan(100);
  });

  it('says no to what is not an object of the shape', () => {
    for (const v of [null, undefined, 1, 'tx', [], [{}], { txid: 'a'.repeat(64) }]) {
      expect(isEsploraTx(v)).toBe(false);
      expect(esploraTxSchema.safeParse(v).success).toBe(false);
    }
    expect(isEsploraOutspends({})).toBe(false);
    expect(isEsploraOutspends([])).toBe(true);
  });
});
