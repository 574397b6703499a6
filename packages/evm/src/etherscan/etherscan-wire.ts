import { z } from 'zod';

// Etherscan API v2 wire types (https://api.etherscan.io/v2/api), validated with zod. They stay inside this package:
// only core domain types leave it. Every field value is a string; unknown fields are ignored (Etherscan adds fields).
// Fields relied on, per action (docs.etherscan.io "Accounts" and /work/shared/docs/api-notes.md):
// - txlist: blockNumber, timeStamp, hash, from, to ("" on contract creation), value, gasPrice, gasUsed, isError,
//   contractAddress (the created contract, else ""), transactionIndex (present on Etherscan, optional here).
// - txlistinternal: blockNumber, timeStamp, hash, from, to ("" on create), value, contractAddress, type, traceId
//   ("0_1" = call-tree path 0.1), isError. No transactionIndex.
// - tokentx: blockNumber, timeStamp, hash, from, to, value, contractAddress, tokenSymbol, tokenDecimal, tokenName,
//   transactionIndex; no logIndex on Etherscan (Etherscan-compatible servers that add `logIndex` are honoured).
// - module=block&action=getblocknobytime: result = block number as a decimal string.

const uint = z.string().regex(/^\d+$/, 'not a decimal integer string');
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'not an address');
const addressOrEmpty = z.union([z.literal(''), address]);
const txHash = z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'not a transaction hash');

/** The envelope every answer has: `result` is an array on success, a string on most errors. */
export const etherscanEnvelopeSchema = z.object({
  status: z.string(),
  message: z.string(),
  result: z.unknown(),
});

/** One `action=txlist` row. */
export const etherscanTxSchema = z.object({
  blockNumber: uint,
  timeStamp: uint,
  hash: txHash,
  from: address,
  to: addressOrEmpty,
  value: uint,
  gasPrice: uint,
  gasUsed: uint,
  isError: z.string().optional(),
  contractAddress: addressOrEmpty.optional(),
  transactionIndex: uint.optional(),
});

/** One `action=txlistinternal` row. */
export const etherscanInternalTxSchema = z.object({
  blockNumber: uint,
  timeStamp: uint,
  hash: txHash,
  from: address,
  to: addressOrEmpty,
  value: uint,
  contractAddress: addressOrEmpty.optional(),
  type: z.string().optional(),
  traceId: z.string().regex(/^\d+(_\d+)*$/, 'not a trace id (digits joined by _)'),
  isError: z.string().optional(),
  transactionIndex: uint.optional(),
});

/** One `action=tokentx` row (ERC-20 Transfer events touching the address). */
export const etherscanTokenTxSchema = z.object({
  blockNumber: uint,
  timeStamp: uint,
  hash: txHash,
  from: address,
  to: address,
  value: uint,
  contractAddress: address,
  tokenSymbol: z.string(),
  tokenName: z.string().optional(),
  tokenDecimal: z.union([z.literal(''), uint]),
  transactionIndex: uint.optional(),
  logIndex: uint.optional(),
});

/** `module=block&action=getblocknobytime` → `{status:"1", message:"OK", result:"12712551"}`. */
export const etherscanBlockNumberSchema = uint;

export type EtherscanTx = z.infer<typeof etherscanTxSchema>;
export type EtherscanInternalTx = z.infer<typeof etherscanInternalTxSchema>;
export type EtherscanTokenTx = z.infer<typeof etherscanTokenTxSchema>;
