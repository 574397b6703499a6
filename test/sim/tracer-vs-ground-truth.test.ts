import { DEFAULT_STOP_CATEGORIES, type TraceFile, traceForward } from '@fundflow/core';
import {
  type AccountScenario,
  generateScenario,
  type Scenario,
  SimAccountSource,
  SimUtxoSource,
  scenarioLabels,
  scenarioParams,
  type UtxoScenario,
} from '@fundflow/sim';
import { describe, expect, it } from 'vitest';

/**
 * The simulator's independent FIFO bookkeeping, per status and per cash-out address. Stolen value that came back
 * to the victim's hot wallet is what the tracer reports as `returned` (a stop rule).
 */
function truthOf(s: Scenario) {
  const byReason: Record<string, bigint> = {};
  const cashOuts = new Map<string, bigint>();
  for (const g of s.groundTruth) {
    const reason = g.status === 'unspent' && g.address === s.seedAddress ? 'returned' : g.status;
    byReason[reason] = (byReason[reason] ?? 0n) + g.amount;
    if (g.status === 'cash-out') cashOuts.set(g.address, (cashOuts.get(g.address) ?? 0n) + g.amount);
  }
  return { byReason, cashOuts };
}

function expectMatchesTruth(trace: TraceFile, s: Scenario) {
  const fifo = trace.results.fifo!.summary;
  const truth = truthOf(s);
  expect(BigInt(fifo.stolen)).toBe(s.stolenTotal);
  expect(Object.fromEntries(Object.entries(fifo.byReason).map(([k, v]) => [k, BigInt(v)]))).toEqual(truth.byReason);
  expect(new Map(fifo.cashOuts.map((c) => [c.address, BigInt(c.amount)]))).toEqual(truth.cashOuts);
  // Every cash-out point of the ground truth is reached; haircut conserves value too.
  const haircut = trace.results.haircut!.summary;
  const sum = Object.values(haircut.byReason).reduce((a, v) => a + BigInt(v), 0n);
  expect(sum).toBe(s.stolenTotal);
}

const stop = { maxHops: 10_000, minAmount: 0n, fanOutCap: 100_000, stopCategories: DEFAULT_STOP_CATEGORIES };

describe('the tracer finds every cash-out of simulated scenarios with exact FIFO amounts', () => {
  for (const seed of [1, 2, 3]) {
    it(`UTXO scenario, seed ${seed}, ~2000 transfers`, async () => {
      const s = generateScenario({ seed, model: 'utxo', size: 2000 }) as UtxoScenario;
      const trace = await traceForward({
        source: new SimUtxoSource(s),
        labels: scenarioLabels(s),
        params: scenarioParams(s, ['fifo', 'haircut'], stop),
      });
      expectMatchesTruth(trace, s);
    });

    it(`account scenario, seed ${seed}, ~2000 transfers`, async () => {
      const s = generateScenario({ seed, model: 'account', size: 2000 }) as AccountScenario;
      const trace = await traceForward({
        source: new SimAccountSource(s),
        labels: scenarioLabels(s),
        params: scenarioParams(s, ['fifo', 'haircut'], stop),
      });
      expectMatchesTruth(trace, s);
    });
  }
});
