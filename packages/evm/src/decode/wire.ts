import { z } from 'zod';

/**
 * Wire types of the EVM JSON-RPC answers fundflow reads (geth, Erigon, Nethermind, Reth, anvil). Quantities are
 * 0x-hex strings; only the fields the decoders use are checked, everything else passes through.
 */

/** 0x-hex quantity (`0x0`, `0x1a`); some old recordings use plain numbers for block numbers. */
export const hexQuantity = z.string().regex(/^0x[0-9a-fA-F]*$/, 'expected a 0x-hex quantity');
const blockNumberLike = z.union([hexQuantity, z.number().int().nonnegative()]);
const hexData = z.string().regex(/^0x[0-9a-fA-F]*$/, 'expected 0x-hex data');
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'expected a 20-byte address');
const hash32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'expected a 32-byte hash');

export const rpcLogSchema = z.object({
  address,
  topics: z.array(hash32),
  data: hexData,
  blockNumber: blockNumberLike,
  transactionHash: hash32,
  transactionIndex: blockNumberLike,
  logIndex: blockNumberLike,
  removed: z.boolean().optional(),
});
export type RpcLog = z.infer<typeof rpcLogSchema>;

export const rpcReceiptSchema = z.object({
  transactionHash: hash32,
  transactionIndex: hexQuantity,
  blockNumber: hexQuantity,
  from: address.optional(),
  to: address.nullish(),
  contractAddress: address.nullish(),
  gasUsed: hexQuantity,
  /** Absent on pre-London nodes' old receipts: then the transaction's gasPrice is the price. */
  effectiveGasPrice: hexQuantity.optional(),
  /** `0x1` success, `0x0` reverted; null/absent before Byzantium (status unknown: treated as success). */
  status: hexQuantity.nullish(),
  logs: z.array(rpcLogSchema),
});
export type RpcReceipt = z.infer<typeof rpcReceiptSchema>;

export const rpcTransactionSchema = z.object({
  hash: hash32,
  from: address,
  to: address.nullish(),
  value: hexQuantity,
  blockNumber: hexQuantity.nullish(),
  transactionIndex: hexQuantity.nullish(),
  gasPrice: hexQuantity.optional(),
});
export type RpcTransaction = z.infer<typeof rpcTransactionSchema>;

export const rpcBlockSchema = z.object({
  number: hexQuantity,
  hash: hash32.nullish(),
  timestamp: hexQuantity,
});
export type RpcBlock = z.infer<typeof rpcBlockSchema>;

/** A geth `callTracer` frame. Old geth left SELFDESTRUCT frames without from/to/value. */
export interface CallFrame {
  type: string;
  from?: string | undefined;
  to?: string | undefined;
  value?: string | undefined;
  error?: string | undefined;
  calls?: CallFrame[] | undefined;
}
export const callFrameSchema: z.ZodType<CallFrame> = z.lazy(() =>
  z.object({
    type: z.string(),
    from: address.optional(),
    to: address.optional(),
    value: hexQuantity.nullish().transform((v) => v ?? undefined),
    error: z.string().optional(),
    calls: z.array(callFrameSchema).optional(),
  }),
);

/** One Parity/OpenEthereum/Erigon `trace_*` entry. */
export const parityTraceSchema = z.object({
  type: z.string(),
  action: z.object({
    callType: z.string().optional(),
    from: address.optional(),
    to: address.nullish(),
    value: hexQuantity.optional(),
    // create
    init: hexData.optional(),
    // suicide / selfdestruct
    address: address.optional(),
    refundAddress: address.optional(),
    balance: hexQuantity.optional(),
  }),
  result: z.object({ address: address.optional() }).passthrough().nullish(),
  error: z.string().optional(),
  traceAddress: z.array(z.number().int().nonnegative()),
  transactionHash: hash32.nullish(),
  transactionPosition: z.number().int().nonnegative().nullish(),
  blockNumber: z.number().int().nonnegative(),
});
export type ParityTrace = z.infer<typeof parityTraceSchema>;

/** `ots_getInternalOperations` entry: type 0 transfer, 1 self-destruct, 2 create, 3 create2. */
export const otsInternalOpSchema = z.object({
  type: z.number().int(),
  from: address,
  to: address,
  value: hexQuantity,
});
export type OtsInternalOp = z.infer<typeof otsInternalOpSchema>;

/** `ots_searchTransactionsAfter` / `…Before` page. */
export const otsSearchPageSchema = z.object({
  txs: z.array(rpcTransactionSchema),
  receipts: z.array(rpcReceiptSchema.extend({ timestamp: z.union([hexQuantity, z.number()]).optional() })),
  firstPage: z.boolean(),
  lastPage: z.boolean(),
});
export type OtsSearchPage = z.infer<typeof otsSearchPageSchema>;

/** A hex quantity (or a plain number from old recordings) as a bigint. */
export function hexToBigInt(value: string | number): bigint {
  if (typeof value === 'number') return BigInt(value);
  return value === '0x' ? 0n : BigInt(value);
}

/** A hex quantity that is a count or an index (block number, log index) as a number. */
export function hexToNumber(value: string | number): number {
  if (typeof value === 'number') return value;
  const n = hexToBigInt(value);
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`${value} is too large for an index`);
  return Number(n);
}
