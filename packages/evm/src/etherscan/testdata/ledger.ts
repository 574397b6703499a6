import { getAddress, keccak256, toUtf8Bytes } from 'ethers';
import type { EtherscanLedger, WireRow } from './fake-etherscan';

// Hand-written Ethereum-mainnet-like rows in Etherscan API v2's documented wire format (field names and string
// values as Etherscan serves them), not recorded live: addresses and hashes are derived from names so tests can
// refer to them. Blocks and times are around mainnet block 19,000,000 (2024-01-13).

/** A checksummed address derived from a name. */
export function addr(name: string): string {
  return getAddress(`0x${keccak256(toUtf8Bytes(`address:${name}`)).slice(26)}`);
}
/** A lowercase 0x transaction hash derived from a name. */
export function txh(name: string): string {
  return keccak256(toUtf8Bytes(`tx:${name}`));
}

export const VICTIM = addr('victim');
export const ATTACKER = addr('attacker');
export const DRAINER = addr('drainer-contract');
export const MIXER = addr('mixer');
export const EXCHANGE = addr('exchange-deposit');
export const ROUTER = addr('router');
export const USDT = addr('usdt');
export const ODD_TOKEN = addr('odd-token');

export const BLOCK0 = 19_000_000;
export const TIME0 = 1_705_173_011;
export const ETH = 10n ** 18n;

/** Block `BLOCK0 + n`, 12 s per block. */
export const timeOf = (block: number) => TIME0 + (block - BLOCK0) * 12;

export function txRow(p: {
  name: string;
  block: number;
  index: number;
  from: string;
  to: string;
  value: bigint;
  contractAddress?: string;
  isError?: boolean;
  gasUsed?: bigint;
  gasPrice?: bigint;
  input?: string;
}): WireRow {
  const gasUsed = p.gasUsed ?? 21_000n;
  return {
    blockNumber: String(p.block),
    timeStamp: String(timeOf(p.block)),
    hash: txh(p.name),
    nonce: String(p.index),
    blockHash: keccak256(toUtf8Bytes(`block:${p.block}`)),
    transactionIndex: String(p.index),
    from: p.from.toLowerCase(),
    to: p.to.toLowerCase(),
    value: String(p.value),
    gas: String(gasUsed + 50_000n),
    gasPrice: String(p.gasPrice ?? 23_000_000_000n),
    isError: p.isError ? '1' : '0',
    txreceipt_status: p.isError ? '0' : '1',
    input: p.input ?? '0x',
    contractAddress: (p.contractAddress ?? '').toLowerCase(),
    cumulativeGasUsed: String(gasUsed * 40n),
    gasUsed: String(gasUsed),
    confirmations: '1000000',
    methodId: (p.input ?? '0x').slice(0, 10),
    functionName: '',
  };
}

export function internalRow(p: {
  name: string;
  block: number;
  from: string;
  to: string;
  value: bigint;
  traceId: string;
  type?: string;
  contractAddress?: string;
  isError?: boolean;
}): WireRow {
  return {
    blockNumber: String(p.block),
    timeStamp: String(timeOf(p.block)),
    hash: txh(p.name),
    from: p.from.toLowerCase(),
    to: p.to.toLowerCase(),
    value: String(p.value),
    contractAddress: (p.contractAddress ?? '').toLowerCase(),
    input: '',
    type: p.type ?? 'call',
    gas: '2300',
    gasUsed: '0',
    traceId: p.traceId,
    isError: p.isError ? '1' : '0',
    errCode: p.isError ? 'Out of gas' : '',
  };
}

export function tokenRow(p: {
  name: string;
  block: number;
  index: number;
  from: string;
  to: string;
  value: bigint;
  token: string;
  symbol: string;
  decimals: string;
  logIndex?: number;
}): WireRow {
  return {
    blockNumber: String(p.block),
    timeStamp: String(timeOf(p.block)),
    hash: txh(p.name),
    nonce: '7',
    blockHash: keccak256(toUtf8Bytes(`block:${p.block}`)),
    from: p.from.toLowerCase(),
    contractAddress: p.token.toLowerCase(),
    to: p.to.toLowerCase(),
    value: String(p.value),
    tokenName: p.symbol === 'USDT' ? 'Tether USD' : '',
    tokenSymbol: p.symbol,
    tokenDecimal: p.decimals,
    transactionIndex: String(p.index),
    gas: '94813',
    gasPrice: '23000000000',
    gasUsed: '63209',
    cumulativeGasUsed: '2528360',
    input: 'deprecated',
    confirmations: '1000000',
    ...(p.logIndex === undefined ? {} : { logIndex: String(p.logIndex) }),
  };
}

/** The drain: victim → attacker, then the attacker's moves (contract creation, a reverted call, mixer, exchange). */
export const DRAIN: EtherscanLedger = {
  chainId: 1,
  blocks: Array.from({ length: 100 }, (_, i) => ({ number: BLOCK0 + i, timestamp: timeOf(BLOCK0 + i) })),
  txlist: [
    txRow({ name: 'drain', block: BLOCK0, index: 12, from: VICTIM, to: ATTACKER, value: 120n * ETH }),
    txRow({
      name: 'deploy',
      block: BLOCK0 + 10,
      index: 4,
      from: ATTACKER,
      to: '',
      value: 0n,
      contractAddress: DRAINER,
      gasUsed: 512_331n,
      input: '0x60806040',
    }),
    txRow({
      name: 'reverted',
      block: BLOCK0 + 11,
      index: 0,
      from: ATTACKER,
      to: DRAINER,
      value: 5n * ETH,
      isError: true,
      gasUsed: 29_877n,
      input: '0xd0e30db0',
    }),
    txRow({
      name: 'mix',
      block: BLOCK0 + 20,
      index: 31,
      from: ATTACKER,
      to: MIXER,
      value: 100n * ETH,
      gasUsed: 1_047_215n,
    }),
    txRow({ name: 'cashout', block: BLOCK0 + 30, index: 2, from: ATTACKER, to: EXCHANGE, value: 10n * ETH }),
    txRow({
      name: 'approve',
      block: BLOCK0 + 40,
      index: 9,
      from: ATTACKER,
      to: ROUTER,
      value: 0n,
      gasUsed: 46_109n,
      input: '0x095ea7b3',
    }),
    txRow({
      name: 'withdraw',
      block: BLOCK0 + 50,
      index: 5,
      from: ATTACKER,
      to: DRAINER,
      value: 0n,
      gasUsed: 61_020n,
      input: '0x3ccfd60b',
    }),
  ],
  txlistinternal: [
    internalRow({ name: 'withdraw', block: BLOCK0 + 50, from: DRAINER, to: EXCHANGE, value: 0n, traceId: '0_0' }),
    internalRow({ name: 'withdraw', block: BLOCK0 + 50, from: DRAINER, to: ATTACKER, value: 3n * ETH, traceId: '0_1' }),
    internalRow({
      name: 'withdraw',
      block: BLOCK0 + 50,
      from: DRAINER,
      to: ATTACKER,
      value: 3n * ETH,
      traceId: '0_2',
      type: 'delegatecall',
    }),
    internalRow({
      name: 'withdraw',
      block: BLOCK0 + 50,
      from: DRAINER,
      to: ATTACKER,
      value: ETH,
      traceId: '0_3',
      isError: true,
    }),
    internalRow({
      name: 'spawn',
      block: BLOCK0 + 55,
      from: DRAINER,
      to: '',
      value: ETH / 2n,
      traceId: '0',
      type: 'create',
      contractAddress: addr('child'),
    }),
  ],
  tokentx: [
    tokenRow({
      name: 'drain-usdt',
      block: BLOCK0 + 1,
      index: 3,
      from: VICTIM,
      to: ATTACKER,
      value: 250_000_000_000n,
      token: USDT,
      symbol: 'USDT',
      decimals: '6',
    }),
    tokenRow({
      name: 'split',
      block: BLOCK0 + 60,
      index: 7,
      from: ATTACKER,
      to: EXCHANGE,
      value: 1_000_000_000n,
      token: USDT,
      symbol: 'USDT',
      decimals: '6',
    }),
    tokenRow({
      name: 'split',
      block: BLOCK0 + 60,
      index: 7,
      from: ATTACKER,
      to: ROUTER,
      value: 50n,
      token: ODD_TOKEN,
      symbol: 'ODD',
      decimals: '',
    }),
    tokenRow({
      name: 'split',
      block: BLOCK0 + 60,
      index: 7,
      from: ATTACKER,
      to: EXCHANGE,
      value: 1_000_000_000n,
      token: USDT,
      symbol: 'USDT',
      decimals: '6',
    }),
    tokenRow({
      name: 'compat',
      block: BLOCK0 + 61,
      index: 1,
      from: ATTACKER,
      to: MIXER,
      value: 10_000_000n,
      token: USDT,
      symbol: 'USDT',
      decimals: '6',
      logIndex: 41,
    }),
  ],
};
