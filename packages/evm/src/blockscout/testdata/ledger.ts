import { addr, BLOCK0, ETH, timeOf, txh } from '../../etherscan/testdata/ledger';
import type { BlockscoutLedger, Item } from './fake-blockscout';

// Hand-written items in Blockscout REST API v2's documented shape (see ../blockscout-wire.ts for the server views they
// follow), not recorded live. Same drain story and names as the Etherscan test data.

export { addr, BLOCK0, ETH, timeOf, txh };
export const VICTIM = addr('victim');
export const ATTACKER = addr('attacker');
export const DRAINER = addr('drainer-contract');
export const MIXER = addr('mixer');
export const EXCHANGE = addr('exchange-deposit');
export const USDT = addr('usdt');
export const ODD_TOKEN = addr('odd-token');
export const NFT = addr('nft');

const iso = (block: number) => new Date(timeOf(block) * 1000).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
const party = (hash: string | null, isContract = false) =>
  hash === null
    ? null
    : {
        hash,
        is_contract: isContract,
        name: null,
        implementations: [],
        is_verified: isContract,
        ens_domain_name: null,
        metadata: null,
        private_tags: [],
        watchlist_names: [],
        public_tags: [],
      };

export function tx(p: {
  name: string;
  block: number | null;
  position: number;
  from: string;
  to: string | null;
  value: bigint;
  created?: string;
  failed?: boolean;
  gasUsed?: bigint;
  withFee?: boolean;
}): Item {
  const gasUsed = p.gasUsed ?? 21_000n;
  const gasPrice = 23_000_000_000n;
  const fee = gasUsed * gasPrice;
  return {
    timestamp: p.block === null ? null : iso(p.block),
    fee: p.withFee === false ? null : { type: 'actual', value: String(fee) },
    gas_limit: String(gasUsed + 50_000n),
    block_number: p.block,
    status: p.block === null ? null : p.failed ? 'error' : 'ok',
    method: p.to === null ? null : p.value > 0n ? null : 'withdraw',
    confirmations: 1_000_000,
    type: 2,
    exchange_rate: '2541.17',
    to: party(p.to),
    transaction_burnt_fee: String(fee / 2n),
    max_fee_per_gas: '30000000000',
    result: p.block === null ? 'pending' : p.failed ? 'Reverted' : 'success',
    hash: txh(p.name),
    gas_price: String(gasPrice),
    priority_fee: String(fee / 2n),
    base_fee_per_gas: '11500000000',
    from: party(p.from),
    token_transfers: null,
    transaction_types: p.to === null ? ['contract_creation'] : ['coin_transfer'],
    gas_used: String(gasUsed),
    created_contract: p.created === undefined ? null : party(p.created, true),
    position: p.position,
    nonce: 17,
    has_error_in_internal_transactions: false,
    actions: [],
    decoded_input: null,
    token_transfers_overflow: null,
    raw_input: '0x',
    value: String(p.value),
    max_priority_fee_per_gas: '1500000000',
    revert_reason: null,
    confirmation_duration: [0, 12000],
    transaction_tag: null,
  };
}

export function itx(p: {
  name: string;
  block: number;
  txIndex?: number;
  index: number;
  from: string;
  to: string | null;
  value: bigint;
  type?: string;
  created?: string;
  error?: string;
}): Item {
  return {
    error: p.error ?? null,
    success: p.error === undefined,
    type: p.type ?? 'call',
    transaction_hash: txh(p.name),
    ...(p.txIndex === undefined ? {} : { transaction_index: p.txIndex }),
    from: party(p.from, true),
    to: party(p.to),
    created_contract: p.created === undefined ? null : party(p.created, true),
    value: String(p.value),
    block_number: p.block,
    timestamp: iso(p.block),
    index: p.index,
    gas_limit: '2300',
    block_index: p.index + 10,
  };
}

export function tt(p: {
  name: string;
  block: number;
  logIndex: number;
  from: string;
  to: string;
  value: bigint;
  token: string;
  symbol: string | null;
  decimals: string | null;
  type?: string;
}): Item {
  return {
    block_hash: txh(`block-${p.block}`),
    block_number: p.block,
    from: party(p.from),
    log_index: p.logIndex,
    method: 'transfer',
    timestamp: iso(p.block),
    to: party(p.to),
    token: {
      address_hash: p.token,
      circulating_market_cap: null,
      decimals: p.decimals,
      exchange_rate: p.symbol === 'USDT' ? '1.001' : null,
      holders_count: '6712345',
      icon_url: null,
      name: p.symbol === 'USDT' ? 'Tether USD' : null,
      symbol: p.symbol,
      total_supply: '95000000000000000',
      type: p.type ?? 'ERC-20',
      volume_24h: null,
    },
    total:
      p.type === 'ERC-721' ? { token_id: '7', token_instance: null } : { decimals: p.decimals, value: String(p.value) },
    transaction_hash: txh(p.name),
    type: 'token_transfer',
  };
}

export const DRAIN: BlockscoutLedger = {
  transactions: [
    tx({ name: 'drain', block: BLOCK0, position: 12, from: VICTIM, to: ATTACKER, value: 120n * ETH }),
    tx({
      name: 'deploy',
      block: BLOCK0 + 10,
      position: 4,
      from: ATTACKER,
      to: null,
      created: DRAINER,
      value: ETH,
      gasUsed: 512_331n,
    }),
    tx({
      name: 'reverted',
      block: BLOCK0 + 11,
      position: 0,
      from: ATTACKER,
      to: DRAINER,
      value: 5n * ETH,
      failed: true,
      gasUsed: 29_877n,
    }),
    tx({
      name: 'mix',
      block: BLOCK0 + 20,
      position: 31,
      from: ATTACKER,
      to: MIXER,
      value: 100n * ETH,
      gasUsed: 1_047_215n,
      withFee: false,
    }),
    tx({ name: 'cashout', block: BLOCK0 + 30, position: 2, from: ATTACKER, to: EXCHANGE, value: 10n * ETH }),
    tx({ name: 'withdraw', block: BLOCK0 + 50, position: 5, from: ATTACKER, to: DRAINER, value: 0n, gasUsed: 61_020n }),
    tx({ name: 'pending', block: null, position: 0, from: ATTACKER, to: EXCHANGE, value: ETH }),
  ],
  'internal-transactions': [
    itx({ name: 'withdraw', block: BLOCK0 + 50, txIndex: 5, index: 1, from: DRAINER, to: EXCHANGE, value: 0n }),
    itx({ name: 'withdraw', block: BLOCK0 + 50, txIndex: 5, index: 2, from: DRAINER, to: ATTACKER, value: 3n * ETH }),
    itx({
      name: 'withdraw',
      block: BLOCK0 + 50,
      txIndex: 5,
      index: 3,
      from: DRAINER,
      to: ATTACKER,
      value: 3n * ETH,
      type: 'delegatecall',
    }),
    itx({
      name: 'withdraw',
      block: BLOCK0 + 50,
      txIndex: 5,
      index: 4,
      from: DRAINER,
      to: ATTACKER,
      value: ETH,
      error: 'Reverted',
    }),
    itx({
      name: 'spawn',
      block: BLOCK0 + 55,
      index: 1,
      from: DRAINER,
      to: null,
      created: addr('child'),
      value: ETH / 2n,
      type: 'create',
    }),
  ],
  'token-transfers': [
    tt({
      name: 'drain-usdt',
      block: BLOCK0 + 1,
      logIndex: 88,
      from: VICTIM,
      to: ATTACKER,
      value: 250_000_000_000n,
      token: USDT,
      symbol: 'USDT',
      decimals: '6',
    }),
    tt({
      name: 'split',
      block: BLOCK0 + 60,
      logIndex: 201,
      from: ATTACKER,
      to: EXCHANGE,
      value: 1_000_000_000n,
      token: USDT,
      symbol: 'USDT',
      decimals: '6',
    }),
    tt({
      name: 'split',
      block: BLOCK0 + 60,
      logIndex: 202,
      from: ATTACKER,
      to: EXCHANGE,
      value: 50n,
      token: ODD_TOKEN,
      symbol: null,
      decimals: null,
    }),
    tt({
      name: 'split',
      block: BLOCK0 + 60,
      logIndex: 203,
      from: ATTACKER,
      to: EXCHANGE,
      value: 1_000_000_000n,
      token: USDT,
      symbol: 'USDT',
      decimals: '6',
    }),
    tt({
      name: 'nft',
      block: BLOCK0 + 62,
      logIndex: 3,
      from: ATTACKER,
      to: MIXER,
      value: 1n,
      token: NFT,
      symbol: 'PUNK',
      decimals: null,
      type: 'ERC-721',
    }),
  ],
};
