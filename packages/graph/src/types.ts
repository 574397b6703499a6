import type { PolicyName } from '@fundflow/core';
import type { MultiDirectedGraph } from 'graphology';

/**
 * How far transfers are aggregated into nodes:
 * - `transfer`: UTXO transactions are nodes and every output (`txid:vout`) is an edge from the transaction that made it
 *   to the transaction that spent it (or to the address it still sits at); account chains: as `address`.
 * - `address`: one node per address.
 * - `cluster`: UTXO common-input clusters (all inputs of a non-CoinJoin transaction are one owner); account: as `address`.
 * - `entity`: addresses with a label are merged per label name; unlabelled addresses stay address nodes.
 */
export type GraphLevel = 'transfer' | 'address' | 'cluster' | 'entity';
export const GRAPH_LEVELS: readonly GraphLevel[] = ['transfer', 'address', 'cluster', 'entity'];

/** Per-policy decimal-string amounts, flat so that every export format keeps them (`in_fifo`, `taint_haircut`, …). */
export type PolicyAmounts<Prefix extends string> = { [P in PolicyName as `${Prefix}_${P}`]?: string };

/**
 * Node attributes. Amounts are decimal strings of base units (never floats); `x`/`y` are drawing coordinates only.
 * `hop` is the first hop at which traced value arrived (0 for a seed, −1 for an address that only sent clean value
 * beside the stolen funds).
 */
export type FlowNodeAttributes = {
  kind: 'address' | 'cluster' | 'entity' | 'transaction';
  /** Text to draw: the label name, else the address / txid. Chain- and label-supplied: escape before display. */
  label: string;
  /** Address (address level), representative address (cluster), txid (transaction). */
  address: string;
  /** Number of addresses merged into this node (1 at address level). */
  members: number;
  labelName: string;
  category: string;
  labelSource: string;
  seed: boolean;
  hop: number;
  firstTime: number;
  lastTime: number;
  /** Total value received / sent over the transfers in the trace (stolen and clean). */
  received: string;
  sent: string;
  x?: number;
  y?: number;
} & PolicyAmounts<'in'> &
  PolicyAmounts<'out'> &
  PolicyAmounts<'stopped'> &
  PolicyAmounts<'cashout'> &
  PolicyAmounts<'fee'> & { [P in PolicyName as `stop_${P}`]?: string };

/** Edge attributes: one edge per transfer, keyed by the transfer id; `taint_<policy>` is what the policy traced on it. */
export type FlowEdgeAttributes = {
  transfer: string;
  txid: string;
  asset: string;
  /** Transfer kind (`utxo`, `native`, `token`, …) or `input` for a transfer-level edge into a traced transaction. */
  kind: string;
  amount: string;
  time: number;
  height: number;
  /** Hop under the first policy that traced this transfer; untainted: the hop of its transaction, or 0. */
  hop: number;
  tainted: boolean;
  rule: string;
  confidence: number;
  /** sha256 of the responses the transfer was read from, space-separated. */
  evidence: string;
  memo: string;
  /** For drawing only (stroke width): log-scaled largest tainted amount. Never use it as money. */
  drawWeight: number;
} & PolicyAmounts<'taint'>;

/** Graph attributes: where the graph came from. */
export type FlowGraphAttributes = {
  format: 'fundflow.graph/1';
  level: GraphLevel;
  chain: string;
  model: 'utxo' | 'account';
  asset: string;
  symbol: string;
  decimals: number;
  /** Policies in the trace, comma-separated in trace order. */
  policies: string;
  seeds: string;
};

export type FlowGraph = MultiDirectedGraph<FlowNodeAttributes, FlowEdgeAttributes, FlowGraphAttributes>;
