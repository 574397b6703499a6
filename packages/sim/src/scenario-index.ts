import type { AccountScenario, SimBlock, SimUtxoTx, UtxoScenario } from './scenario';

/** Lookups over a UTXO scenario: built once per scenario (sources and the server share it). */
export interface UtxoScenarioIndex {
  /** txid → position in `scenario.transactions`. */
  position: Map<string, number>;
  /** txid → per vout, the spender as [tx position, vin] pairs (-1 when unspent). */
  spentBy: Map<string, Int32Array>;
  /** address → positions of the transactions touching it, oldest first, no repeats. */
  history: Map<string, number[]>;
  blockAt(height: number): SimBlock;
  tx(txid: string): SimUtxoTx | undefined;
}

/** Transfers of an account scenario per address, in chain order. */
export interface AccountScenarioIndex {
  incoming: Map<string, number[]>;
  outgoing: Map<string, number[]>;
}

const utxoIndexes = new WeakMap<UtxoScenario, UtxoScenarioIndex>();
const accountIndexes = new WeakMap<AccountScenario, AccountScenarioIndex>();

function push(m: Map<string, number[]>, key: string, value: number): void {
  const list = m.get(key);
  if (list === undefined) m.set(key, [value]);
  else if (list[list.length - 1] !== value) list.push(value);
}

/**
 * The (cached) index of a UTXO scenario.
 * @example indexUtxoScenario(scenario).history.get(scenario.seedAddress)
 */
export function indexUtxoScenario(scenario: UtxoScenario): UtxoScenarioIndex {
  const cached = utxoIndexes.get(scenario);
  if (cached) return cached;
  const position = new Map<string, number>();
  const spentBy = new Map<string, Int32Array>();
  const history = new Map<string, number[]>();
  const txs = scenario.transactions;
  for (let p = 0; p < txs.length; p++) {
    const tx = txs[p] as SimUtxoTx;
    position.set(tx.txid, p);
    spentBy.set(tx.txid, new Int32Array(tx.vout.length * 2).fill(-1));
    for (let i = 0; i < tx.vin.length; i++) {
      const input = tx.vin[i];
      if (input === undefined || input.coinbase) continue;
      const slots = spentBy.get(input.txid);
      if (slots === undefined) throw new Error(`simulated input spends unknown ${input.txid}`);
      slots[input.vout * 2] = p;
      slots[input.vout * 2 + 1] = i;
      push(history, input.address, p);
    }
    for (const o of tx.vout) if (o.address !== null) push(history, o.address, p);
  }
  const first = scenario.blocks[0]?.height ?? 1;
  const index: UtxoScenarioIndex = {
    position,
    spentBy,
    history,
    blockAt(height) {
      const b = scenario.blocks[height - first];
      if (b === undefined || b.height !== height) throw new Error(`simulated block ${height} is missing`);
      return b;
    },
    tx(txid) {
      const p = position.get(txid);
      return p === undefined ? undefined : txs[p];
    },
  };
  utxoIndexes.set(scenario, index);
  return index;
}

/**
 * The (cached) index of an account scenario.
 * @example indexAccountScenario(scenario).outgoing.get(scenario.seedAddress)
 */
export function indexAccountScenario(scenario: AccountScenario): AccountScenarioIndex {
  const cached = accountIndexes.get(scenario);
  if (cached) return cached;
  const incoming = new Map<string, number[]>();
  const outgoing = new Map<string, number[]>();
  scenario.transfers.forEach((t, i) => {
    push(outgoing, t.from, i);
    push(incoming, t.to, i);
  });
  const index = { incoming, outgoing };
  accountIndexes.set(scenario, index);
  return index;
}
