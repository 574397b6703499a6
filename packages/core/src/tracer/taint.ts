import type { PolicyName } from './types';

/**
 * Taint arithmetic, shared by the UTXO and the account engine. Pure functions over bigint base units.
 *
 * A `Taint` is how much of a value is stolen and how many hops it is from the theft. Under FIFO it also keeps
 * *where* inside the value the stolen units sit (`runs`: ordered runs of clean/tainted units covering the whole
 * value), because first-in-first-out needs positions, not only totals (Clayton's rule, as in "Making Bitcoin Legal").
 */
export interface Taint {
  amount: bigint;
  /** Hops from the theft of the value this taint came from (the theft is hop 1). */
  hop: number;
  /**
   * FIFO only: runs covering the whole value, in order. Absent when the stolen units sit in one run at the front of
   * the value (the rest clean), as most do: `runsOf` rebuilds those runs when they are needed.
   */
  runs?: Run[];
}

/** A run of `length` units, stolen (`hop` set, hops from the theft) or clean (`hop` null). */
export interface Run {
  length: bigint;
  hop: number | null;
}

/** A value of `value` units carrying `taint` (or clean when taint is null). */
export interface Piece {
  value: bigint;
  taint: Taint | null;
}

export interface SplitResult {
  outputs: (Taint | null)[];
  /** Taint paid away as the fee (the fee is taken last under FIFO). */
  fee: bigint;
}

/** Runs of a fully stolen value. */
export function stolenRuns(value: bigint, hop: number): Run[] {
  return value > 0n ? [{ length: value, hop }] : [];
}

function runsOf(piece: Piece): Run[] {
  if (piece.taint === null || piece.taint.amount === 0n)
    return piece.value > 0n ? [{ length: piece.value, hop: null }] : [];
  if (piece.taint.runs) return piece.taint.runs;
  // Taint without positions (a seed, or a value tainted elsewhere): the stolen units are taken to come first.
  const rest = piece.value - piece.taint.amount;
  const runs: Run[] = [{ length: piece.taint.amount, hop: piece.taint.hop }];
  if (rest > 0n) runs.push({ length: rest, hop: null });
  return runs;
}

/** A queue of runs consumed from the front: the balance of an address, or the inputs of a transaction. */
export class FifoStream {
  private runs: Run[] = [];
  private head = 0;

  push(runs: readonly Run[]): void {
    for (const r of runs) if (r.length > 0n) this.runs.push({ length: r.length, hop: r.hop });
  }

  /** Total units queued. */
  size(): bigint {
    let s = 0n;
    for (let i = this.head; i < this.runs.length; i++) s += this.runs[i]!.length;
    return s;
  }

  /** Takes `n` units from the front; missing units (the stream ran dry) come back as clean. */
  take(n: bigint): Run[] {
    const out: Run[] = [];
    let left = n;
    while (left > 0n && this.head < this.runs.length) {
      const r = this.runs[this.head]!;
      if (r.length <= left) {
        appendRun(out, r);
        left -= r.length;
        this.head++;
      } else {
        appendRun(out, { length: left, hop: r.hop });
        r.length -= left;
        left = 0n;
      }
    }
    if (left > 0n) appendRun(out, { length: left, hop: null });
    return out;
  }

  /** What is left, as runs. */
  rest(): Run[] {
    return this.runs.slice(this.head).map((r) => ({ length: r.length, hop: r.hop }));
  }
}

function appendRun(out: Run[], r: Run): void {
  const last = out[out.length - 1];
  if (last && last.hop === r.hop) last.length += r.length;
  else out.push({ length: r.length, hop: r.hop });
}

/** The taint a list of runs carries, with the new hop (`hopOffset` added to the nearest stolen run's hop). */
export function taintOfRuns(runs: Run[], hopOffset: number): Taint | null {
  let amount = 0n;
  let hop = Number.POSITIVE_INFINITY;
  for (const r of runs) {
    if (r.hop === null) continue;
    amount += r.length;
    hop = Math.min(hop, r.hop);
  }
  if (amount === 0n) return null;
  const newHop = hop + hopOffset;
  return { amount, hop: newHop, runs: runs.map((r) => ({ length: r.length, hop: r.hop === null ? null : newHop })) };
}

/** {@link taintOfRuns} for runs nobody else holds (fresh from `FifoStream.take`): their hops are set in place. */
function taintOfOwnRuns(runs: Run[], hopOffset: number): Taint | null {
  let amount = 0n;
  let hop = Number.POSITIVE_INFINITY;
  for (const r of runs) {
    if (r.hop === null) continue;
    amount += r.length;
    if (r.hop < hop) hop = r.hop;
  }
  if (amount === 0n) return null;
  const newHop = hop + hopOffset;
  // All stolen units in the first run: the runs say no more than amount and hop do (an array and a run fewer to keep
  // per output, in a trace that keeps hundreds of thousands).
  if (runs[0]!.hop !== null && runs[0]!.length === amount) return { amount, hop: newHop };
  for (const r of runs) if (r.hop !== null) r.hop = newHop;
  return { amount, hop: newHop, runs };
}

/**
 * How a transaction's inputs' taint reaches its outputs under a policy.
 * - poison: any stolen input taints every output wholly (and the whole fee).
 * - haircut: each output carries `value × stolen / Σinputs`, rounded down; the fee absorbs the rounding, so
 *   Σoutputs + fee equals the stolen input total exactly.
 * - fifo: inputs in order form one stream, outputs take from it in order, the fee is taken last.
 * Output hop = nearest stolen input's hop + 1.
 * @example splitTransaction('fifo', [{value: 5n, taint: {amount: 5n, hop: 1}}, {value: 5n, taint: null}], [6n, 3n], 1n)
 *   // outputs: [{amount: 5n, hop: 2}, null], fee 0n
 */
export function splitTransaction(policy: PolicyName, inputs: Piece[], outputs: bigint[], fee: bigint): SplitResult {
  let stolen = 0n;
  let total = 0n;
  let hop = Number.POSITIVE_INFINITY;
  for (const input of inputs) {
    total += input.value;
    if (input.taint && input.taint.amount > 0n) {
      stolen += input.taint.amount;
      hop = Math.min(hop, input.taint.hop);
    }
  }
  if (stolen === 0n) return { outputs: outputs.map(() => null), fee: 0n };
  const nextHop = hop + 1;

  if (policy === 'poison') {
    return {
      outputs: outputs.map((v) => (v > 0n ? { amount: v, hop: nextHop } : null)),
      fee,
    };
  }

  if (policy === 'haircut') {
    let carried = 0n;
    const out = outputs.map((v) => {
      const amount = total === 0n ? 0n : (v * stolen) / total;
      carried += amount;
      return amount > 0n ? { amount, hop: nextHop } : null;
    });
    return { outputs: out, fee: stolen - carried };
  }

  const stream = new FifoStream();
  for (const input of inputs) stream.push(runsOf(input));
  // `take` hands out fresh runs: the taint may keep them (no copy per output).
  const out = outputs.map((v) => taintOfOwnRuns(stream.take(v), 1));
  const feeTaint = taintOfOwnRuns(stream.take(fee), 1);
  return { outputs: out, fee: feeTaint?.amount ?? 0n };
}

/** One event in an address's history, in ledger order. */
export type LedgerEvent =
  | { kind: 'in'; id: string; amount: bigint; taint: Taint | null }
  | { kind: 'out'; id: string; amount: bigint; fee: bigint };

export interface LedgerResult {
  /** Taint carried by each outgoing transfer (absent when clean). */
  outgoing: Map<string, Taint>;
  /** Stolen value paid as fees. */
  fee: bigint;
  /** Stolen value still at the address after the last event. */
  remaining: Taint | null;
  /**
   * Clean balance the address must have held before the first event for its history to balance (the smallest
   * opening balance consistent with the transfers seen; a source's reported balance is not needed).
   */
  impliedOpening: bigint;
}

/**
 * Runs an address's balance history under a policy (account model).
 * - poison: once stolen value arrived, every later outgoing transfer (and its fee) is wholly stolen.
 * - haircut: each outgoing transfer carries `amount × stolen / balance` (rounded down), fees likewise.
 * - fifo: the balance is a queue of lots in arrival order; an outgoing transfer takes from the front, then its fee.
 * @example runLedger('fifo', [{kind:'in', id:'a', amount: 10n, taint: {amount: 10n, hop: 1}}, {kind:'out', id:'b', amount: 4n, fee: 0n}])
 *   // outgoing b: {amount: 4n, hop: 2}; remaining 6n
 */
export function runLedger(policy: PolicyName, events: readonly LedgerEvent[]): LedgerResult {
  // The smallest opening balance that keeps the running balance non-negative.
  let running = 0n;
  let lowest = 0n;
  for (const e of events) {
    running += e.kind === 'in' ? e.amount : -(e.amount + e.fee);
    if (running < lowest) lowest = running;
  }
  const impliedOpening = -lowest;
  const outgoing = new Map<string, Taint>();
  let feeTaint = 0n;

  if (policy === 'fifo') {
    const stream = new FifoStream();
    stream.push([{ length: impliedOpening, hop: null }]);
    for (const e of events) {
      if (e.kind === 'in') {
        stream.push(runsOf({ value: e.amount, taint: e.taint }));
        continue;
      }
      const t = taintOfRuns(stream.take(e.amount), 1);
      if (t) outgoing.set(e.id, t);
      feeTaint += taintOfRuns(stream.take(e.fee), 1)?.amount ?? 0n;
    }
    return { outgoing, fee: feeTaint, remaining: taintOfRuns(stream.rest(), 0), impliedOpening };
  }

  let balance = impliedOpening;
  let stolen = 0n;
  let poisoned = false;
  let hop = Number.POSITIVE_INFINITY;
  for (const e of events) {
    if (e.kind === 'in') {
      balance += e.amount;
      if (e.taint && e.taint.amount > 0n) {
        stolen += e.taint.amount;
        poisoned = true;
        hop = Math.min(hop, e.taint.hop);
      }
      continue;
    }
    if (policy === 'poison' && poisoned) {
      if (e.amount > 0n) outgoing.set(e.id, { amount: e.amount, hop: hop + 1 });
      feeTaint += e.fee;
    } else if (stolen > 0n) {
      const carried = (e.amount * stolen) / balance;
      stolen -= carried;
      if (carried > 0n) outgoing.set(e.id, { amount: carried, hop: hop + 1 });
      const balanceAfter = balance - e.amount;
      const feePart = balanceAfter === 0n ? 0n : (e.fee * stolen) / balanceAfter;
      stolen -= feePart;
      feeTaint += feePart;
    }
    balance -= e.amount + e.fee;
  }
  if (policy === 'poison') {
    return {
      outgoing,
      fee: feeTaint,
      remaining: poisoned && balance > 0n ? { amount: balance, hop } : null,
      impliedOpening,
    };
  }
  return { outgoing, fee: feeTaint, remaining: stolen > 0n ? { amount: stolen, hop } : null, impliedOpening };
}
