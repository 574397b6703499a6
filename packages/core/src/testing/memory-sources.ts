import { FundflowError } from '../errors';
import type {
  AccountSource,
  SourceInfo,
  TransferPage,
  TransferQuery,
  UtxoAnnotation,
  UtxoHistoryPage,
  UtxoSource,
} from '../source';
import { type Asset, type Outspend, outpointId, type Transfer, type UtxoTransaction } from '../types';

/** Optional per-call delay, to show that answer order never changes a trace. */
export type Delay = (what: string) => number;

const sleep = (ms: number) => (ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve());

/**
 * A UTXO source over transactions held in memory, for unit tests of the tracer and of code above it.
 * Addresses are any non-empty string without spaces. Each call is counted in `calls`.
 * @example new MemoryUtxoSource([tx1, tx2]).getOutspends(tx1.txid)
 */
export class MemoryUtxoSource implements UtxoSource {
  readonly model = 'utxo';
  readonly info: SourceInfo = { chain: 'memory-utxo', kind: 'memory', endpoint: 'memory://utxo' };
  readonly nativeAsset: Asset = { chain: 'memory-utxo', symbol: 'MU', decimals: 8 };
  readonly calls: string[] = [];
  /** Optional heuristics, as a chain package's source provides them. */
  annotate?: (tx: UtxoTransaction) => UtxoAnnotation | undefined;
  private readonly txs = new Map<string, UtxoTransaction>();
  private readonly spends = new Map<string, { txid: string; vin: number; height: number }>();

  constructor(
    txs: UtxoTransaction[],
    private readonly delay: Delay = () => 0,
  ) {
    for (const tx of txs) {
      this.txs.set(tx.txid, tx);
      tx.inputs.forEach((input, vin) => {
        if (input.outpoint) this.spends.set(input.outpoint, { txid: tx.txid, vin, height: tx.height });
      });
    }
  }

  normalizeAddress(address: string): string {
    if (!/^[^\s]+$/.test(address) || /^[0-9a-f]{64}/.test(address)) {
      throw new FundflowError('INVALID_ADDRESS', `${address} is not an address`, { details: { address } });
    }
    return address;
  }

  async getTransaction(txid: string): Promise<UtxoTransaction> {
    this.calls.push(`tx ${txid}`);
    await sleep(this.delay(`tx ${txid}`));
    const tx = this.txs.get(txid);
    if (!tx) throw new FundflowError('NOT_FOUND', `Transaction ${txid} not found`, { details: { txid } });
    return tx;
  }

  async getOutspends(txid: string): Promise<Outspend[]> {
    this.calls.push(`outspends ${txid}`);
    await sleep(this.delay(`outspends ${txid}`));
    const tx = this.txs.get(txid);
    if (!tx) throw new FundflowError('NOT_FOUND', `Transaction ${txid} not found`, { details: { txid } });
    return tx.outputs.map((o) => {
      const s = this.spends.get(outpointId(txid, o.vout));
      return s ? { spent: true as const, txid: s.txid, vin: s.vin, height: s.height } : { spent: false as const };
    });
  }

  async getAddressHistory(address: string, cursor?: string): Promise<UtxoHistoryPage> {
    this.calls.push(`history ${address} ${cursor ?? ''}`);
    await sleep(this.delay(`history ${address}`));
    const all = [...this.txs.values()]
      .filter((tx) => tx.inputs.some((i) => i.address === address) || tx.outputs.some((o) => o.address === address))
      .sort((a, b) => b.height - a.height || (a.txid < b.txid ? -1 : 1))
      .map((tx) => tx.txid);
    const start = cursor ? all.indexOf(cursor) + 1 : 0;
    const txids = all.slice(start, start + 25);
    return txids.length === 25 && start + 25 < all.length ? { txids, next: txids[24]! } : { txids };
  }
}

/**
 * An account source over transfers held in memory (or produced lazily by `pages`), for unit tests.
 * @example new MemoryAccountSource([{ id: 't1', from: 'a', to: 'b', … }])
 */
export class MemoryAccountSource implements AccountSource {
  readonly model = 'account';
  readonly info: SourceInfo = { chain: 'memory-account', kind: 'memory', endpoint: 'memory://account' };
  readonly nativeAsset: Asset = { chain: 'memory-account', symbol: 'MA', decimals: 6 };
  readonly calls: string[] = [];

  constructor(
    private readonly transfers: Transfer[],
    private readonly delay: Delay = () => 0,
    private readonly pageSize = 10,
  ) {}

  normalizeAddress(address: string): string {
    if (!/^[a-z0-9-]+$/.test(address)) {
      throw new FundflowError('INVALID_ADDRESS', `${address} is not an address`, { details: { address } });
    }
    return address;
  }

  async getTransfers(q: TransferQuery): Promise<TransferPage> {
    this.calls.push(`${q.direction} ${q.address} ${q.since ?? ''} ${q.cursor ?? ''}`);
    await sleep(this.delay(`${q.direction} ${q.address}`));
    const all = this.transfers
      .filter((t) => (q.direction === 'out' ? t.from === q.address : t.to === q.address))
      .filter((t) => (q.since === undefined || t.time >= q.since) && (q.until === undefined || t.time <= q.until))
      .sort((a, b) => b.time - a.time || (a.id < b.id ? -1 : 1));
    const start = q.cursor ? Number(q.cursor) : 0;
    const page = all.slice(start, start + this.pageSize);
    return start + this.pageSize < all.length
      ? { transfers: page, next: String(start + this.pageSize) }
      : { transfers: page };
  }
}
