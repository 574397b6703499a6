import {
  type AccountSource,
  type Asset,
  canonicalJson,
  FundflowError,
  type Outspend,
  outpointId,
  type SourceInfo,
  sha256Hex,
  type Transfer,
  type TransferPage,
  type TransferQuery,
  type UtxoHistoryPage,
  type UtxoInput,
  type UtxoOutput,
  type UtxoSource,
  type UtxoTransaction,
} from '@fundflow/core';
import { decodeSegwitAddress } from './bech32';
import type { AccountScenario, SimTransfer, SimUtxoTx, UtxoScenario } from './scenario';
import { indexAccountScenario, indexUtxoScenario } from './scenario-index';
import { scriptId } from './script-id';

/** Esplora's page size for address history. */
export const UTXO_HISTORY_PAGE = 25;
export const ACCOUNT_TRANSFER_PAGE = 100;

function simInfo(chain: string, seed: number, size: number, network?: string): SourceInfo {
  const info: SourceInfo = { chain, kind: 'sim', endpoint: `sim://seed/${seed}/size/${size}` };
  if (network !== undefined) info.network = network;
  return info;
}

function evidenceOf(served: unknown): string[] {
  return [sha256Hex(canonicalJson(served))];
}

function checkTxid(txid: string, pattern: RegExp): string {
  if (typeof txid !== 'string' || !pattern.test(txid)) {
    throw new FundflowError('INVALID_ARGUMENT', `'${String(txid).slice(0, 80)}' is not a transaction id`, {
      details: { txid: String(txid).slice(0, 200) },
    });
  }
  return txid.toLowerCase();
}

/**
 * Validates a simulated Bitcoin regtest address: bech32/bech32m with hrp `bcrt`, checksum verified; returns it lower
 * case. Throws `INVALID_ADDRESS` for anything else, including valid addresses of other networks (bc1…, tb1…).
 * @example normalizeRegtestAddress('BCRT1Q…') // 'bcrt1q…'
 */
export function normalizeRegtestAddress(address: string): string {
  const decoded = typeof address === 'string' ? decodeSegwitAddress(address) : undefined;
  if (decoded === undefined) {
    throw new FundflowError('INVALID_ADDRESS', `'${String(address).slice(0, 100)}' is not a valid bech32 address`, {
      details: { chain: 'bitcoin', network: 'regtest', address: String(address).slice(0, 200) },
    });
  }
  if (decoded.hrp !== 'bcrt') {
    throw new FundflowError(
      'INVALID_ADDRESS',
      `'${address}' is a '${decoded.hrp}' address; the simulated chain is Bitcoin regtest (bcrt1…)`,
      { details: { chain: 'bitcoin', network: 'regtest', address, hrp: decoded.hrp } },
    );
  }
  return address.toLowerCase();
}

/**
 * In-process `UtxoSource` over a simulated UTXO scenario (no network): the same domain objects the Esplora source
 * reads from `startEsploraServer` for the same scenario, evidence aside.
 * @example
 *   const source = new SimUtxoSource(generateScenario({ seed: 1, model: 'utxo', size: 2000 }));
 *   await source.getAddressHistory(source.scenario.seedAddress);
 */
export class SimUtxoSource implements UtxoSource {
  readonly model = 'utxo' as const;
  readonly info: SourceInfo;
  readonly nativeAsset: Asset;

  constructor(readonly scenario: UtxoScenario) {
    if (scenario.model !== 'utxo') {
      throw new FundflowError('INVALID_ARGUMENT', 'SimUtxoSource needs a utxo scenario', {
        details: { model: scenario.model },
      });
    }
    this.info = simInfo(scenario.chain, scenario.seed, scenario.size, scenario.network);
    this.nativeAsset = scenario.nativeAsset;
  }

  normalizeAddress(address: string): string {
    return normalizeRegtestAddress(address);
  }

  async getTransaction(txid: string): Promise<UtxoTransaction> {
    const tx = this.find(txid);
    const outputs: UtxoOutput[] = tx.vout.map((o, vout) => ({
      vout,
      address: o.address ?? scriptId(o.scriptpubkey, o.type),
      value: o.value,
      scriptType: o.type,
      hasAddress: o.address !== null,
    }));
    const outputSum = outputs.reduce((s, o) => s + o.value, 0n);
    // A coinbase input carries what the coinbase claims (subsidy + fees), so inputs = outputs + fee holds everywhere.
    const inputs: UtxoInput[] = tx.vin.map((i) =>
      i.coinbase
        ? { value: outputSum, coinbase: true }
        : { outpoint: outpointId(i.txid, i.vout), address: i.address, value: i.value, coinbase: false },
    );
    const served = { txid: tx.txid, time: tx.time, height: tx.height, confirmed: true, inputs, outputs, fee: tx.fee };
    return { ...served, evidence: evidenceOf(served) };
  }

  async getOutspends(txid: string): Promise<Outspend[]> {
    const tx = this.find(txid);
    const index = indexUtxoScenario(this.scenario);
    const slots = index.spentBy.get(tx.txid) as Int32Array;
    return tx.vout.map((_, vout) => {
      const p = slots[vout * 2] as number;
      if (p < 0) return { spent: false };
      const spender = this.scenario.transactions[p] as SimUtxoTx;
      return { spent: true, txid: spender.txid, vin: slots[vout * 2 + 1] as number, height: spender.height };
    });
  }

  async getAddressHistory(address: string, cursor?: string): Promise<UtxoHistoryPage> {
    const normalized = this.normalizeAddress(address);
    const positions = indexUtxoScenario(this.scenario).history.get(normalized) ?? [];
    // Newest first: walk the chain-ordered list from its end.
    let start = positions.length - 1;
    if (cursor !== undefined) {
      const last = checkTxid(cursor, /^[0-9a-fA-F]{64}$/);
      const at = positions.findIndex((p) => this.scenario.transactions[p]?.txid === last);
      if (at < 0) {
        throw new FundflowError('INVALID_ARGUMENT', `cursor ${last} is not in the history of ${normalized}`, {
          details: { address: normalized, cursor: last },
        });
      }
      start = at - 1;
    }
    const txids: string[] = [];
    for (let i = start; i >= 0 && txids.length < UTXO_HISTORY_PAGE; i--) {
      txids.push((this.scenario.transactions[positions[i] as number] as SimUtxoTx).txid);
    }
    const remaining = start + 1 - txids.length;
    const page: UtxoHistoryPage = { txids };
    if (remaining > 0 && txids.length > 0) page.next = txids[txids.length - 1] as string;
    return page;
  }

  private find(txid: string): SimUtxoTx {
    const id = checkTxid(txid, /^[0-9a-fA-F]{64}$/);
    const tx = indexUtxoScenario(this.scenario).tx(id);
    if (tx === undefined) {
      throw new FundflowError('NOT_FOUND', `transaction ${id} is not in simulated scenario ${this.info.endpoint}`, {
        details: { txid: id, endpoint: this.info.endpoint },
      });
    }
    return tx;
  }
}

/**
 * In-process `AccountSource` over a simulated account scenario ('sim-account', native SIM).
 * @example
 *   const source = new SimAccountSource(generateScenario({ seed: 1, model: 'account', size: 2000 }));
 *   await source.getTransfers({ address: source.scenario.seedAddress, direction: 'out' });
 */
export class SimAccountSource implements AccountSource {
  readonly model = 'account' as const;
  readonly info: SourceInfo;
  readonly nativeAsset: Asset;
  private genesisByAddress: Map<string, SimTransfer> | undefined;

  constructor(readonly scenario: AccountScenario) {
    if (scenario.model !== 'account') {
      throw new FundflowError('INVALID_ARGUMENT', 'SimAccountSource needs an account scenario', {
        details: { model: scenario.model },
      });
    }
    this.info = simInfo(scenario.chain, scenario.seed, scenario.size);
    this.nativeAsset = scenario.nativeAsset;
  }

  normalizeAddress(address: string): string {
    if (typeof address !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(address)) {
      throw new FundflowError('INVALID_ADDRESS', `'${String(address).slice(0, 100)}' is not a 0x + 40 hex address`, {
        details: { chain: this.scenario.chain, address: String(address).slice(0, 200) },
      });
    }
    return address.toLowerCase();
  }

  /** Transfers in chain order (time ascending), 100 per page; the cursor is the offset of the next page. */
  async getTransfers(query: TransferQuery): Promise<TransferPage> {
    const address = this.normalizeAddress(query.address);
    if (query.direction !== 'in' && query.direction !== 'out') {
      throw new FundflowError('INVALID_ARGUMENT', `direction must be 'in' or 'out'`, {
        details: { direction: String(query.direction) },
      });
    }
    const index = indexAccountScenario(this.scenario);
    const transfers = this.scenario.transfers;
    const positions = (query.direction === 'in' ? index.incoming : index.outgoing).get(address) ?? [];
    // The genesis allocation is shown as the first incoming transfer, as explorers show genesis allocs, so a
    // reader of the history sees the whole balance (no clean funds appear from nowhere).
    const genesis = query.direction === 'in' ? this.genesisTransfer(address) : undefined;
    const all: SimTransfer[] = genesis ? [genesis] : [];
    for (const p of positions) all.push(transfers[p] as SimTransfer);
    const since = query.since ?? Number.NEGATIVE_INFINITY;
    const until = query.until ?? Number.POSITIVE_INFINITY;
    // In time order: the range is one slice.
    const lo = lowerBound(all.length, (i) => (all[i] as SimTransfer).time >= since);
    const hi = lowerBound(all.length, (i) => (all[i] as SimTransfer).time > until);
    let offset = 0;
    if (query.cursor !== undefined) {
      offset = /^\d{1,9}$/.test(query.cursor) ? Number(query.cursor) : -1;
      if (offset < 0 || offset > hi - lo) {
        throw new FundflowError('INVALID_ARGUMENT', `cursor '${query.cursor}' does not belong to this query`, {
          details: { cursor: query.cursor, address },
        });
      }
    }
    const from = lo + offset;
    const to = Math.min(hi, from + ACCOUNT_TRANSFER_PAGE);
    const page: TransferPage = {
      transfers: all.slice(from, to).map((t) => this.toTransfer(t)),
    };
    if (to < hi) page.next = String(to - lo);
    return page;
  }

  private genesisTransfer(address: string): SimTransfer | undefined {
    if (!this.genesisByAddress) {
      const time = (this.scenario.blocks[0]?.time ?? 0) - 1;
      this.genesisByAddress = new Map();
      for (const g of this.scenario.genesis) {
        const prev = this.genesisByAddress.get(g.address);
        this.genesisByAddress.set(g.address, {
          id: `genesis:${g.address}`,
          txid: 'genesis',
          from: GENESIS_ADDRESS,
          to: g.address,
          amount: (prev?.amount ?? 0n) + g.amount,
          fee: 0n,
          time,
          height: 0,
        });
      }
    }
    return this.genesisByAddress.get(address);
  }

  private toTransfer(t: SimTransfer): Transfer {
    const served = {
      id: t.id,
      txid: t.txid,
      from: t.from,
      to: t.to,
      asset: this.nativeAsset,
      amount: t.amount,
      fee: t.fee,
      time: t.time,
      height: t.height,
      kind: 'native' as const,
    };
    return { ...served, evidence: evidenceOf(served) };
  }
}

/** Sender of genesis allocations in the served history. */
export const GENESIS_ADDRESS = `0x${'0'.repeat(40)}`;

/** First index in [0, n) where `ok` holds (ok is monotone), or n. */
function lowerBound(n: number, ok: (i: number) => boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ok(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
