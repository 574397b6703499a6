import { z } from 'zod';

/**
 * Bitcoin Core / Litecoin Core JSON-RPC wire types (what `bitcoind`/`litecoind` answer), validated with zod.
 * Amounts arrive as JSON numbers in coins; the source turns them into strings before parsing (see rpc-decimal), so
 * they are strings here. Only the fields the source reads are listed; others pass through unchecked.
 */

const hex64 = z.string().regex(/^[0-9a-fA-F]{64}$/);

/** One reply of a JSON-RPC batch: `{result, error, id}`. */
export const rpcReplySchema = z.object({
  result: z.unknown().optional(),
  error: z.object({ code: z.number(), message: z.string() }).nullable().optional(),
  id: z.unknown().optional(),
});
export type RpcReply = z.infer<typeof rpcReplySchema>;

export const rpcBatchReplySchema = z.array(rpcReplySchema);

/** `scriptPubKey`: Core ≤ 0.21 (Litecoin 0.21) gives `addresses` + `reqSigs`, Core ≥ 22 a single `address`. */
export const rpcScriptPubKeySchema = z.object({
  hex: z.string(),
  type: z.string(),
  address: z.string().optional(),
  addresses: z.array(z.string()).optional(),
});

export const rpcVoutSchema = z.object({
  value: z.string(),
  n: z.number().int().min(0),
  scriptPubKey: rpcScriptPubKeySchema,
});
export type RpcVout = z.infer<typeof rpcVoutSchema>;

export const rpcVinSchema = z.union([
  z.object({ coinbase: z.string(), sequence: z.number().optional() }),
  z.object({ txid: hex64, vout: z.number().int().min(0) }),
]);
export type RpcVin = z.infer<typeof rpcVinSchema>;

/** A decoded transaction: `getrawtransaction <txid> true`, or an element of `getblock <hash> 2`'s `tx`. */
export const rpcTxSchema = z.object({
  txid: hex64,
  vin: z.array(rpcVinSchema),
  vout: z.array(rpcVoutSchema),
  blockhash: hex64.optional(),
  blocktime: z.number().int().optional(),
  time: z.number().int().optional(),
});
export type RpcTx = z.infer<typeof rpcTxSchema>;

/** `getblock <hash> 2`. */
export const rpcBlockSchema = z.object({
  hash: hex64,
  height: z.number().int().min(0),
  time: z.number().int(),
  tx: z.array(rpcTxSchema),
  previousblockhash: hex64.optional(),
});
export type RpcBlock = z.infer<typeof rpcBlockSchema>;

/** `getblockheader <hash>` (verbose). `confirmations` is -1 for a block off the active chain. */
export const rpcBlockHeaderSchema = z.object({
  hash: hex64,
  height: z.number().int().min(0),
  time: z.number().int(),
  confirmations: z.number().int(),
});
export type RpcBlockHeader = z.infer<typeof rpcBlockHeaderSchema>;

export const rpcBlockHashSchema = hex64;
export const rpcBlockCountSchema = z.number().int().min(0);
export const rpcMempoolSchema = z.array(hex64);
