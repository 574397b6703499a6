import { FundflowError } from '../errors';
import type { UtxoSource } from '../source';
import type { EdgeRecord, PolicyResult, StopRecord } from '../trace-file/schema';
import { compareStrings, outpointId, parseOutpoint, type UtxoTransaction } from '../types';
import { summarize } from './summary';
import { type Piece, splitTransaction, stolenRuns, type Taint } from './taint';
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
  private readonly taint = new Map<string, Taint>();
  private readonly rule = new Map<string, string>();
  /** Outputs whose spender was looked up: they pass their taint on (or stop as unspent / out of window / fan-out). */
  private readonly followed = new Set<string>();
  private readonly processed = new Map<string, { fee: bigint; hop: number; count: number }>();
  private readonly dirty = new Set<string>();
  private flushing = false;
  private flushScheduled = false;
  private readonly seedStops: StopRecord[] = [];
  private readonly queue;

  constructor(
    private readonly ctx: TraceContext,
    private readonly source: UtxoSource,
    private readonly policy: PolicyName,
  ) {
    this.queue = ctx.newQueue();
  }

  async run(): Promise<{ result: PolicyResult; txids: string[] }> {
    for (const seed of this.ctx.params.seeds) {
      this.queue.spawn(() => (isOutpoint(seed) ? this.seedOutpoint(seed) : this.seedAddress(seed)));
    }
    await this.queue.drain(() => this.report());
    return { result: this.result(), txids: this.txidsUsed() };
  }

  private tx(txid: string): Promise<UtxoTransaction> {
    return this.ctx.memo.tx.get(txid, () => this.source.getTransaction(txid));
  }

  private async seedOutpoint(seed: string): Promise<void> {
    const { txid, vout } = parseOutpoint(seed);
    const tx = await this.tx(txid.toLowerCase());
    const out = tx.outputs[vout];
    if (!out) throw new FundflowError('NOT_FOUND', `Transaction ${txid} has no output ${vout}`, { details: { seed } });
    this.setTaint(
      outpointId(tx.txid, vout),
      { amount: out.value, hop: 1, runs: stolenRuns(out.value, 1) },
      'seed.outpoint',
    );
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
        for (const out of tx.outputs) {
          if (out.value === 0n || this.ctx.seeds.has(out.address)) continue;
          this.setTaint(
            outpointId(tx.txid, out.vout),
            { amount: out.value, hop: 1, runs: stolenRuns(out.value, 1) },
            'seed.outflow',
          );
        }
      }
      if (older || !page.next) return;
      cursor = page.next;
    }
  }

  private setTaint(outpoint: string, taint: Taint | null, rule: string): void {
    const old = this.taint.get(outpoint);
    if (sameTaint(old, taint)) return;
    if (taint) {
      this.taint.set(outpoint, taint);
      this.rule.set(outpoint, rule);
    } else {
      this.taint.delete(outpoint);
      this.rule.delete(outpoint);
    }
    this.consider(outpoint);
  }

  /** Decide (again) whether an output's taint moves on, and fetch what that needs. */
  private consider(outpoint: string): void {
    if (this.followed.has(outpoint)) {
      const { txid, vout } = parseOutpoint(outpoint);
      const spend = this.ctx.memo.outspends.peek(txid)?.[vout];
      if (spend?.spent && this.processed.has(spend.txid)) {
        this.dirty.add(spend.txid);
        this.flush();
      }
      return;
    }
    this.queue.spawn(async () => {
      const { txid, vout } = parseOutpoint(outpoint);
      // Answers already in hand are used without a turn of the event loop (replay speed).
      const tx = this.ctx.memo.tx.peek(txid) ?? (await this.tx(txid));
      const address = tx.outputs[vout]!.address;
      const labels = this.ctx.loadedLabels(address) ?? (await this.ctx.labelsOf(address));
      const taint = this.taint.get(outpoint);
      if (!taint || this.followed.has(outpoint) || this.ctx.stopFor(address, taint, labels)) return;
      this.followed.add(outpoint);
      const spends = await this.ctx.memo.outspends.get(txid, () => this.source.getOutspends(txid));
      const spend = spends[vout];
      if (!spend?.spent) return;
      const spender = await this.tx(spend.txid);
      if (!this.passes(spender)) return;
      this.dirty.add(spender.txid);
      this.scheduleFlush();
    });
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

  private flush(): void {
    // Work through dirty transactions lowest height first; re-entrant calls leave the work to the running loop.
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.dirty.size > 0) {
        let next: UtxoTransaction | undefined;
        for (const txid of this.dirty) {
          const tx = this.ctx.memo.tx.peek(txid)!;
          if (!next || heightKey(tx) - heightKey(next) < 0 || (tx.height === next.height && tx.txid < next.txid))
            next = tx;
        }
        this.dirty.delete(next!.txid);
        this.process(next!);
      }
    } finally {
      this.flushing = false;
    }
  }

  private process(tx: UtxoTransaction): void {
    const count = (this.processed.get(tx.txid)?.count ?? 0) + 1;
    if (count > MAX_RECOMPUTES_PER_ITEM) throw tooManyRecomputes(tx.txid);
    const inputs: Piece[] = tx.inputs.map((input) => {
      const taint = input.outpoint && this.followed.has(input.outpoint) ? this.taint.get(input.outpoint) : undefined;
      return { value: input.value, taint: taint ?? null };
    });
    const split = splitTransaction(
      this.policy,
      inputs,
      tx.outputs.map((o) => o.value),
      tx.fee,
    );
    const hop = Math.min(...inputs.map((p) => p.taint?.hop ?? Number.POSITIVE_INFINITY));
    this.processed.set(tx.txid, { fee: split.fee, hop: Number.isFinite(hop) ? hop : 0, count });
    tx.outputs.forEach((out, i) => {
      this.setTaint(outpointId(tx.txid, out.vout), split.outputs[i] ?? null, `utxo.spend/${this.policy}`);
    });
  }

  private report(): void {
    this.ctx.onProgress?.({
      policy: this.policy,
      processed: this.processed.size,
      pending: this.queue.size,
      edges: this.taint.size,
    });
  }

  private txidsUsed(): string[] {
    const ids = new Set<string>(this.processed.keys());
    for (const op of this.taint.keys()) ids.add(parseOutpoint(op).txid);
    return [...ids];
  }

  /** The chain's heuristics for one output, as edge provenance (annotations are computed once per transaction). */
  private heuristicsOf(txid: string, vout: number): Pick<EdgeRecord, 'heuristics' | 'mixed'> {
    if (!this.source.annotate) return {};
    let a = this.ctx.annotations.get(txid);
    if (a === undefined) {
      a = this.source.annotate(this.ctx.memo.tx.peek(txid)!) ?? null;
      this.ctx.annotations.set(txid, a);
    }
    if (a === null) return {};
    const found = (a.outputs ?? [])
      .filter((o) => o.vout === vout)
      .map((o) => ({ rule: o.rule, confidence: o.confidence }));
    return {
      ...(found.length > 0 ? { heuristics: found } : {}),
      ...(a.mixed ? { mixed: `${a.mixed.kind} ${a.mixed.denomination} ×${a.mixed.count}` } : {}),
    };
  }

  private result(): PolicyResult {
    const edges: EdgeRecord[] = [];
    const stops: StopRecord[] = [...this.seedStops];
    for (const op of [...this.taint.keys()].sort(compareStrings)) {
      const taint = this.taint.get(op)!;
      const { txid, vout } = parseOutpoint(op);
      const address = this.ctx.memo.tx.peek(txid)!.outputs[vout]!.address;
      edges.push({
        transfer: op,
        amount: taint.amount.toString(),
        hop: taint.hop,
        rule: this.rule.get(op)!,
        confidence: 1,
        ...this.heuristicsOf(txid, vout),
      });
      const labels = this.ctx.knownLabels(address);
      const stop = this.ctx.stopFor(address, taint, labels);
      const base = { location: op, address, amount: taint.amount.toString(), hop: taint.hop };
      if (stop) {
        stops.push({
          ...base,
          reason: stop.reason,
          ...(stop.label ? { label: stop.label.name, category: stop.label.category } : {}),
        });
        continue;
      }
      const spend = this.ctx.memo.outspends.peek(txid)?.[vout];
      if (!spend?.spent) {
        stops.push({ ...base, reason: 'unspent' });
        continue;
      }
      const spender = this.ctx.memo.tx.peek(spend.txid)!;
      if (!this.ctx.inFollowWindow(spender.confirmed ? spender.time : Number.MAX_SAFE_INTEGER)) {
        stops.push({ ...base, reason: 'time-window', detail: `spent by ${spender.txid} after the window` });
      } else if (spender.outputs.length > this.ctx.params.stop.fanOutCap) {
        stops.push({
          ...base,
          reason: 'fan-out',
          detail: `spent by ${spender.txid} with ${spender.outputs.length} outputs`,
        });
      }
    }
    for (const [txid, p] of [...this.processed].sort((a, b) => compareStrings(a[0], b[0]))) {
      if (p.fee > 0n)
        stops.push({ location: txid, address: txid, amount: p.fee.toString(), hop: p.hop + 1, reason: 'fee' });
    }
    return summarize(edges, stops);
  }
}

/** Resolves after the promise callbacks already queued have run (setImmediate in Node, a timer in browsers). */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof setImmediate === 'function') setImmediate(resolve);
    else setTimeout(resolve, 0);
  });
}

function heightKey(tx: UtxoTransaction): number {
  return tx.confirmed ? tx.height : Number.MAX_SAFE_INTEGER;
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
