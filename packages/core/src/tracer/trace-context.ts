import { FundflowError } from '../errors';
import type { ChainSource, TransferPage, UtxoAnnotation, UtxoHistoryPage } from '../source';
import { compareStrings, type Label, type Outspend, type UtxoTransaction } from '../types';
import type { Taint } from './taint';
import type { PolicyName, StopReason, TraceParams } from './types';
import { Memo, WorkQueue } from './work-queue';

/** Anything that answers label look-ups: the LabelRegistry, or a test's table. */
export interface LabelLookup {
  lookup(chain: string, address: string): Label[];
}

export interface TraceProgress {
  policy: PolicyName;
  /** Transactions (UTXO) or addresses (account) worked through so far. */
  processed: number;
  /** Fetches still running. */
  pending: number;
  /** Tainted transfers found so far. */
  edges: number;
}

/** What one trace shares across its policies: the source's answers (each asked once), labels, parameters. */
export class TraceContext {
  readonly seeds: Set<string>;
  /**
   * Heuristic annotations (null: none) worked out by one policy's engine, for the others, when several run. A single
   * policy keeps each in its own transaction state and needs no table.
   */
  readonly annotations: WeakMap<UtxoTransaction, UtxoAnnotation | null> | undefined;
  private readonly labelMemo = new Memo<Label[]>();
  /** Addresses whose look-up found labels: few, against the hundreds of thousands looked up. */
  private readonly labelled = new Set<string>();
  /** Each source call is made once per trace, whichever policy or branch asks first. */
  readonly memo = {
    tx: new Memo<UtxoTransaction>(),
    outspends: new Memo<Outspend[]>(),
    history: new Memo<UtxoHistoryPage>(),
    transfers: new Memo<TransferPage>(),
  };

  constructor(
    readonly source: ChainSource,
    readonly params: TraceParams,
    readonly labels: LabelLookup | undefined,
    readonly signal: AbortSignal | undefined,
    readonly onProgress: ((p: TraceProgress) => void) | undefined,
  ) {
    this.seeds = new Set(params.seeds.filter((s) => !isOutpoint(s)));
    this.annotations = params.policies.length > 1 ? new WeakMap() : undefined;
  }

  newQueue(): WorkQueue {
    return new WorkQueue(this.signal);
  }

  /** Labels of an address from the packs and from the chain itself (NEM warning mosaics), sorted. */
  labelsOf(address: string): Promise<Label[]> {
    const known = this.loadedLabels(address);
    if (known !== undefined) return Promise.resolve(known);
    return this.labelMemo.get(address, async () => {
      const fromPacks = this.labels?.lookup(this.source.info.chain, address) ?? [];
      const fromChain = this.source.getLabels ? await this.source.getLabels(address) : [];
      const labels = [...fromPacks, ...fromChain].sort(compareLabels);
      if (labels.length > 0) this.labelled.add(address);
      return labels;
    });
  }

  /**
   * Labels if their look-up has finished, else undefined. When the source has no labels of its own (all but NEM),
   * the packs answer at once: looked up here, with no task and no promise per address.
   */
  loadedLabels(address: string): Label[] | undefined {
    const known = this.labelMemo.peek(address);
    if (known !== undefined || this.source.getLabels !== undefined) return known;
    const found = this.labels?.lookup(this.source.info.chain, address) ?? [];
    // Most addresses have no label: they share one empty list (a trace looks up every address it reaches).
    const labels = found.length === 0 ? NO_LABELS : found.slice().sort(compareLabels);
    if (labels.length > 0) this.labelled.add(address);
    this.labelMemo.set(address, labels);
    return labels;
  }

  /** The addresses whose labels were looked up and found. */
  labelledAddresses(): ReadonlySet<string> {
    return this.labelled;
  }

  /** Labels already looked up (after a trace: every address that received stolen value). */
  knownLabels(address: string): Label[] {
    return this.labelMemo.peek(address) ?? [];
  }

  /** The label that makes an address a cash-out point, if any. */
  stopLabel(labels: Label[]): Label | undefined {
    return labels.find((l) => this.params.stop.stopCategories.includes(l.category));
  }

  /**
   * Whether stolen value arriving at `address` stops there, and why; undefined when it is followed.
   * The order matters: returning to the victim beats a label, a label beats the hop limit, the hop limit beats dust.
   * `dust: false` skips the minimum-amount rule (an asset `minAmount` is not in).
   */
  stopFor(
    address: string,
    taint: Taint,
    labels: Label[],
    dust = true,
  ): { reason: StopReason; label?: Label } | undefined {
    if (this.seeds.has(address)) return { reason: 'returned' };
    const label = this.stopLabel(labels);
    if (label) return { reason: 'cash-out', label };
    if (taint.hop >= this.params.stop.maxHops) return { reason: 'max-hops' };
    if (dust && taint.amount < this.params.stop.minAmount) return { reason: 'dust' };
    return undefined;
  }

  /** Inside the theft window (seed outflows). */
  inTheftWindow(time: number): boolean {
    const { since, until } = this.params;
    return (since === undefined || time >= since) && (until === undefined || time <= until);
  }

  /** Early enough to follow (`followUntil`). */
  inFollowWindow(time: number): boolean {
    const { followUntil } = this.params;
    return followUntil === undefined || time <= followUntil;
  }
}

const NO_LABELS: Label[] = Object.freeze([]) as unknown as Label[];

export function isOutpoint(seed: string): boolean {
  return /^[0-9a-fA-F]{64}:\d+$/.test(seed);
}

function compareLabels(a: Label, b: Label): number {
  return compareStrings(a.pack, b.pack) || compareStrings(a.name, b.name) || compareStrings(a.category, b.category);
}

/** Guards fixpoint iteration on pathological same-second cycles. */
export const MAX_RECOMPUTES_PER_ITEM = 10_000;

export function tooManyRecomputes(what: string): FundflowError {
  return new FundflowError('UNSUPPORTED', `The taint of ${what} did not settle; the trace contains a same-time cycle`, {
    details: { what },
  });
}

/** Two taints are the same when amount, hop and (FIFO) positions agree. */
export function sameTaint(a: Taint | undefined, b: Taint | null): boolean {
  if (!a || !b) return !a && !b;
  if (a.amount !== b.amount || a.hop !== b.hop) return false;
  const ra = a.runs ?? [];
  const rb = b.runs ?? [];
  if (ra.length !== rb.length) return false;
  return ra.every((r, i) => r.length === rb[i]!.length && r.hop === rb[i]!.hop);
}
