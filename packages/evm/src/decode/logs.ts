import { getAddress } from 'ethers';
import { topicToAddress } from '../address';
import { hexToBigInt, hexToNumber, type RpcLog } from './wire';

/** topic0 of `Transfer(address,address,uint256)` (ERC-20 with 3 topics; ERC-721 has the same topic0 but 4 topics). */
export const ERC20_TRANSFER_TOPIC = '0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef';

/** One ERC-20 Transfer log, decoded. Addresses are checksummed; `amount` is raw token units. */
export interface TokenTransferLog {
  txhash: string;
  txIndex: number;
  blockNumber: number;
  logIndex: number;
  token: string;
  from: string;
  to: string;
  amount: bigint;
}

/**
 * An ERC-20 Transfer log → its movement; undefined for any other log: another topic0, not exactly 3 topics (ERC-721
 * and indexed-value variants), data that is not one 32-byte word, or a log removed by a reorg.
 * @example decodeTokenTransferLog(receipt.logs[0]) // { token: '0xF4eC…', from, to, amount: 100000n, logIndex: 0, … }
 */
export function decodeTokenTransferLog(log: RpcLog): TokenTransferLog | undefined {
  if (log.removed === true) return undefined;
  if (log.topics.length !== 3 || log.topics[0]?.toLowerCase() !== ERC20_TRANSFER_TOPIC) return undefined;
  if (!/^0x[0-9a-fA-F]{64}$/.test(log.data)) return undefined;
  return {
    txhash: log.transactionHash.toLowerCase(),
    txIndex: hexToNumber(log.transactionIndex),
    blockNumber: hexToNumber(log.blockNumber),
    logIndex: hexToNumber(log.logIndex),
    token: getAddress(log.address),
    from: topicToAddress(log.topics[1]!),
    to: topicToAddress(log.topics[2]!),
    amount: hexToBigInt(log.data),
  };
}

/** Every ERC-20 Transfer among `logs` (a receipt's or an eth_getLogs answer), in the given order. */
export function decodeTokenTransferLogs(logs: readonly RpcLog[]): TokenTransferLog[] {
  const out: TokenTransferLog[] = [];
  for (const log of logs) {
    const t = decodeTokenTransferLog(log);
    if (t !== undefined) out.push(t);
  }
  return out;
}
