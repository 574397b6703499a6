import { type CaseFile, compareExpected, type TraceFile } from '@fundflow/core';
import type { EvmGroundTruth } from './ground-truth';

/** Asset key of the ground truth (`ETH`, `SDOL`, `ODD`) → fundflow asset id (`anvil:ETH`, `anvil:<contract>`). */
export function truthAssetId(truth: EvmGroundTruth, key: string): string {
  const a = truth.assets[key];
  if (!a) throw new Error(`ground truth has no asset ${key}`);
  return `${truth.chain}:${a.contract ?? a.symbol}`;
}

/**
 * What a FIFO trace from the victim's hot wallet must find, from the scenario's own bookkeeping (not the tracer):
 * every labelled cash-out per asset, the stolen ETH and the ETH totals per stop reason.
 */
export function expectedFromGroundTruth(truth: EvmGroundTruth): CaseFile['expected'] {
  const stops = new Set(['mixer', 'bridge', 'exchange', 'sanctioned']);
  const cashOuts: { address: string; amount: string; asset: string }[] = [];
  for (const label of truth.labels) {
    if (!stops.has(label.category)) continue;
    for (const [key, amount] of Object.entries(truth.fifo.reachedAt[label.address] ?? {})) {
      if (amount !== '0') cashOuts.push({ address: label.address, amount, asset: truthAssetId(truth, key) });
    }
  }
  const eth = (r: Record<string, string> | undefined) => BigInt(r?.ETH ?? '0');
  let cashed = 0n;
  for (const c of cashOuts) if (c.asset === truthAssetId(truth, 'ETH')) cashed += BigInt(c.amount);
  let unspent = 0n;
  for (const r of Object.values(truth.fifo.remaining)) unspent += eth(r);
  const byReason: Record<string, string> = { 'cash-out': cashed.toString() };
  if (eth(truth.fifo.fees) > 0n) byReason.fee = eth(truth.fifo.fees).toString();
  if (unspent > 0n) byReason.unspent = unspent.toString();
  return { fifo: { stolen: truth.fifo.stolen.ETH ?? '0', cashOuts, byReason } };
}

/**
 * Differences between a FIFO all-asset trace and the ground truth (empty when they agree): the expected cash-outs and
 * ETH totals, and per asset the stolen amount, the tokens handed to the pool in swaps and the ETH that came back.
 */
export function compareWithGroundTruth(truth: EvmGroundTruth, trace: TraceFile): string[] {
  const problems = compareExpected(expectedFromGroundTruth(truth), trace);
  const fifo = trace.results.fifo;
  if (!fifo?.summary.byAsset) return [...problems, 'the trace has no per-asset totals (trace with asset all)'];
  for (const key of Object.keys(truth.assets)) {
    const id = truthAssetId(truth, key);
    const got = fifo.summary.byAsset[id];
    const want = {
      stolen: truth.fifo.stolen[key] ?? '0',
      swappedIn: truth.fifo.swappedOut[key] ?? '0',
      swap: truth.fifo.reached.service?.[key] ?? '0',
    };
    const have = { stolen: got?.stolen ?? '0', swappedIn: got?.swappedIn ?? '0', swap: got?.byReason.swap ?? '0' };
    for (const k of ['stolen', 'swappedIn', 'swap'] as const) {
      if (have[k] !== want[k]) problems.push(`fifo ${key}: ${k} ${have[k]}, expected ${want[k]}`);
    }
  }
  return problems;
}
