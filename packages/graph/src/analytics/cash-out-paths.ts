import type { PolicyName, TraceFile } from '@fundflow/core';
import { byAmountDesc, feeders, type TaintedTransfer, taintedIndex } from './tainted-index';

/** One path from a seed to a cash-out point. */
export interface FlowPath {
  /** Transfer ids from the theft (hop 1) to the cash-out. */
  transfers: string[];
  /** Addresses along the path: the seed, then the receiver of each transfer. */
  addresses: string[];
  /** The most this path can have carried: the smallest tainted amount along it (decimal string). */
  carried: string;
}

/** A cash-out stop with the paths that feed it. */
export interface CashOutPaths {
  policy: PolicyName;
  location: string;
  address: string;
  label: string;
  category: string;
  amount: string;
  hop: number;
  /** Widest first (greedy: each step back takes the largest feeder first). */
  paths: FlowPath[];
  /** True when more paths exist than were listed, or the search budget ran out. */
  truncated: boolean;
}

export interface CashOutPathsOptions {
  /** Paths listed per cash-out point (default 3). */
  maxPaths?: number;
  /** Steps of the backward search per cash-out point before giving up (default 10,000). */
  budget?: number;
}

/**
 * For every cash-out stop of a policy, the paths from the seed that feed it and the amount each can have carried.
 * Walks tainted transfers backwards (UTXO: through the inputs of each transaction; account: into the sender one hop
 * earlier), largest feeder first.
 * @example cashOutPaths(trace, 'fifo', { maxPaths: 1 })[0]?.paths[0]?.addresses // [victim, attacker, …, exchange]
 */
export function cashOutPaths(trace: TraceFile, policy: PolicyName, options: CashOutPathsOptions = {}): CashOutPaths[] {
  const result = trace.results[policy];
  if (result === undefined) return [];
  const maxPaths = options.maxPaths ?? 3;
  const budget = options.budget ?? 10_000;
  const ix = taintedIndex(trace, policy);
  const out: CashOutPaths[] = [];
  for (const stop of result.stops) {
    if (stop.reason !== 'cash-out') continue;
    const direct = ix.byId.get(stop.location);
    const ends = (
      direct !== undefined ? [direct] : (ix.into.get(stop.address) ?? []).filter((t) => t.edge.hop === stop.hop)
    ).sort(byAmountDesc);
    const paths: FlowPath[] = [];
    let steps = 0;
    let truncated = false;
    const stack: TaintedTransfer[] = [];
    const onPath = new Set<string>();
    const walk = (t: TaintedTransfer): void => {
      if (truncated) return;
      if (++steps > budget) {
        truncated = true;
        return;
      }
      stack.push(t);
      onPath.add(t.transfer.id);
      const from = t.edge.hop <= 1 ? [] : feeders(trace.model, ix, t).filter((f) => !onPath.has(f.transfer.id));
      if (from.length === 0) {
        if (paths.length === maxPaths) truncated = true;
        else paths.push(toPath(stack));
      } else {
        for (const f of from) walk(f);
      }
      stack.pop();
      onPath.delete(t.transfer.id);
    };
    for (const e of ends) walk(e);
    out.push({
      policy,
      location: stop.location,
      address: stop.address,
      label: stop.label ?? '',
      category: stop.category ?? '',
      amount: stop.amount,
      hop: stop.hop,
      paths,
      truncated,
    });
  }
  return out;
}

function toPath(stack: TaintedTransfer[]): FlowPath {
  const forward = [...stack].reverse();
  let carried: bigint | undefined;
  for (const t of forward) if (carried === undefined || t.amount < carried) carried = t.amount;
  return {
    transfers: forward.map((t) => t.transfer.id),
    addresses: [forward[0]!.transfer.from, ...forward.map((t) => t.transfer.to)],
    carried: (carried ?? 0n).toString(),
  };
}
