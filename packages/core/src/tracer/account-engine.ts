import type { AccountSource } from '../source';
import type { EdgeRecord, PolicyResult, StopRecord } from '../trace-file/schema';
import { assetId, compareStrings, type Label, type Transfer } from '../types';
import { summarize } from './summary';
import { type LedgerEvent, type LedgerResult, runLedger, stolenRuns, type Taint } from './taint';
import { MAX_RECOMPUTES_PER_ITEM, sameTaint, type TraceContext, tooManyRecomputes } from './trace-context';
import type { PolicyName } from './types';
import { seedFanOut } from './utxo-engine';

interface Ledger {
  outs: Transfer[];
  ins: Transfer[];
  /** All-asset traces: transactions in which the address sent some assets and got others back. */
  swaps: Swap[];
}

/** One swap at an address: what it sent (`outs`) and the other assets it received in the same transaction (`ins`). */
interface Swap {
  txid: string;
  outs: Transfer[];
  ins: Transfer[];
}

/**
 * The account engine (EVM, NEM). Stolen value sits in an address's balance; the address's whole history up to
 * `followUntil` (incoming and outgoing transfers) is run through the policy's ledger, so the clean funds that sat beside
 * the stolen ones count exactly; each outgoing transfer carries the taint the ledger gives it to the next address.
 * Where a source's history is incomplete, the ledger assumes the smallest opening balance that makes it balance.
 *
 * As in the UTXO engine, fetches run concurrently and the result is the policy's fixpoint over the addresses
 * reached: later-found arrivals just make an address's ledger run again, so arrival order never shows in the output.
 *
 * With `asset: 'all'` every asset has its own ledger at each address, and a swap (the address sends asset A and gets
 * asset B back in one transaction, as with a DEX pool) moves the taint on: the B received carries the stolen share of
 * the A sent (poison: all of it), and the A handed to the counterparty stops there as `swap` instead of being followed.
 */
export class AccountEngine {
  private readonly taint = new Map<string, Taint>();
  private readonly rule = new Map<string, string>();
  private readonly transfers = new Map<string, Transfer>();
  private readonly arrivals = new Map<string, Set<string>>();
  private readonly state = new Map<string, 'loading' | 'ready' | 'fan-out'>();
  private readonly ledgers = new Map<string, Ledger>();
  private readonly results = new Map<string, { byAsset: Map<string, LedgerResult>; count: number }>();
  /** Outgoing transfers handed to a swap counterparty: tainted, but the value goes on in the asset that came back. */
  private readonly swapped = new Set<string>();
  private readonly dirty = new Set<string>();
  private flushing = false;
  private readonly seedStops: StopRecord[] = [];
  /** The followed asset (in all-asset traces the native one, the only one `minAmount` applies to). */
  private readonly asset: string;
  private readonly all: boolean;
  private readonly queue;

  constructor(
    private readonly ctx: TraceContext,
    private readonly source: AccountSource,
    private readonly policy: PolicyName,
  ) {
    this.queue = ctx.newQueue();
    this.all = ctx.params.asset === 'all';
    this.asset = ctx.params.asset === undefined || this.all ? assetId(source.nativeAsset) : ctx.params.asset;
  }

  async run(): Promise<{ result: PolicyResult; transfers: Transfer[] }> {
    for (const seed of this.ctx.params.seeds) this.queue.spawn(() => this.seedAddress(seed));
    await this.queue.drain(() => this.report());
    return { result: this.result(), transfers: [...this.transfers.values()] };
  }

  /** Reads every page of an address's transfers in one direction; stops counting past `cap`. */
  private async readAll(
    address: string,
    direction: 'in' | 'out',
    since: number | undefined,
    until: number | undefined,
    cap: number,
  ): Promise<Transfer[] | 'over-cap'> {
    const out: Transfer[] = [];
    let cursor: string | undefined;
    for (;;) {
      const query = {
        address,
        direction,
        ...(since !== undefined ? { since } : {}),
        ...(until !== undefined ? { until } : {}),
        ...(cursor !== undefined ? { cursor } : {}),
      };
      const key = `${address}|${direction}|${since ?? ''}|${until ?? ''}|${cursor ?? ''}`;
      const page = await this.ctx.memo.transfers.get(key, () => this.source.getTransfers(query));
      for (const t of page.transfers) {
        const mine = direction === 'out' ? t.from === address : t.to === address;
        if (!mine || t.from === t.to || (!this.all && assetId(t.asset) !== this.asset)) continue;
        if ((since !== undefined && t.time < since) || (until !== undefined && t.time > until)) continue;
        out.push(t);
        if (out.length > cap) return 'over-cap';
      }
      if (!page.next) return out;
      cursor = page.next;
    }
  }

  /** All of the seed's outgoing transfers in the window are the stolen value (hop 1). */
  private async seedAddress(address: string): Promise<void> {
    const outs = await this.readAll(
      address,
      'out',
      this.ctx.params.since,
      this.ctx.params.until,
      this.ctx.params.stop.fanOutCap,
    );
    if (outs === 'over-cap') {
      this.seedStops.push(seedFanOut(address, this.ctx.params.stop.fanOutCap));
      return;
    }
    for (const t of outs) {
      if (this.ctx.seeds.has(t.to) || (this.all && t.amount === 0n)) continue;
      this.setTaint(t, { amount: t.amount, hop: 1, runs: stolenRuns(t.amount, 1) }, 'seed.outflow');
    }
  }

  /** Sets a transfer's taint; unless `arrives` is false (handed to a swap), the receiver is (re)considered. */
  private setTaint(t: Transfer, taint: Taint | null, rule: string, arrives = true): void {
    if (sameTaint(this.taint.get(t.id), taint)) return;
    if (taint) {
      this.taint.set(t.id, taint);
      this.rule.set(t.id, rule);
      this.transfers.set(t.id, t);
    } else {
      this.taint.delete(t.id);
    }
    if (!arrives) {
      this.swapped.add(t.id);
      return;
    }
    if (taint) {
      const set = this.arrivals.get(t.to) ?? new Set<string>();
      this.arrivals.set(t.to, set);
      set.add(t.id);
    } else {
      this.arrivals.get(t.to)?.delete(t.id);
    }
    this.consider(t.to);
  }

  /** Total stolen value that reached an address (in one asset, or all of them), at the nearest hop. */
  private aggregate(address: string, asset?: string): Taint {
    let amount = 0n;
    let hop = Number.POSITIVE_INFINITY;
    for (const id of this.arrivals.get(address) ?? []) {
      if (asset !== undefined && assetId(this.transfers.get(id)!.asset) !== asset) continue;
      const t = this.taint.get(id)!;
      amount += t.amount;
      hop = Math.min(hop, t.hop);
    }
    return { amount, hop };
  }

  /** Asset ids of the stolen value that reached an address (one in single-asset traces), sorted. */
  private assetsAt(address: string): string[] {
    if (!this.all) return [this.asset];
    const ids = new Set<string>();
    for (const id of this.arrivals.get(address) ?? []) ids.add(assetId(this.transfers.get(id)!.asset));
    return [...ids].sort(compareStrings);
  }

  /** Why value in `asset` stops at `address`, if it does (`minAmount` is in the followed asset's units). */
  private stopAt(address: string, asset: string, taint: Taint, labels: Label[]) {
    return this.ctx.stopFor(address, taint, labels, asset === this.asset);
  }

  /** Whether any stolen asset at the address is followed from there. */
  private follows(address: string, labels: Label[]): boolean {
    return this.assetsAt(address).some((asset) => {
      const taint = this.aggregate(address, this.all ? asset : undefined);
      return taint.amount > 0n && !this.stopAt(address, asset, taint, labels);
    });
  }

  private consider(address: string): void {
    const state = this.state.get(address);
    if (state === 'loading' || state === 'fan-out') return;
    if (state === 'ready') {
      this.dirty.add(address);
      this.flush();
      return;
    }
    this.queue.spawn(async () => {
      const labels = await this.ctx.labelsOf(address);
      if (this.state.has(address) || !this.follows(address, labels)) return;
      this.state.set(address, 'loading');
      const outs = await this.readAll(
        address,
        'out',
        undefined,
        this.ctx.params.followUntil,
        this.ctx.params.stop.fanOutCap,
      );
      if (outs === 'over-cap') {
        this.state.set(address, 'fan-out');
        return;
      }
      // Poison needs no clean incoming funds (unless swaps are followed: what came back is incoming); haircut and
      // FIFO need them to know the stolen share.
      const ins =
        this.policy === 'poison' && !this.all
          ? []
          : await this.readAll(address, 'in', undefined, this.ctx.params.followUntil, Number.POSITIVE_INFINITY);
      if (ins === 'over-cap') throw new Error('unreachable: incoming reads are not capped');
      this.ledgers.set(address, { outs, ins, swaps: this.all ? findSwaps(outs, ins) : [] });
      this.state.set(address, 'ready');
      this.consider(address);
    });
  }

  private flush(): void {
    // Re-entrant calls (a ledger run that changes an already loaded address) leave the work to the running loop,
    // so a long chain of re-runs never deepens the stack.
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.dirty.size > 0) {
        let next: string | undefined;
        for (const address of this.dirty) if (next === undefined || address < next) next = address;
        this.dirty.delete(next!);
        this.process(next!);
      }
    } finally {
      this.flushing = false;
    }
  }

  private process(address: string): void {
    const ledger = this.ledgers.get(address)!;
    const count = (this.results.get(address)?.count ?? 0) + 1;
    if (count > MAX_RECOMPUTES_PER_ITEM) throw tooManyRecomputes(address);
    const ins = new Map<string, Transfer>();
    for (const t of ledger.ins) ins.set(t.id, t);
    for (const id of this.arrivals.get(address) ?? []) ins.set(id, this.transfers.get(id)!);
    const native = assetId(this.source.nativeAsset);
    const byAsset = new Map<string, LedgerResult>();
    const outgoing = new Map<string, Taint>();
    const labels = this.ctx.knownLabels(address);
    for (const asset of this.assetsAt(address)) {
      // In all-asset traces an asset can stop here (hop limit) while another one goes on.
      if (this.all && this.stopAt(address, asset, this.aggregate(address, asset), labels)) continue;
      const of = (t: Transfer) => !this.all || assetId(t.asset) === asset;
      const ordered = [
        ...[...ins.values()].filter(of).map((t) => ({ t, dir: 0 })),
        ...ledger.outs.filter(of).map((t) => ({ t, dir: 1 })),
      ].sort(
        (a, b) =>
          a.t.time - b.t.time ||
          a.t.height - b.t.height ||
          (a.t.seq ?? 0) - (b.t.seq ?? 0) ||
          a.dir - b.dir ||
          compareStrings(a.t.id, b.t.id),
      );
      const events: LedgerEvent[] = ordered.map(({ t, dir }) =>
        dir === 0
          ? { kind: 'in', id: t.id, amount: t.amount, taint: this.taint.get(t.id) ?? null }
          : { kind: 'out', id: t.id, amount: t.amount, fee: asset === native ? (t.fee ?? 0n) : 0n },
      );
      const result = runLedger(this.policy, events);
      byAsset.set(asset, result);
      for (const [id, taint] of result.outgoing) outgoing.set(id, taint);
    }
    this.results.set(address, { byAsset, count });
    const handed = new Set<string>();
    const received = new Map<string, { t: Transfer; taint: Taint | null }>();
    for (const swap of ledger.swaps) {
      for (const t of swap.outs) handed.add(t.id);
      const taints = swapTaints(this.policy, swap, outgoing);
      swap.ins.forEach((t, i) => {
        received.set(t.id, { t, taint: taints[i] ?? null });
      });
    }
    for (const out of ledger.outs) {
      const swap = handed.has(out.id);
      const rule = swap ? `swap.out/${this.policy}` : `account.outflow/${this.policy}`;
      this.setTaint(out, outgoing.get(out.id) ?? null, rule, !swap);
    }
    for (const { t, taint } of received.values()) this.setTaint(t, taint, `swap.in/${this.policy}`);
  }

  private report(): void {
    this.ctx.onProgress?.({
      policy: this.policy,
      processed: this.results.size,
      pending: this.queue.size,
      edges: this.taint.size,
    });
  }

  private result(): PolicyResult {
    const edges: EdgeRecord[] = [...this.taint].map(([id, t]) => ({
      transfer: id,
      amount: t.amount.toString(),
      hop: t.hop,
      rule: this.rule.get(id)!,
      confidence: 1,
    }));
    const stops: StopRecord[] = [...this.seedStops];
    for (const id of this.swapped) {
      const taint = this.taint.get(id);
      if (!taint) continue;
      const t = this.transfers.get(id)!;
      stops.push({
        location: id,
        address: t.to,
        amount: taint.amount.toString(),
        hop: taint.hop,
        reason: 'swap',
        asset: assetId(t.asset),
        detail: `swapped in ${t.txid}: the value goes on in what came back`,
      });
    }
    for (const address of [...this.arrivals.keys()].sort(compareStrings)) {
      for (const asset of this.assetsAt(address)) stops.push(...this.stopsAt(address, asset));
    }
    if (!this.all) return summarize(edges, stops);
    const assetOf = (id: string) => assetId(this.transfers.get(id)!.asset);
    return summarize(edges, stops, { primary: this.asset, assetOf });
  }

  /** Where the stolen value in `asset` that reached `address` ended: stopped there, or held, or paid as fees. */
  private stopsAt(address: string, asset: string): StopRecord[] {
    const taint = this.aggregate(address, this.all ? asset : undefined);
    if (taint.amount === 0n) return [];
    const base = {
      location: address,
      address,
      amount: taint.amount.toString(),
      hop: taint.hop,
      ...(this.all ? { asset } : {}),
    };
    const stop = this.stopAt(address, asset, taint, this.ctx.knownLabels(address));
    if (stop) {
      return [
        {
          ...base,
          reason: stop.reason,
          ...(stop.label ? { label: stop.label.name, category: stop.label.category } : {}),
        },
      ];
    }
    if (this.state.get(address) === 'fan-out') {
      return [
        {
          ...base,
          reason: 'fan-out',
          detail: `more than ${this.ctx.params.stop.fanOutCap} outgoing transfers: probably a service`,
        },
      ];
    }
    const r = this.results.get(address)?.byAsset.get(asset);
    if (!r) return [];
    const out: StopRecord[] = [];
    if (r.remaining) {
      out.push({ ...base, amount: r.remaining.amount.toString(), hop: r.remaining.hop, reason: 'unspent' });
    }
    if (r.fee > 0n) out.push({ ...base, amount: r.fee.toString(), hop: taint.hop + 1, reason: 'fee' });
    return out;
  }
}

/**
 * Transactions in which the address sent some assets and received other assets back: swaps. Zero-value transfers
 * (an EVM call's own value, carrying only its fee) are not part of a swap.
 */
function findSwaps(outs: Transfer[], ins: Transfer[]): Swap[] {
  const byTx = new Map<string, Swap>();
  const entry = (txid: string) => {
    const e = byTx.get(txid) ?? { txid, outs: [], ins: [] };
    byTx.set(txid, e);
    return e;
  };
  for (const t of outs) if (t.amount > 0n) entry(t.txid).outs.push(t);
  for (const t of ins) if (t.amount > 0n) entry(t.txid).ins.push(t);
  const swaps: Swap[] = [];
  for (const e of byTx.values()) {
    const sent = new Set(e.outs.map((t) => assetId(t.asset)));
    const back = e.ins.filter((t) => !sent.has(assetId(t.asset)));
    if (e.outs.length > 0 && back.length > 0) {
      swaps.push({
        txid: e.txid,
        outs: e.outs.sort((a, b) => compareStrings(a.id, b.id)),
        ins: back.sort((a, b) => compareStrings(a.id, b.id)),
      });
    }
  }
  return swaps.sort((a, b) => compareStrings(a.txid, b.txid));
}

/**
 * The taint each transfer received in a swap carries: the stolen share of what was sent (per asset sent; with several
 * assets sent, the largest share — prices are not known), at the hop of what was sent. Poison: all of it.
 */
function swapTaints(policy: PolicyName, swap: Swap, outgoing: Map<string, Taint>): (Taint | null)[] {
  let best: { stolen: bigint; total: bigint } | undefined;
  let hop = Number.POSITIVE_INFINITY;
  const perAsset = new Map<string, { stolen: bigint; total: bigint }>();
  for (const t of swap.outs) {
    const a = perAsset.get(assetId(t.asset)) ?? { stolen: 0n, total: 0n };
    perAsset.set(assetId(t.asset), a);
    a.total += t.amount;
    const taint = outgoing.get(t.id);
    if (taint) {
      a.stolen += taint.amount;
      hop = Math.min(hop, taint.hop);
    }
  }
  for (const a of perAsset.values()) {
    if (a.stolen > 0n && (!best || a.stolen * best.total > best.stolen * a.total)) best = a;
  }
  if (!best) return swap.ins.map(() => null);
  const share = best;
  return swap.ins.map((t) => {
    const amount = policy === 'poison' ? t.amount : (t.amount * share.stolen) / share.total;
    return amount > 0n ? { amount, hop } : null;
  });
}
