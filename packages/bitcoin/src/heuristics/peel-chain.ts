import { compareStrings, outpointId, type UtxoOutput, type UtxoTransaction } from '@fundflow/core';
import { coinJoinFlag } from './coinjoin';

/** A chain is reported from this many consecutive peel steps on. */
export const PEEL_CHAIN_MIN_LENGTH = 3;
/** Rule name and confidence for edge provenance: the big output of a peel step is the sender's own. */
export const PEEL_CHAIN_RULE = 'peel-chain:carry';
export const PEEL_CHAIN_CONFIDENCE = 0.8;

export interface PeelOutput {
  txid: string;
  vout: number;
  value: bigint;
  address: string;
}

export interface Peel extends PeelOutput {
  /** 0-based position of the step in its chain. */
  hop: number;
}

export interface PeelChain {
  /** The steps' txids in chain order. */
  txids: string[];
  /** Number of steps. */
  length: number;
  /** The small output of each step: the payments peeled off. */
  peels: Peel[];
  /** The big output of the last step: where the chain's value went on (the output to follow). */
  carry: PeelOutput;
}

export interface PeelStep {
  tx: UtxoTransaction;
  big: UtxoOutput;
  small: UtxoOutput;
}

/**
 * Peeling chains (Kappos et al., "How to Peel a Million", USENIX Security 2022): runs of at least
 * `PEEL_CHAIN_MIN_LENGTH` consecutive peel steps, where each step's big output is spent by the next step. A peel
 * step spends one input (or several from one address: "1-input-ish") and has exactly two paying outputs (OP_RETURN
 * data ignored) of which the small one is at most half the big one; it is not a CoinJoin. A merge (inputs from two
 * addresses) is not a step, so it ends the chain. Only spends among `txs` are seen: pass the transactions of a trace.
 * Chains are sorted by their first step's (height, txid); unconfirmed steps sort last. Pure.
 */
export function detectPeelChains(txs: readonly UtxoTransaction[]): PeelChain[] {
  const steps = new Map<string, PeelStep>();
  for (const tx of txs) {
    const step = peelStep(tx);
    if (step !== undefined) steps.set(tx.txid, step);
  }
  // Which step spends a given outpoint.
  const spender = new Map<string, PeelStep>();
  for (const step of steps.values()) for (const i of step.tx.inputs) if (i.outpoint) spender.set(i.outpoint, step);
  // Steps whose input is the big output of another step continue a chain; the others start one.
  const continues = new Set<string>();
  for (const step of steps.values()) {
    const next = spender.get(outpointId(step.tx.txid, step.big.vout));
    if (next !== undefined && next !== step) continues.add(next.tx.txid);
  }
  const chains: PeelChain[] = [];
  for (const start of steps.values()) {
    if (continues.has(start.tx.txid)) continue;
    const run: PeelStep[] = [];
    const visited = new Set<string>();
    let step: PeelStep | undefined = start;
    while (step !== undefined && !visited.has(step.tx.txid)) {
      visited.add(step.tx.txid);
      run.push(step);
      step = spender.get(outpointId(step.tx.txid, step.big.vout));
    }
    if (run.length < PEEL_CHAIN_MIN_LENGTH) continue;
    const last = run[run.length - 1]!;
    chains.push({
      txids: run.map((s) => s.tx.txid),
      length: run.length,
      peels: run.map((s, hop) => ({ ...outputOf(s.tx, s.small), hop })),
      carry: outputOf(last.tx, last.big),
    });
  }
  const first = new Map(txs.map((t) => [t.txid, t]));
  const key = (c: PeelChain) => {
    const h = first.get(c.txids[0]!)!.height;
    return h < 0 ? Number.MAX_SAFE_INTEGER : h;
  };
  return chains.sort((a, b) => key(a) - key(b) || compareStrings(a.txids[0]!, b.txids[0]!));
}

/** The peel-step shape of one transaction: its big (carried-on) and small (peeled) output, or undefined. */
export function peelStep(tx: UtxoTransaction): PeelStep | undefined {
  if (tx.inputs.length === 0 || tx.inputs.some((i) => i.coinbase || i.address === undefined)) return undefined;
  if (new Set(tx.inputs.map((i) => i.address)).size !== 1) return undefined;
  const outs = tx.outputs.filter((o) => o.hasAddress && o.value > 0n);
  if (outs.length !== 2 || coinJoinFlag(tx) !== undefined) return undefined;
  const [a, b] = outs as [UtxoOutput, UtxoOutput];
  const [big, small] = a.value >= b.value ? [a, b] : [b, a];
  if (small.value * 2n > big.value) return undefined;
  return { tx, big, small };
}

function outputOf(tx: UtxoTransaction, o: UtxoOutput): PeelOutput {
  return { txid: tx.txid, vout: o.vout, value: o.value, address: o.address };
}
