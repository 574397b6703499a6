/**
 * FIFO ground truth, computed from the finished ledger alone (not from the story's bookkeeping and not with any
 * tracer): where every unit of the stolen value ended.
 * - UTXO: inputs in order form one stream, outputs take from it in order, the fee is taken last.
 * - Account: an address's balance is a queue of lots by time (incoming before outgoing at equal times, then by id);
 *   an outgoing transfer takes its amount from the front, then its fee. Opening balances are clean lots at the front.
 * Value reaching a cash-out label (exchange, mixer, …) stops there.
 */
import type { Label, LabelCategory } from '@fundflow/core';
import type { GroundTruthEntry, GroundTruthStatus, SimOutput, SimTransfer, SimUtxoTx } from './scenario';
import { scriptId } from './script-id';

/** Label categories where a trace stops: value arriving there is cashed out. */
export const CASH_OUT_CATEGORIES: readonly LabelCategory[] = ['exchange', 'mixer', 'bridge', 'sanctioned', 'service'];

interface Run {
  length: bigint;
  stolen: boolean;
}

/** Runs consumed from the front; taking more than queued is a ledger bug and throws. */
class RunQueue {
  private runs: Run[] = [];
  private head = 0;

  push(r: Run): void {
    if (r.length <= 0n) return;
    const last = this.runs[this.runs.length - 1];
    if (last && this.runs.length > this.head && last.stolen === r.stolen) last.length += r.length;
    else this.runs.push({ ...r });
  }

  take(n: bigint, where: string): Run[] {
    const out: Run[] = [];
    let left = n;
    while (left > 0n) {
      const r = this.runs[this.head];
      if (r === undefined) throw new Error(`ground truth: ${where} spends ${left} more than it holds`);
      const part = minBig(r.length, left);
      const tail = out[out.length - 1];
      if (tail && tail.stolen === r.stolen) tail.length += part;
      else out.push({ length: part, stolen: r.stolen });
      left -= part;
      r.length -= part;
      if (r.length === 0n) this.head++;
    }
    if (this.head > 64 && this.head * 2 > this.runs.length) {
      this.runs = this.runs.slice(this.head);
      this.head = 0;
    }
    return out;
  }

  stolen(): bigint {
    let s = 0n;
    for (let i = this.head; i < this.runs.length; i++) {
      const r = this.runs[i] as Run;
      if (r.stolen) s += r.length;
    }
    return s;
  }
}

function minBig(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

function stolenOf(runs: readonly Run[]): bigint {
  let s = 0n;
  for (const r of runs) if (r.stolen) s += r.length;
  return s;
}

class Tally {
  private readonly byStatus: Record<GroundTruthStatus, Map<string, GroundTruthEntry>> = {
    'cash-out': new Map(),
    unspent: new Map(),
    fee: new Map(),
  };

  add(status: GroundTruthStatus, address: string, amount: bigint, label?: Label): void {
    if (amount === 0n) return;
    const m = this.byStatus[status];
    const e = m.get(address);
    if (e) e.amount += amount;
    else m.set(address, label ? { address, amount, status, label } : { address, amount, status });
  }

  /** By status (cash-out, unspent, fee), then in the order the addresses were first reached (deterministic). */
  list(): GroundTruthEntry[] {
    return [...this.byStatus['cash-out'].values(), ...this.byStatus.unspent.values(), ...this.byStatus.fee.values()];
  }
}

function stopLabels(labels: readonly Label[]): Map<string, Label> {
  const m = new Map<string, Label>();
  for (const l of labels) if (CASH_OUT_CATEGORIES.includes(l.category) && !m.has(l.address)) m.set(l.address, l);
  return m;
}

/**
 * FIFO ground truth of a UTXO ledger. The stolen value is the outputs of `drainTxids` paying `attackers`.
 * @example utxoGroundTruth(scenario.transactions, scenario.drainIds, scenario.attackerAddresses, scenario.labels)
 */
export function utxoGroundTruth(
  transactions: readonly SimUtxoTx[],
  drainTxids: readonly string[],
  attackers: readonly string[],
  labels: readonly Label[],
): GroundTruthEntry[] {
  const stops = stopLabels(labels);
  const drains = new Set(drainTxids);
  const attackerSet = new Set(attackers);
  // Tainted outputs by txid, one slot per vout; `left` counts the slots still set, to drop spent transactions.
  const tainted = new Map<string, { outs: (TaintedOutput | undefined)[]; left: number }>();
  const keep = (txid: string, vout: number, out: TaintedOutput): void => {
    let t = tainted.get(txid);
    if (!t) {
      t = { outs: [], left: 0 };
      tainted.set(txid, t);
    }
    t.outs[vout] = out;
    t.left++;
  };
  const tally = new Tally();
  for (const tx of transactions) {
    if (drains.has(tx.txid)) {
      for (let vout = 0; vout < tx.vout.length; vout++) {
        const o = tx.vout[vout] as SimOutput;
        if (o.address !== null && attackerSet.has(o.address)) {
          keep(tx.txid, vout, { address: o.address, runs: [{ length: o.value, stolen: true }] });
        }
      }
      continue;
    }
    let touched = false;
    for (const input of tx.vin) {
      if (!input.coinbase && tainted.get(input.txid)?.outs[input.vout]) {
        touched = true;
        break;
      }
    }
    if (!touched) continue;
    const stream = new RunQueue();
    // Where each input's units end in the stream, to name the payer of a stolen fee.
    const owners: { end: bigint; address: string }[] = [];
    let position = 0n;
    for (const input of tx.vin) {
      if (input.coinbase) continue;
      const t = tainted.get(input.txid);
      const out = t?.outs[input.vout];
      if (t && out) {
        t.outs[input.vout] = undefined;
        if (--t.left === 0) tainted.delete(input.txid);
        for (const r of out.runs) stream.push(r);
      } else {
        stream.push({ length: input.value, stolen: false });
      }
      position += input.value;
      owners.push({ end: position, address: input.address });
    }
    for (let vout = 0; vout < tx.vout.length; vout++) {
      const o = tx.vout[vout] as SimOutput;
      const runs = stream.take(o.value, tx.txid);
      const stolen = stolenOf(runs);
      if (stolen === 0n) continue;
      const address = o.address ?? scriptId(o.scriptpubkey, o.type);
      const stop = stops.get(address);
      if (stop) tally.add('cash-out', address, stolen, stop);
      else keep(tx.txid, vout, { address, runs });
    }
    // The fee is the tail of the input stream: attribute its stolen units to the inputs they came from.
    let at = position - tx.fee;
    for (const r of stream.take(tx.fee, tx.txid)) {
      if (r.stolen) {
        let left = r.length;
        let cursor = at;
        for (const owner of owners) {
          if (left === 0n) break;
          if (owner.end <= cursor) continue;
          const part = minBig(owner.end - cursor, left);
          tally.add('fee', owner.address, part);
          left -= part;
          cursor += part;
        }
      }
      at += r.length;
    }
  }
  for (const t of tainted.values()) {
    for (const out of t.outs) if (out) tally.add('unspent', out.address, stolenOf(out.runs));
  }
  return tally.list();
}

interface TaintedOutput {
  address: string;
  runs: Run[];
}

/**
 * FIFO ground truth of an account ledger. The stolen value is the amount of the `drainIds` transfers.
 * @example accountGroundTruth(scenario.genesis, scenario.transfers, scenario.drainIds, scenario.labels)
 */
export function accountGroundTruth(
  genesis: readonly { address: string; amount: bigint }[],
  transfers: readonly SimTransfer[],
  drainIds: readonly string[],
  labels: readonly Label[],
): GroundTruthEntry[] {
  const stops = stopLabels(labels);
  const drains = new Set(drainIds);
  const queues = new Map<string, RunQueue>();
  const queue = (a: string): RunQueue => {
    let q = queues.get(a);
    if (!q) {
      q = new RunQueue();
      queues.set(a, q);
    }
    return q;
  };
  for (const g of genesis) queue(g.address).push({ length: g.amount, stolen: false });
  const tally = new Tally();

  const deliver = (t: SimTransfer, runs: Run[]): void => {
    const stolen = stolenOf(runs);
    const stop = stops.get(t.to);
    if (stop && stolen > 0n) {
      tally.add('cash-out', t.to, stolen, stop);
      queue(t.to).push({ length: t.amount, stolen: false });
      return;
    }
    for (const r of runs) queue(t.to).push(r);
  };

  for (let i = 0; i < transfers.length; ) {
    let j = i;
    const time = (transfers[i] as SimTransfer).time;
    while (j < transfers.length && (transfers[j] as SimTransfer).time === time) j++;
    runTimeGroup(transfers.slice(i, j));
    i = j;
  }

  /**
   * Same-time transfers: an address's incoming lots (by id) enter its queue before its outgoing transfers (by id)
   * take from it, so senders are processed once everything they receive at this time has arrived.
   */
  function runTimeGroup(group: SimTransfer[]): void {
    group.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const pendingIn = new Map<string, number>();
    const outgoing = new Map<string, SimTransfer[]>();
    for (const t of group) {
      pendingIn.set(t.to, (pendingIn.get(t.to) ?? 0) + 1);
      let list = outgoing.get(t.from);
      if (!list) {
        list = [];
        outgoing.set(t.from, list);
      }
      list.push(t);
    }
    const arrived = new Map<string, { t: SimTransfer; runs: Run[] }[]>();
    const ready = [...outgoing.keys()].filter((a) => !pendingIn.has(a)).sort();
    let processed = 0;
    while (ready.length > 0) {
      const sender = ready.shift() as string;
      for (const t of outgoing.get(sender) ?? []) {
        const q = queue(t.from);
        let runs = q.take(t.amount, t.id);
        const feeRuns = q.take(t.fee, `${t.id} (fee)`);
        tally.add('fee', t.from, stolenOf(feeRuns));
        if (drains.has(t.id)) runs = [{ length: t.amount, stolen: true }];
        let list = arrived.get(t.to);
        if (!list) {
          list = [];
          arrived.set(t.to, list);
        }
        list.push({ t, runs });
        processed++;
        const left = (pendingIn.get(t.to) ?? 0) - 1;
        pendingIn.set(t.to, left);
        if (left === 0) {
          for (const a of list.sort((x, y) => (x.t.id < y.t.id ? -1 : x.t.id > y.t.id ? 1 : 0))) deliver(a.t, a.runs);
          if (outgoing.has(t.to)) ready.push(t.to);
        }
      }
    }
    if (processed !== group.length) throw new Error('ground truth: same-time transfers form a cycle');
  }

  for (const [address, q] of queues) tally.add('unspent', address, q.stolen());
  return tally.list();
}
