import { getAddress } from 'ethers';
import { hexToBigInt, hexToNumber, type RpcReceipt, type RpcTransaction } from './wire';

/**
 * A transaction's own value movement and the fee its sender paid. `amount` is 0 for a reverted transaction (the value
 * did not move; the fee did). `to` is the created contract for a contract creation (`to` empty in the transaction).
 */
export interface NativeMove {
  txhash: string;
  txIndex: number;
  blockNumber: number;
  from: string;
  to: string;
  /** The value the transaction carried, also when it reverted. */
  value: bigint;
  amount: bigint;
  fee: bigint;
  /** `unknown` for pre-Byzantium receipts (no status field): treated as success. */
  status: 'success' | 'reverted' | 'unknown';
  creation: boolean;
}

/**
 * Decodes a mined transaction and its receipt. Fee = gasUsed × effectiveGasPrice (the transaction's gasPrice on
 * receipts from before EIP-1559 that lack effectiveGasPrice). Throws `Error` with the reason when the pair is
 * inconsistent or incomplete (callers turn it into BAD_RESPONSE).
 * @example decodeNativeTransaction(tx, receipt) // { from, to, amount: 10n**18n, fee: 21000n * price, status: 'success', … }
 */
export function decodeNativeTransaction(tx: RpcTransaction, receipt: RpcReceipt): NativeMove {
  if (tx.hash.toLowerCase() !== receipt.transactionHash.toLowerCase()) {
    throw new Error(`receipt ${receipt.transactionHash} is not the receipt of ${tx.hash}`);
  }
  const creation = !tx.to;
  const to = tx.to || receipt.contractAddress;
  if (!to) throw new Error(`transaction ${tx.hash} has neither a recipient nor a created contract address`);
  const price = receipt.effectiveGasPrice ?? tx.gasPrice;
  if (price === undefined) throw new Error(`transaction ${tx.hash} has no effectiveGasPrice nor gasPrice`);
  const status =
    receipt.status === null || receipt.status === undefined
      ? 'unknown'
      : hexToBigInt(receipt.status) === 1n
        ? 'success'
        : 'reverted';
  const value = hexToBigInt(tx.value);
  return {
    txhash: tx.hash.toLowerCase(),
    txIndex: hexToNumber(receipt.transactionIndex),
    blockNumber: hexToNumber(receipt.blockNumber),
    from: getAddress(tx.from),
    to: getAddress(to),
    value,
    amount: status === 'reverted' ? 0n : value,
    fee: hexToBigInt(receipt.gasUsed) * hexToBigInt(price),
    status,
    creation,
  };
}
