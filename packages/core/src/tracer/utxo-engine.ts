import { FundflowError } from '../errors';
import type { UtxoAnnotation, UtxoSource } from '../source';
import type { EdgeRecord, PolicyResult, StopRecord } from '../trace-file/schema';
import { type Label, type Outspend, outpointId, outputPosition, parseOutpoint, type UtxoTransaction } from '../types';
import { summarize } from './summary';
import { type Piece, splitTransaction, type Taint } from './taint';
import { isOutpoint, MAX_RECOMPUTES_PER_ITEM, sameTaint, type TraceContext, tooManyRecomputes } from './trace-context';
import type { PolicyName } from './types';

/**
 * The UTXO engine. Stolen value sits in outputs; an output is followed to the transaction that spends it
 * (`getOutspends`), and that transaction's inputs' taint is split over its outputs by the policy.
 *
 * Work runs concurrently (fetches start as soon as a branch is found) while the result stays deterministic:
 * every output's taint is the fixpoint of the policy over the transactions reached, and all stop decisions
 * are monotone in it (taint only grows, hops only shrink), so the order in which answers arrive cannot change it.
 */
export class UtxoEngine {
  /** Outputs whose taint is not null. */
  private taintedCount = 0;
  /** Every transaction with a tainted output or marked for processing, by txid: one look-up per transaction. */
  private readonly states = new Map<string, TxState>();
  /** Transactions processed at least once. */
  private processedCount = 0;
  private readonly dirtyHeap = new TxHeap();
  /** Outputs waiting for their transaction's outspends, by txid: one fetch task per transaction, not per output. */
  private readonly awaitingSpends = new Map<string, Out[]>();
  private flushing = false;
  private flushScheduled = false;
  private readonly seedStops: StopRecord[] = [];
  private readonly queue;
  /** The rule of taint passed on by a spend (one string for the trace, not one per transaction). */
  private readonly spendRule: string;

  constructor(
    private readonly ctx: TraceContext,
    private readonly source: UtxoSource,
    private readonly policy: PolicyName,
  ) {
    this.queue = ctx.newQueue();
    this.spendRule = `utxo.spend/${policy}`;
  }

  /**
   * Runs the policy to its fixpoint. `used`: the transactions the result rests on (processed, or holding a tainted
   * output) in txid order, each with its tainted outputs in outpoint-id order.
   */
  async run(): Promise<{ result: PolicyResult; used: UsedTx[] }> {
    for (const seed of this.ctx.params.seeds) {
      this.queue.spawn(() => (isOutpoint(seed) ? this.seedOutpoint(seed) : this.seedAddress(seed)));
    }
    await this.queue.drain(() => this.report());
    return this.result();
  }

  /** Whether an output holds stolen value under this policy at the end of the run. */
  isTainted(outpoint: string): boolean {
    const { txid, vout } = parseOutpoint(outpoint);
    const state = this.states.get(txid);
    if (state === undefined) return false;
    return state.outs[outputPosition(state.tx, vout)]?.taint != null;
  }

  private stateOf(tx: UtxoTransaction): TxState {
    let state = this.states.get(tx.txid);
    if (state === undefined) {
      state = {
        txid: tx.txid,
        tx,
        outs: [],
        spent: undefined,
        processed: 0,
        fee: 0n,
        hop: 0,
        dirty: false,
        annotation: undefined,
      };
      this.states.set(tx.txid, state);
    }
    return state;
  }

  private tx(txid: string): Promise<UtxoTransaction> {
    return this.ctx.memo.tx.get(txid, () => this.source.getTransaction(txid));
  }

  /**
   * The transaction if it is in hand, or if the source can answer at once (a replay: no promise, no task); undefined
   * while it has to be waited for. A load already under way is waited for, never made twice.
   */
  private txNow(txid: string): UtxoTransaction | undefined {
    return this.ctx.memo.tx.now(txid, () => this.source.getTransactionNow?.(txid));
  }

  /** `txNow` for a transaction's outspends. */
  private outspendsNow(txid: string): Outspend[] | undefined {
    return this.ctx.memo.outspends.now(txid, () => this.source.getOutspendsNow?.(txid));
  }

  private async seedOutpoint(seed: string): Promise<void> {
    const { txid, vout } = parseOutpoint(seed);
    const tx = await this.tx(txid.toLowerCase());
    const index = outputPosition(tx, vout);
    const out = tx.outputs[index];
    if (!out) throw new FundflowError('NOT_FOUND', `Transaction ${txid} has no output ${vout}`, { details: { seed } });
    const taint = { amount: out.value, hop: 1 };
    this.setTaint(this.stateOf(tx), index, taint, 'seed.outpoint');
  }

  /** All value the seed address sent to other addresses inside the window is the stolen value (hop 1). */
  private async seedAddress(address: string): Promise<void> {
    const { since } = this.ctx.params;
    let cursor: string | undefined;
    let drains = 0;
    for (;;) {
      const key = `${address}|${cursor ?? ''}`;
      const page = await this.ctx.memo.history.get(key, () => this.source.getAddressHistory(address, cursor));
      const txs = await Promise.all(page.txids.map((t) => this.tx(t)));
      let older = false;
      for (const tx of txs) {
        if (tx.confirmed && since !== undefined && tx.time < since) older = true;
        if (!this.ctx.inTheftWindow(tx.confirmed ? tx.time : Number.MAX_SAFE_INTEGER)) continue;
        if (!tx.inputs.some((i) => i.address === address)) continue;
        if (++drains > this.ctx.params.stop.fanOutCap) {
          this.seedStops.push(seedFanOut(address, this.ctx.params.stop.fanOutCap));
          return;
        }
        let state: TxState | undefined;
        for (let i = 0; i < tx.outputs.length; i++) {
          const out = tx.outputs[i]!;
          if (out.value === 0n || this.ctx.seeds.has(out.address)) continue;
          state ??= this.stateOf(tx);
          this.setTaint(state, i, { amount: out.value, hop: 1 }, 'seed.outflow');
        }
      }
      if (older || !page.next) return;
      cursor = page.next;
    }
  }

  /** Sets the taint of output `index` (its position in the transaction's outputs). */
  private setTaint(state: TxState, index: number, taint: Taint | null, rule: string): void {
    let out = state.outs[index];
    if (out === undefined) {
      if (!taint) return;
      out = {
        id: undefined,
        tx: state.tx,
        index,
        taint: null,
        rule,
        followed: false,
        labels: undefined,
        spend: undefined,
        spender: undefined,
      };
      state.outs[index] = out;
    } else if (sameTaint(out.taint ?? undefined, taint)) return;
    if (taint && !out.taint) this.taintedCount++;
    else if (!taint && out.taint) this.taintedCount--;
    out.taint = taint;
    out.rule = rule;
    this.consider(out);
  }

  /** Decide (again) whether an output's taint moves on, and fetch what that needs. */
  private consider(out: Out): void {
    if (out.followed) {
      const spender = out.spender;
      const state = spender === undefined ? undefined : this.states.get(spender.txid);
      if (state !== undefined && state.processed > 0) {
        this.markDirty(state);
        this.flush();
      }
      return;
    }
    const address = out.tx.outputs[out.index]!.address;
    // Answers already in hand are used without a task or a turn of the event loop (replay speed); otherwise one task
    // carries the output through its look-ups (labels, outspends, spender).
    const labels = this.ctx.loadedLabels(address);
    if (labels === undefined) {
      this.queue.spawn(async () => this.decide(out, address, await this.ctx.labelsOf(address)));
      return;
    }
    const pending = this.decide(out, address, labels);
    if (pending !== undefined) this.queue.spawn(() => pending);
  }

  /** Follows the output to its spender unless its current taint stops at `address`; a promise while it fetches. */
  private decide(out: Out, address: string, labels: Label[]): Promise<void> | undefined {
    out.labels = labels;
    if (!out.taint || out.followed || this.ctx.stopFor(address, out.taint, labels)) return undefined;
    out.followed = true;
    const { txid } = out.tx;
    const spends = this.outspendsNow(txid);
    if (spends !== undefined) return this.followSpend(out, spends[out.index]);
    // Outputs of one transaction share its outspends fetch: the first one waits, the others join its list.
    const waiting = this.awaitingSpends.get(txid);
    if (waiting !== undefined) {
      waiting.push(out);
      return undefined;
    }
    const outs = [out];
    this.awaitingSpends.set(txid, outs);
    return this.ctx.memo.outspends
      .get(txid, () => this.source.getOutspends(txid))
      .then(async (answer) => {
        this.awaitingSpends.delete(txid);
        await Promise.all(outs.map((o) => this.followSpend(o, answer[o.index])));
      });
  }

  private followSpend(out: Out, spend: Outspend | undefined): Promise<void> | undefined {
    out.spend = spend;
    if (!spend?.spent) return undefined;
    const spender = this.txNow(spend.txid);
    if (spender === undefined) return this.tx(spend.txid).then((tx) => this.spenderArrived(out, spend.vin, tx));
    this.spenderArrived(out, spend.vin, spender);
    return undefined;
  }

  /** The spender of a followed output arrived: link the input that spends it to it, and work the spender through. */
  private spenderArrived(out: Out, vin: number, spender: UtxoTransaction): void {
    out.spender = spender;
    const index = spendingInput(spender, vin, out);
    if (index >= 0) out.id = spender.inputs[index]!.outpoint;
    if (!this.passes(spender)) return;
    const state = this.stateOf(spender);
    if (index >= 0) {
      state.spent ??= [];
      state.spent[index] = out;
    }
    this.markDirty(state);
    // A flush under way picks it up; otherwise wait for the current burst of answers.
    if (!this.flushing) this.scheduleFlush();
  }

  /**
   * Works through dirty transactions once the current burst of answers is in, so a merge whose inputs arrive
   * together is computed once rather than once per input (the fixpoint is the same either way).
   */
  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    this.queue.spawn(async () => {
      await nextTurn();
      this.flushScheduled = false;
      this.flush();
    });
  }

  /** A spender inside the time window and not a batch payout is worked through. */
  private passes(tx: UtxoTransaction): boolean {
    return (
      this.ctx.inFollowWindow(tx.confirmed ? tx.time : Number.MAX_SAFE_INTEGER) &&
      tx.outputs.length <= this.ctx.params.stop.fanOutCap
    );
  }

  /** Marks a transaction for (re)processing; the heap orders the dirty ones by height, then txid. */
  private markDirty(state: TxState): void {
    if (state.dirty) return;
    state.dirty = true;
    this.dirtyHeap.push(state);
  }

  private flush(): void {
    // Work through dirty transactions lowest height first; re-entrant calls leave the work to the running loop.
    if (this.flushing) return;
    this.flushing = true;
    try {
      for (let next = this.dirtyHeap.pop(); next !== undefined; next = this.dirtyHeap.pop()) {
        next.dirty = false;
        this.process(next);
      }
    } finally {
      this.flushing = false;
    }
  }

  private process(state: TxState): void {
    const { tx } = state;
    if (state.processed === 0) this.processedCount++;
    if (++state.processed > MAX_RECOMPUTES_PER_ITEM) throw tooManyRecomputes(tx.txid);
    let hop = Number.POSITIVE_INFINITY;
    const inputs: Piece[] = new Array(tx.inputs.length);
    // An input's taint is that of the followed output it spends (linked when this transaction arrived as its spender).
    const spent = state.spent;
    for (let i = 0; i < tx.inputs.length; i++) {
      const taint = spent?.[i]?.taint ?? null;
      if (taint && taint.hop < hop) hop = taint.hop;
      inputs[i] = { value: tx.inputs[i]!.value, taint };
    }
    const values = new Array<bigint>(tx.outputs.length);
    for (let i = 0; i < tx.outputs.length; i++) values[i] = tx.outputs[i]!.value;
    const split = splitTransaction(this.policy, inputs, values, tx.fee);
    state.fee = split.fee;
    state.hop = Number.isFinite(hop) ? hop : 0;
    // While the transaction is at hand (the result would read it again from all over the heap).
    if (state.annotation === undefined) this.annotate(state);
    for (let i = 0; i < tx.outputs.length; i++) {
      const taint = split.outputs[i] ?? null;
      // A wholly tainted output's amount is its value: keep the output's bigint, let the computed one go.
      if (taint !== null && taint.amount === values[i]) taint.amount = values[i]!;
      this.setTaint(state, i, taint, this.spendRule);
    }
  }

  private report(): void {
    this.ctx.onProgress?.({
      policy: this.policy,
      processed: this.processedCount,
      pending: this.queue.size,
      edges: this.taintedCount,
    });
  }

  /**
   * An output's edge with the chain's heuristics for it as provenance (annotations: once per transaction). Each shape
   * is one literal: fields added afterwards would cost a separate property array per edge.
   */
  private edgeRecord(
    transfer: string,
    amount: string,
    hop: number,
    rule: string,
    state: TxState,
    vout: number,
  ): EdgeRecord {
    const a = state.annotation === undefined ? this.annotate(state) : state.annotation;
    let heuristics: EdgeRecord['heuristics'];
    for (const o of a?.outputs ?? []) {
      if (o.vout !== vout) continue;
      heuristics ??= [];
      heuristics.push({ rule: o.rule, confidence: o.confidence });
    }
    const mixed = a?.mixed ? `${a.mixed.kind} ${a.mixed.denomination} ×${a.mixed.count}` : undefined;
    if (heuristics !== undefined) {
      return mixed === undefined
        ? { transfer, amount, hop, rule, confidence: 1, heuristics }
        : { transfer, amount, hop, rule, confidence: 1, heuristics, mixed };
    }
    return mixed === undefined
      ? { transfer, amount, hop, rule, confidence: 1 }
      : { transfer, amount, hop, rule, confidence: 1, mixed };
  }

  /** The chain's heuristics for a transaction (null: none), once per transaction and trace. */
  private annotate(state: TxState): UtxoAnnotation | null {
    const shared = this.ctx.annotations;
    let a = shared?.get(state.tx);
    if (a === undefined) {
      a = this.source.annotate?.(state.tx) ?? null;
      shared?.set(state.tx, a);
    }
    state.annotation = a;
    return a;
  }

  private result(): { result: PolicyResult; used: UsedTx[] } {
    const edges: EdgeRecord[] = [];
    const stops: StopRecord[] = [...this.seedStops];
    const used: UsedTx[] = [];
    // Transaction by transaction in txid order, and each one's outputs in id order: the edges come out in outpoint-id
    // order without sorting (or looking up) every outpoint id, and the fee stops come with their transactions.
    const states: TxState[] = [];
    for (const state of this.states.values()) {
      if (state.processed > 0 || state.outs.some((o) => o !== undefined && o.taint !== null)) states.push(state);
    }
    states.sort((a, b) => (a.txid < b.txid ? -1 : a.txid > b.txid ? 1 : 0));
    const { fanOutCap } = this.ctx.params.stop;
    for (const state of states) {
      const { tx } = state;
      if (state.processed > 0 && state.fee > 0n) {
        const { txid } = state;
        stops.push({ location: txid, address: txid, amount: state.fee.toString(), hop: state.hop + 1, reason: 'fee' });
      }
      // Outputs in position (vout) order; id order differs from it only around vout 10, 100, …
      const outs: TaintedOut[] = [];
      for (const out of state.outs) if (out?.taint) outs.push(out as TaintedOut);
      for (const out of outs) out.id ??= outpointId(state.txid, tx.outputs[out.index]!.vout);
      if (!inIdOrder(tx, outs)) outs.sort((a, b) => (a.id < b.id ? -1 : 1));
      const positions: number[] = [];
      const ids: string[] = [];
      for (const out of outs) {
        const { id: op, index, taint, rule } = out;
        positions.push(index);
        ids.push(op);
        const { vout, address } = tx.outputs[index]!;
        const amount = taint.amount.toString();
        edges.push(this.edgeRecord(op, amount, taint.hop, rule, state, vout));
        const labels = out.labels ?? this.ctx.knownLabels(address);
        const stop = this.ctx.stopFor(address, taint, labels);
        if (stop) {
          const { reason, label } = stop;
          const hop = taint.hop;
          stops.push(
            label
              ? { location: op, address, amount, hop, reason, label: label.name, category: label.category }
              : { location: op, address, amount, hop, reason },
          );
          continue;
        }
        // A followed output knows its spend and spender (no look-ups in the trace-wide maps).
        const spend = out.followed ? out.spend : this.ctx.memo.outspends.peek(tx.txid)?.[index];
        if (!spend?.spent) {
          stops.push({ location: op, address, amount, hop: taint.hop, reason: 'unspent' });
          continue;
        }
        const spender = out.spender ?? this.ctx.memo.tx.peek(spend.txid)!;
        if (!this.ctx.inFollowWindow(spender.confirmed ? spender.time : Number.MAX_SAFE_INTEGER)) {
          stops.push({
            location: op,
            address,
            amount,
            hop: taint.hop,
            reason: 'time-window',
            detail: `spent by ${spender.txid} after the window`,
          });
        } else if (spender.outputs.length > fanOutCap) {
          stops.push({
            location: op,
            address,
            amount,
            hop: taint.hop,
            reason: 'fan-out',
            detail: `spent by ${spender.txid} with ${spender.outputs.length} outputs`,
          });
        }
      }
      used.push({ tx, positions, ids });
    }
    // summarize sorts edges and stops by id and location; they are in that order already when txids have one length.
    return { result: summarize(edges, stops), used };
  }
}

/**
 * A transaction a policy's result rests on, with its outputs that hold stolen value: their `positions` in its outputs
 * and their outpoint `ids`, in id order.
 */
export interface UsedTx {
  tx: UtxoTransaction;
  positions: number[];
  ids: string[];
}

/** What the engine knows of a transaction it reached. */
interface TxState {
  txid: string;
  tx: UtxoTransaction;
  /** Its outputs that were ever tainted, by position in its outputs (one look-up per output, no id string). */
  outs: (Out | undefined)[];
  /**
   * The followed outputs its inputs spend, by input position (linked when it arrived as their spender): the taint of
   * its inputs, without a look-up by outpoint id.
   */
  spent: (Out | undefined)[] | undefined;
  /** How often its inputs' taint was split over its outputs (0: never), the fee that kept and the inputs' lowest hop. */
  processed: number;
  fee: bigint;
  hop: number;
  /** Waiting in the dirty heap. */
  dirty: boolean;
  /** The chain's heuristics for it (null: none), once worked out. */
  annotation: UtxoAnnotation | null | undefined;
}

/** An output that was tainted at some point, with what the engine knows of it. */
interface Out {
  /**
   * Its outpoint id, `txid:vout`, once followed to its spender: the spending input's own string (a trace keeps that
   * transaction, and so its inputs' ids, anyway); made when the result needs it otherwise.
   */
  id: string | undefined;
  tx: UtxoTransaction;
  /** Its position in the transaction's outputs (and in its outspends). */
  index: number;
  taint: Taint | null;
  /** The rule that set the taint last. */
  rule: string;
  /** Its spender was looked up: it passes its taint on (or stops as unspent / out of window / fan-out). */
  followed: boolean;
  /** Its address's labels, once looked up. */
  labels: Label[] | undefined;
  /** Where it went and the spending transaction, once followed (the spender once it arrived). */
  spend: Outspend | undefined;
  spender: UtxoTransaction | undefined;
}

type TaintedOut = Out & { taint: Taint; id: string };

/**
 * The position of the input of `spender` that spends `out`: input `vin` as the outspend says, checked against its
 * outpoint (else searched for; -1 when no input spends it, an answer that contradicts itself).
 */
function spendingInput(spender: UtxoTransaction, vin: number, out: Out): number {
  const id = outpointId(out.tx.txid, out.tx.outputs[out.index]!.vout);
  if (spender.inputs[vin]?.outpoint === id) return vin;
  return spender.inputs.findIndex((i) => i.outpoint === id);
}

/** Whether outputs of `tx` are in outpoint-id order: ascending vouts below 10 are. */
function inIdOrder(tx: UtxoTransaction, outs: readonly Out[]): boolean {
  for (let k = 1; k < outs.length; k++) {
    const a = tx.outputs[outs[k - 1]!.index]!.vout;
    const b = tx.outputs[outs[k]!.index]!.vout;
    if (b >= 10 || b <= a) return false;
  }
  return true;
}

/** Resolves after the promise callbacks already queued have run (setImmediate in Node, a timer in browsers). */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof setImmediate === 'function') setImmediate(resolve);
    else setTimeout(resolve, 0);
  });
}

function heightKey({ tx }: TxState): number {
  return tx.confirmed ? tx.height : Number.MAX_SAFE_INTEGER;
}

/** Transactions before `b` in processing order: lower height first (unconfirmed last), then txid. */
function before(a: TxState, b: TxState): boolean {
  const ha = heightKey(a);
  const hb = heightKey(b);
  return ha < hb || (ha === hb && a.txid < b.txid);
}

/** A binary min-heap of transactions in processing order (picking the next dirty one was a scan of all of them). */
class TxHeap {
  private readonly items: TxState[] = [];

  push(tx: TxState): void {
    const items = this.items;
    let i = items.length;
    items.push(tx);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(tx, items[parent]!)) break;
      items[i] = items[parent]!;
      i = parent;
    }
    items[i] = tx;
  }

  pop(): TxState | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= items.length) break;
      const r = l + 1;
      const c = r < items.length && before(items[r]!, items[l]!) ? r : l;
      if (!before(items[c]!, last)) break;
      items[i] = items[c]!;
      i = c;
    }
    items[i] = last;
    return top;
  }
}

export function seedFanOut(address: string, cap: number): StopRecord {
  return {
    location: address,
    address,
    amount: '0',
    hop: 0,
    reason: 'fan-out',
    detail: `the seed sent more than ${cap} transfers in the window: narrow the window or raise the fan-out cap`,
  };
}
