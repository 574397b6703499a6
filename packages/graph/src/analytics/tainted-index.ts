import type { EdgeRecord, PolicyName, TraceFile, TransferRecord } from '@fundflow/core';

/** A tainted transfer under one policy: the transfer and what the policy traced on it. */
export interface TaintedTransfer {
  transfer: TransferRecord;
  edge: EdgeRecord;
  amount: bigint;
}

/** Look-ups over one policy's tainted transfers, shared by the path and pattern analytics. */
export interface TaintedIndex {
  byId: Map<string, TaintedTransfer>;
  /** Tainted transfers per transaction (UTXO: its outputs) and into / out of each address. */
  byTx: Map<string, TaintedTransfer[]>;
  into: Map<string, TaintedTransfer[]>;
  outOf: Map<string, TaintedTransfer[]>;
  /** UTXO: the transaction that spent an outpoint; input and output counts of traced transactions. */
  spentBy: Map<string, string>;
  shape: Map<string, { inputs: string[]; outputs: number }>;
}

/**
 * Indexes one policy's tainted transfers of a trace.
 * @example const ix = taintedIndex(trace, 'fifo'); ix.into.get('bcrt1q…')?.length
 */
export function taintedIndex(trace: TraceFile, policy: PolicyName): TaintedIndex {
  const transfers = new Map<string, TransferRecord>();
  for (const t of trace.transfers) transfers.set(t.id, t);
  const ix: TaintedIndex = {
    byId: new Map(),
    byTx: new Map(),
    into: new Map(),
    outOf: new Map(),
    spentBy: new Map(),
    shape: new Map(),
  };
  const push = <K>(m: Map<K, TaintedTransfer[]>, k: K, v: TaintedTransfer) => {
    const list = m.get(k);
    if (list === undefined) m.set(k, [v]);
    else list.push(v);
  };
  for (const edge of trace.results[policy]?.edges ?? []) {
    const transfer = transfers.get(edge.transfer);
    if (transfer === undefined) continue;
    const t: TaintedTransfer = { transfer, edge, amount: BigInt(edge.amount) };
    ix.byId.set(transfer.id, t);
    push(ix.byTx, transfer.txid, t);
    push(ix.into, transfer.to, t);
    push(ix.outOf, transfer.from, t);
  }
  for (const tx of trace.transactions) {
    const inputs: string[] = [];
    for (const i of tx.inputs) {
      if (i.outpoint === undefined) continue;
      ix.spentBy.set(i.outpoint, tx.txid);
      inputs.push(i.outpoint);
    }
    ix.shape.set(tx.txid, { inputs, outputs: tx.outputs.length });
  }
  return ix;
}

/**
 * The tainted transfers that fed a tainted transfer: UTXO, the tainted outputs its transaction spent; account, the
 * tainted transfers into its sender one hop earlier and not later in time. Largest first, then by id.
 * @example feeders(trace, ix, ix.byId.get('ab…:0')!)
 */
export function feeders(model: TraceFile['model'], ix: TaintedIndex, t: TaintedTransfer): TaintedTransfer[] {
  let out: TaintedTransfer[];
  if (model === 'utxo') {
    out = [];
    for (const o of ix.shape.get(t.transfer.txid)?.inputs ?? []) {
      const f = ix.byId.get(o);
      if (f !== undefined) out.push(f);
    }
  } else {
    out = (ix.into.get(t.transfer.from) ?? []).filter(
      (f) => f.edge.hop === t.edge.hop - 1 && f.transfer.time <= t.transfer.time,
    );
  }
  return out.sort(byAmountDesc);
}

/** Largest amount first, then transfer id. */
export function byAmountDesc(a: TaintedTransfer, b: TaintedTransfer): number {
  return a.amount > b.amount ? -1 : a.amount < b.amount ? 1 : a.transfer.id < b.transfer.id ? -1 : 1;
}
