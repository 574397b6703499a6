import type { AccountSource } from '../source';
import type { EdgeRecord, PolicyResult, StopRecord } from '../trace-file/schema';
import { assetId, compareStrings, type Transfer } from '../types';
import { summarize } from './summary';
import { type LedgerEvent, type LedgerResult, runLedger, stolenRuns, type Taint } from './taint';
import { MAX_RECOMPUTES_PER_ITEM, sameTaint, type TraceContext, tooManyRecomputes } from './trace-context';
import type { PolicyName } from './types';
import { seedFanOut } from './utxo-engine';

interface Ledger {
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
 */
export class AccountEngine {
  private readonly taint = new Map<string, Taint>();
  private readonly rule = new Map<string, string>();
  private readonly transfers = new Map<string, Transfer>();
  private readonly arrivals = new Map<string, Set<string>>();
  private readonly state = new Map<string, 'loading' | 'ready' | 'fan-out'>();
  private readonly ledgers = new Map<string, Ledger>();
  private readonly results = new Map<string, LedgerResult & { count: number }>();
  private readonly dirty = new Set<string>();
  private flushing = false;
  private readonly seedStops: StopRecord[] = [];
  private readonly asset: string;
  private readonly queue;

  constructor(
    private readonly ctx: TraceContext,
    private readonly source: AccountSource,
    private readonly policy: PolicyName,
  ) {
    this.queue = ctx.newQueue();
    this.asset = ctx.params.asset ?? assetId(source.nativeAsset);
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
        if (!mine || t.from === t.to || assetId(t.asset) !== this.asset) continue;
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
      if (this.ctx.seeds.has(t.to)) continue;
      this.setTaint(t, { amount: t.amount, hop: 1, runs: stolenRuns(t.amount, 1) }, 'seed.outflow');
    }
  }

  private setTaint(t: Transfer, taint: Taint | null, rule: string): void {
    if (sameTaint(this.taint.get(t.id), taint)) return;
    if (taint) {
      this.taint.set(t.id, taint);
      this.rule.set(t.id, rule);
      this.transfers.set(t.id, t);
      const set = this.arrivals.get(t.to) ?? new Set<string>();
      this.arrivals.set(t.to, set);
      set.add(t.id);
    } else {
      this.taint.delete(t.id);
      this.arrivals.get(t.to)?.delete(t.id);
    }
    this.consider(t.to);
  }

  /** Total stolen value that reached an address, at the nearest hop. */
  private aggregate(address: string): Taint {
    let amount = 0n;
    let hop = Number.POSITIVE_INFINITY;
    for (const id of this.arrivals.get(address) ?? []) {
      const t = this.taint.get(id)!;
      amount += t.amount;
      hop = Math.min(hop, t.hop);
    }
    return { amount, hop };
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
      const taint = this.aggregate(address);
      if (this.state.has(address) || taint.amount === 0n || this.ctx.stopFor(address, taint, labels)) return;
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
      // Poison needs no clean incoming funds; haircut and FIFO need them to know the stolen share.
      const ins =
        this.policy === 'poison'
          ? []
          : await this.readAll(address, 'in', undefined, this.ctx.params.followUntil, Number.POSITIVE_INFINITY);
      if (ins === 'over-cap') throw new Error('unreachable: incoming reads are not capped');
      this.ledgers.set(address, { outs, ins });
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
    const native = this.asset === assetId(this.source.nativeAsset);
    const ordered = [...[...ins.values()].map((t) => ({ t, dir: 0 })), ...ledger.outs.map((t) => ({ t, dir: 1 }))].sort(
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
        : { kind: 'out', id: t.id, amount: t.amount, fee: native ? (t.fee ?? 0n) : 0n },
    );
    const result = runLedger(this.policy, events);
    this.results.set(address, { ...result, count });
    for (const out of ledger.outs) {
      this.setTaint(out, result.outgoing.get(out.id) ?? null, `account.outflow/${this.policy}`);
    }
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
    for (const address of [...this.arrivals.keys()].sort(compareStrings)) {
      const taint = this.aggregate(address);
      if (taint.amount === 0n) continue;
      const base = { location: address, address, amount: taint.amount.toString(), hop: taint.hop };
      const stop = this.ctx.stopFor(address, taint, this.ctx.knownLabels(address));
      if (stop) {
        stops.push({
          ...base,
          reason: stop.reason,
          ...(stop.label ? { label: stop.label.name, category: stop.label.category } : {}),
        });
      } else if (this.state.get(address) === 'fan-out') {
        stops.push({
          ...base,
          reason: 'fan-out',
          detail: `more than ${this.ctx.params.stop.fanOutCap} outgoing transfers: probably a service`,
        });
      } else {
        const r = this.results.get(address)!;
        if (r.remaining) {
          stops.push({ ...base, amount: r.remaining.amount.toString(), hop: r.remaining.hop, reason: 'unspent' });
        }
        if (r.fee > 0n) stops.push({ ...base, amount: r.fee.toString(), hop: taint.hop + 1, reason: 'fee' });
      }
    }
    return summarize(edges, stops);
  }
}
