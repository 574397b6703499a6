import type { PolicyName, TraceFile } from '@fundflow/core';
import { byAmountDesc, type TaintedTransfer, taintedIndex } from './tainted-index';

/** A peeling chain (Kappos et al. 2022): a run of 1-in 2-out steps, each paying a small amount and passing the rest on. */
export interface PeelChain {
  /** First and last step (UTXO: txid; account: address). */
  start: string;
  end: string;
  steps: number;
  firstHop: number;
  lastHop: number;
  /** Value entering the first step, and the sum of the small payments peeled off (decimal strings). */
  entered: string;
  peeled: string;
  /** Distinct receivers of the peeled payments. */
  peeledTo: number;
  /** Where the big remainder went after the last step. */
  remainderTo: string;
}

/** A fan-out: one step sending tainted value to many receivers. */
export interface FanOut {
  /** UTXO: txid; account: the sending address. */
  at: string;
  from: string;
  hop: number;
  transfers: number;
  receivers: number;
  total: string;
}

export interface FlowPatterns {
  policy: PolicyName;
  peelChains: PeelChain[];
  fanOuts: FanOut[];
}

export interface FlowPatternsOptions {
  /** Shortest run reported as a peel chain (default 3 steps). */
  minPeelSteps?: number;
  /** A peeled payment is at most this fraction of the step's input (default 0.25). */
  peelRatio?: number;
  /** Fewest receivers for a fan-out (default 5). */
  minFanOut?: number;
}

/**
 * Summarises one policy's flow as patterns: peeling chains and fan-outs.
 * @example flowPatterns(trace, 'fifo').peelChains[0] // { steps: 17, peeled: '…', … }
 */
export function flowPatterns(trace: TraceFile, policy: PolicyName, options: FlowPatternsOptions = {}): FlowPatterns {
  const minSteps = options.minPeelSteps ?? 3;
  const ratio = BigInt(Math.round((options.peelRatio ?? 0.25) * 1_000_000));
  const minFanOut = options.minFanOut ?? 5;
  const ix = taintedIndex(trace, policy);
  const utxo = trace.model === 'utxo';

  // A step is a transaction (UTXO) or an address (account); its tainted outputs, largest first.
  const stepOuts = utxo ? ix.byTx : ix.outOf;
  const peelStep = new Map<string, { big: TaintedTransfer; small: TaintedTransfer }>();
  for (const [step, outs] of stepOuts) {
    if (utxo) {
      const shape = ix.shape.get(step);
      if (shape === undefined || shape.inputs.length !== 1 || shape.outputs !== 2) continue;
    } else if ((ix.into.get(step) ?? []).length !== 1) continue;
    if (outs.length !== 2) continue;
    const [big, small] = [...outs].sort(byAmountDesc) as [TaintedTransfer, TaintedTransfer];
    // small ≤ ratio × (big + small), in integers
    if (small.amount * 1_000_000n > ratio * (big.amount + small.amount)) continue;
    peelStep.set(step, { big, small });
  }
  const next = (big: TaintedTransfer): string | undefined => (utxo ? ix.spentBy.get(big.transfer.id) : big.transfer.to);
  const hasPrevious = new Set<string>();
  for (const s of peelStep.values()) {
    const n = next(s.big);
    if (n !== undefined && peelStep.has(n)) hasPrevious.add(n);
  }
  const peelChains: PeelChain[] = [];
  for (const start of [...peelStep.keys()].sort()) {
    if (hasPrevious.has(start)) continue;
    let step = start;
    let steps = 0;
    let peeled = 0n;
    const receivers = new Set<string>();
    const seen = new Set<string>();
    let last = peelStep.get(step)!;
    const entered = last.big.amount + last.small.amount;
    for (;;) {
      const s = peelStep.get(step);
      if (s === undefined || seen.has(step)) break;
      seen.add(step);
      last = s;
      steps++;
      peeled += s.small.amount;
      receivers.add(s.small.transfer.to);
      const n = next(s.big);
      if (n === undefined || !peelStep.has(n)) break;
      step = n;
    }
    if (steps < minSteps) continue;
    peelChains.push({
      start,
      end: step,
      steps,
      firstHop: peelStep.get(start)!.big.edge.hop,
      lastHop: last.big.edge.hop,
      entered: entered.toString(),
      peeled: peeled.toString(),
      peeledTo: receivers.size,
      remainderTo: last.big.transfer.to,
    });
  }
  peelChains.sort((a, b) => b.steps - a.steps || (a.start < b.start ? -1 : 1));

  const fanOuts: FanOut[] = [];
  for (const [at, outs] of stepOuts) {
    const receivers = new Set(outs.map((o) => o.transfer.to));
    if (receivers.size < minFanOut) continue;
    fanOuts.push({
      at,
      from: outs[0]!.transfer.from,
      hop: Math.min(...outs.map((o) => o.edge.hop)),
      transfers: outs.length,
      receivers: receivers.size,
      total: outs.reduce((s, o) => s + o.amount, 0n).toString(),
    });
  }
  fanOuts.sort((a, b) => b.receivers - a.receivers || (a.at < b.at ? -1 : 1));
  return { policy, peelChains, fanOuts };
}
