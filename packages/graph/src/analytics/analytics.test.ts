import { describe, expect, it } from 'vitest';
import { assetView, traceAssets } from '../asset-view';
import { seedAddresses, tracedPolicies } from '../build-graph';
import { fixtureTraces, loadTrace, SIM } from '../fixtures.test-helper';
import { cashOutPaths } from './cash-out-paths';
import { flowByHop } from './flow-by-hop';
import { flowPatterns } from './flow-patterns';
import { whereDidItGo } from './where-did-it-go';

const trace = loadTrace(SIM);

describe('flow analytics', () => {
  it.each(fixtureTraces())('flowByHop: the stops of %s per hop add up to the per-reason totals', (_n, path) => {
    const all = loadTrace(path);
    // All-asset traces: per asset (assetView); stolen value that came in by swaps arrives after hop 1.
    for (const t of traceAssets(all).map((id) => assetView(all, id)))
      for (const p of tracedPolicies(t)) {
        const rows = flowByHop(t, p);
        const s = t.results[p]!.summary;
        const sum = (f: (r: (typeof rows)[number]) => string) => rows.reduce((a, r) => a + BigInt(f(r)), 0n);
        expect(sum((r) => r.cashedOut).toString()).toBe(s.byReason['cash-out'] ?? '0');
        expect(sum((r) => r.held).toString()).toBe(s.byReason.unspent ?? '0');
        expect(sum((r) => r.fee).toString()).toBe(s.byReason.fee ?? '0');
        expect(rows.find((r) => r.hop === 1)?.received ?? '0').toBe(s.stolen);
        expect(rows.map((r) => r.hop)).toEqual([...rows.map((r) => r.hop)].sort((a, b) => a - b));
      }
  });

  it('under fifo, the seed value splits exactly into stops: held + cashed out + other + fee = stolen', () => {
    const rows = flowByHop(trace, 'fifo');
    const total = rows.reduce(
      (a, r) => a + BigInt(r.held) + BigInt(r.cashedOut) + BigInt(r.otherStops) + BigInt(r.fee),
      0n,
    );
    expect(total.toString()).toBe(trace.results.fifo!.summary.stolen);
  });

  it.each(fixtureTraces())(
    'cashOutPaths of %s: chained paths from a seed to the cash-out, carried ≤ every hop',
    (_n, path) => {
      const t = loadTrace(path);
      const seeds = seedAddresses(t);
      const transfers = new Map(t.transfers.map((x) => [x.id, x]));
      const inputs = new Map(t.transactions.map((tx) => [tx.txid, new Set(tx.inputs.map((i) => i.outpoint))]));
      for (const p of tracedPolicies(t)) {
        const taint = new Map(t.results[p]!.edges.map((e) => [e.transfer, BigInt(e.amount)]));
        const found = cashOutPaths(t, p, { maxPaths: 2 });
        expect(found.length).toBe(t.results[p]!.stops.filter((s) => s.reason === 'cash-out').length);
        for (const c of found) {
          expect(c.paths.length).toBeGreaterThan(0);
          for (const path of c.paths) {
            expect(seeds.has(path.addresses[0]!)).toBe(true);
            expect(path.addresses.at(-1)).toBe(c.address);
            path.transfers.forEach((id, i) => {
              const tr = transfers.get(id)!;
              // each step spends the previous one: UTXO through an input of its transaction, account from its receiver
              if (i === 0) expect(tr.from).toBe(path.addresses[0]);
              else if (t.model === 'utxo') expect(inputs.get(tr.txid)?.has(path.transfers[i - 1])).toBe(true);
              else expect(tr.from).toBe(path.addresses[i]);
              expect(tr.to).toBe(path.addresses[i + 1]);
              expect(BigInt(path.carried)).toBeLessThanOrEqual(taint.get(id)!);
            });
          }
        }
      }
    },
  );

  it('whereDidItGo lists each policy side by side with the spread between them', () => {
    const w = whereDidItGo(trace);
    expect(w.policies).toEqual(['fifo', 'haircut', 'poison']);
    const exchange = w.destinations.find((d) => d.address === 'bcrt1q4qtfqtjsusmnqrs6p6hnvudt0z8clc6ljzjvpy')!;
    expect(exchange).toMatchObject({
      reason: 'cash-out',
      category: 'exchange',
      amounts: { fifo: '371383396', haircut: '384898414', poison: '429109514' },
      spread: (429109514n - 371383396n).toString(),
    });
    const cashOut = w.byReason.find((r) => r.reason === 'cash-out')!;
    expect(cashOut.amounts.poison).toBe(trace.results.poison!.summary.byReason['cash-out']);
  });

  it('flowPatterns finds the peeling chains of the simulated branches and the split after the drain', () => {
    const p = flowPatterns(trace, 'fifo');
    // The scenario splits the loot into 12 branches and peels each (case.json: 193 peel steps).
    expect(p.peelChains.length).toBe(12);
    const steps = p.peelChains.reduce((s, c) => s + c.steps, 0);
    expect(steps).toBeGreaterThan(150);
    expect(steps).toBeLessThanOrEqual(193);
    for (const c of p.peelChains) expect(BigInt(c.peeled)).toBeLessThan(BigInt(c.entered));
    expect(p.fanOuts.length).toBeGreaterThan(0);
    expect(p.fanOuts[0]!.receivers).toBeGreaterThanOrEqual(5);
  });
});
