/**
 * Blockstream Esplora (electrs) JSON for simulated transactions: the same fields, order and types as electrs'
 * `TransactionValue`, `TxInValue`, `TxOutValue`, `SpendingValue` and `/address/:a` stats. Absent fields are omitted,
 * never null (except a coinbase's `prevout`).
 */
import { COINBASE_TXID, COINBASE_VOUT, scriptAsm, serializeWithWitness, witnessOf } from './bitcoin-tx';
import type { SimOutput, SimUtxoTx, UtxoScenario } from './scenario';
import { indexUtxoScenario } from './scenario-index';
import { toHex } from './sha256';

export interface EsploraStatusJson {
  confirmed: boolean;
  block_height?: number;
  block_hash?: string;
  block_time?: number;
}

export interface EsploraOutputJson {
  scriptpubkey: string;
  scriptpubkey_asm: string;
  scriptpubkey_type: string;
  scriptpubkey_address?: string;
  value: number;
}

export interface EsploraInputJson {
  txid: string;
  vout: number;
  prevout: EsploraOutputJson | null;
  scriptsig: string;
  scriptsig_asm: string;
  witness?: string[];
  is_coinbase: boolean;
  sequence: number;
}

export interface EsploraTxJson {
  txid: string;
  version: number;
  locktime: number;
  vin: EsploraInputJson[];
  vout: EsploraOutputJson[];
  size: number;
  weight: number;
  fee: number;
  status: EsploraStatusJson;
}

export type EsploraOutspendJson =
  | { spent: false }
  | { spent: true; txid: string; vin: number; status: EsploraStatusJson };

export interface EsploraAddressStatsJson {
  funded_txo_count: number;
  funded_txo_sum: number;
  spent_txo_count: number;
  spent_txo_sum: number;
  tx_count: number;
}

function outputJson(o: SimOutput): EsploraOutputJson {
  const scriptpubkey_asm = scriptAsm(o.scriptpubkey);
  const value = Number(o.value);
  // Key order as electrs serializes it; no address key at all for scripts without one.
  return o.address === null
    ? { scriptpubkey: o.scriptpubkey, scriptpubkey_asm, scriptpubkey_type: o.type, value }
    : {
        scriptpubkey: o.scriptpubkey,
        scriptpubkey_asm,
        scriptpubkey_type: o.type,
        scriptpubkey_address: o.address,
        value,
      };
}

/**
 * Status of a confirmed simulated transaction (every simulated transaction is confirmed).
 * @example esploraStatus(scenario, tx) // { confirmed: true, block_height: 120, block_hash: '…', block_time: … }
 */
export function esploraStatus(scenario: UtxoScenario, tx: SimUtxoTx): EsploraStatusJson {
  const block = indexUtxoScenario(scenario).blockAt(tx.height);
  return { confirmed: true, block_height: block.height, block_hash: block.hash, block_time: block.time };
}

/**
 * `GET /tx/:txid` body for a simulated transaction.
 * @example JSON.stringify(esploraTx(scenario, scenario.transactions[200]))
 */
export function esploraTx(scenario: UtxoScenario, tx: SimUtxoTx): EsploraTxJson {
  const index = indexUtxoScenario(scenario);
  const vin: EsploraInputJson[] = tx.vin.map((input, i) => {
    if (input.coinbase) {
      return {
        txid: COINBASE_TXID,
        vout: COINBASE_VOUT,
        prevout: null,
        scriptsig: input.scriptsig,
        scriptsig_asm: scriptAsm(input.scriptsig),
        witness: witnessOf(tx.txid, i, true),
        is_coinbase: true,
        sequence: input.sequence,
      };
    }
    const prev = index.tx(input.txid)?.vout[input.vout];
    if (prev === undefined) throw new Error(`simulated prevout ${input.txid}:${input.vout} is missing`);
    return {
      txid: input.txid,
      vout: input.vout,
      prevout: outputJson(prev),
      scriptsig: '',
      scriptsig_asm: '',
      witness: witnessOf(tx.txid, i, false),
      is_coinbase: false,
      sequence: input.sequence,
    };
  });
  return {
    txid: tx.txid,
    version: tx.version,
    locktime: tx.locktime,
    vin,
    vout: tx.vout.map(outputJson),
    size: tx.size,
    weight: tx.weight,
    fee: Number(tx.fee),
    status: esploraStatus(scenario, tx),
  };
}

/**
 * `GET /tx/:txid/hex` body: the full segwit serialization.
 * @example esploraTxHex(tx).length / 2 === tx.size
 */
export function esploraTxHex(tx: SimUtxoTx): string {
  return toHex(serializeWithWitness(tx, tx.txid));
}

/**
 * `GET /tx/:txid/outspends` body (one entry per output; the status is the spender's).
 * @example esploraOutspends(scenario, tx)[0] // { spent: true, txid, vin, status } or { spent: false }
 */
export function esploraOutspends(scenario: UtxoScenario, tx: SimUtxoTx): EsploraOutspendJson[] {
  const slots = indexUtxoScenario(scenario).spentBy.get(tx.txid);
  if (slots === undefined) throw new Error(`simulated transaction ${tx.txid} is not indexed`);
  return tx.vout.map((_, vout) => {
    const p = slots[vout * 2] as number;
    if (p < 0) return { spent: false };
    const spender = scenario.transactions[p] as SimUtxoTx;
    return {
      spent: true,
      txid: spender.txid,
      vin: slots[vout * 2 + 1] as number,
      status: esploraStatus(scenario, spender),
    };
  });
}

/**
 * Funded/spent counters of `GET /address/:a` `chain_stats`.
 * @example esploraAddressStats(scenario, scenario.seedAddress).tx_count
 */
export function esploraAddressStats(scenario: UtxoScenario, address: string): EsploraAddressStatsJson {
  const stats = { funded_txo_count: 0, funded_txo_sum: 0, spent_txo_count: 0, spent_txo_sum: 0, tx_count: 0 };
  for (const p of indexUtxoScenario(scenario).history.get(address) ?? []) {
    const tx = scenario.transactions[p] as SimUtxoTx;
    stats.tx_count++;
    for (const o of tx.vout) {
      if (o.address !== address) continue;
      stats.funded_txo_count++;
      stats.funded_txo_sum += Number(o.value);
    }
    for (const i of tx.vin) {
      if (i.coinbase || i.address !== address) continue;
      stats.spent_txo_count++;
      stats.spent_txo_sum += Number(i.value);
    }
  }
  return stats;
}
