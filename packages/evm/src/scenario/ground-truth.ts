import type { Label } from '@fundflow/core';

/** Asset key (`ETH`, `SDOL`, `ODD`) → amount in base units as a decimal string. */
export type AssetAmounts = Record<string, string>;

/** Addresses of the anvil exchange-drain scenario by role (EIP-55 checksummed). */
export interface EvmScenarioRoles {
  /** Deploys the tokens, the pool, the mixer and the bridge; provides the pool's liquidity. */
  deployer: string;
  /** The drained exchange's hot wallet (the seed of a trace). */
  victimHotWallet: string;
  attacker: string;
  /** Every address the attacker paid directly or through the disperser, in order S1… */
  splits: string[];
  /** Splits that swap their tokens for ETH at the pool. */
  swappers: string[];
  /** Splits that deposit 10-ETH lots into the mixer (swappers included). */
  mixerDepositors: string[];
  /** The split that bridges ETH and tokens. */
  bridger: string;
  /** Splits that pay the receiving exchange's deposit address or deposit contract. */
  exchangeSenders: string[];
  /** The split that receives OddToken. */
  oddTokenHolder: string;
  /** An unrelated account that sends clean ETH to a traced split. */
  cleanSender: string;
  /** The split that receives those clean funds (after its stolen funds). */
  cleanReceiver: string;
  /** The receiving exchange's deposit address (an EOA that sweeps to the hot wallet). */
  exchangeDepositAddress: string;
  /** The receiving exchange's deposit contract (a Forwarder: ETH goes on to the hot wallet in the same tx). */
  exchangeDepositContract: string;
  /** The receiving exchange's hot wallet (labelled `exchange`). */
  exchangeHotWallet: string;
  /** Sends the mixer withdrawals. */
  relayer: string;
  /** Fresh addresses paid by mixer withdrawals. */
  mixerRecipients: string[];
  /** A customer of the victim exchange (paid before the theft) and an unrelated pool / mixer user. */
  customer: string;
  trader: string;
}

export interface EvmScenarioContracts {
  token: string;
  oddToken: string;
  pool: string;
  mixer: string;
  bridge: string;
  /** Deployed by the attacker (a contract creation by a traced address). */
  disperser: string;
  /** = roles.exchangeDepositContract. */
  forwarder: string;
}

/** One transaction the scenario sent, in chain order. */
export interface EvmScenarioTx {
  /** What the step does, e.g. `drain:eth:2`, `swap:S1`, `revert:swap:S3`. */
  step: string;
  hash: string;
  block: number;
  index: number;
  time: number;
  from: string;
  /** null for a contract creation. */
  to: string | null;
  /** Native value sent, wei. */
  value: string;
  status: 0 | 1;
  gasUsed: string;
  /** gasUsed × gasPrice, wei. */
  fee: string;
  /** The created contract, for a creation. */
  contractAddress?: string;
}

export interface EvmScenarioSwap {
  tx: string;
  trader: string;
  /** SDOL base units sent to the pool. */
  tokenIn: string;
  /** Wei paid back (an internal transfer from the pool). */
  ethOut: string;
  stolenTokenIn: string;
  stolenEthOut: string;
}

export interface EvmScenarioMixerWithdrawal {
  commitment: string;
  depositTx: string;
  depositor: string;
  withdrawTx: string;
  recipient: string;
  amount: string;
}

/** What the scenario's own FIFO bookkeeping says (see FifoLedger for the rule). */
export interface EvmFifoTruth {
  rule: string;
  /** Stolen per asset: what left the victim hot wallet for the attacker inside the theft window. */
  stolen: AssetAmounts;
  /** Stolen ETH that came out of swaps (the continuation of stolen SDOL). */
  swappedOut: AssetAmounts;
  /** Stolen value that reached a labelled stop, by category (`mixer`, `bridge`, `exchange`, `service` = the pool). */
  reached: Record<string, AssetAmounts>;
  /** Stolen value that arrived at each stop and at each exchange deposit address / contract. */
  reachedAt: Record<string, AssetAmounts>;
  /** Stolen value arriving at the receiving exchange's deposits (address + contract), summed. */
  exchangeDeposits: AssetAmounts;
  /** Stolen ETH burnt as gas by traced addresses. */
  fees: AssetAmounts;
  /** Stolen value still sitting at (non-stop) addresses at the end. */
  remaining: Record<string, AssetAmounts>;
}

/** The anvil exchange-drain scenario's ground truth; JSON-safe (bigints as decimal strings), deterministic. */
export interface EvmGroundTruth {
  format: 'fundflow.evm-scenario/1';
  /** fundflow chain name and chain id. */
  chain: string;
  chainId: number;
  /** e.g. `anvil 1.7.1 (4072e48)`. */
  node: string;
  /** Timestamp of the first scenario block and of the last. */
  startTime: number;
  endTime: number;
  lastBlock: number;
  /** Legacy (type 0) gas price of every transaction, wei. */
  gasPrice: string;
  /** Block times of the first and last drain transaction. */
  theftWindow: { since: number; until: number };
  /** Asset key → symbol, decimals (null: the contract has no `decimals()`), contract (null: native). */
  assets: Record<string, { symbol: string; decimals: number | null; contract: string | null }>;
  roles: EvmScenarioRoles;
  contracts: EvmScenarioContracts;
  labels: Label[];
  /** The labels as a fundflow CSV pack (`serializeCsvPack`). */
  labelsCsv: string;
  txs: EvmScenarioTx[];
  /** Hashes of interesting transactions, for probes. */
  probes: {
    drains: string[];
    contractCreation: string;
    reverted: string;
    oddTokenTransfer: string;
    cleanFunds: string;
    disperse: string;
    forwarded: string;
    bridgeEth: string;
    bridgeToken: string;
    sweeps: string[];
  };
  swaps: EvmScenarioSwap[];
  mixerWithdrawals: EvmScenarioMixerWithdrawal[];
  fifo: EvmFifoTruth;
  /** Final balance of every address the scenario touched, per asset (what eth_getBalance / balanceOf return). */
  balances: Record<string, AssetAmounts>;
}
