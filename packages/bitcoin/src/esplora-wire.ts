/**
 * Esplora REST wire types (Blockstream esplora/electrs, mempool.space, litecoinspace), validated with zod.
 * Objects are non-strict: unknown keys (mempool.space's `vsize`, `firstSeen`, `scriptpubkey_asm`, …) are dropped, and
 * fields the real API omits are optional (`scriptpubkey_address` for p2pk/op_return/nonstandard, block fields of an
 * unconfirmed status, `witness` of a non-segwit input). These types never leave the package: only domain types do.
 */
import { z } from 'zod';

const txidSchema = z.string().regex(/^[0-9a-fA-F]{64}$/, 'expected a 64-hex-digit txid');
const hexSchema = z.string().regex(/^(?:[0-9a-fA-F]{2})*$/, 'expected hex');
/** Satoshi amounts arrive as JSON numbers; 21e14 sat fits a double exactly, anything unsafe is corrupt. */
const satsSchema = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const u32Schema = z.number().int().nonnegative().max(0xffffffff);

/** `{"confirmed":false}` or a confirmed status with its block. */
export const esploraStatusSchema = z.discriminatedUnion('confirmed', [
  z.object({
    confirmed: z.literal(true),
    block_height: z.number().int().nonnegative(),
    block_hash: z.string().optional(),
    block_time: z.number().int().nonnegative(),
  }),
  z.object({ confirmed: z.literal(false) }),
]);

/** An output, or an input's `prevout`. mempool.space sends `scriptpubkey_address: ""` where Esplora omits it. */
export const esploraOutputSchema = z.object({
  scriptpubkey: hexSchema,
  scriptpubkey_type: z.string(),
  scriptpubkey_address: z.string().optional(),
  value: satsSchema,
});

/** An input. Coinbase inputs have `is_coinbase: true` and `prevout: null` (all-zero txid, vout 0xffffffff). */
export const esploraInputSchema = z.object({
  txid: txidSchema,
  vout: u32Schema,
  prevout: esploraOutputSchema.nullable().optional(),
  is_coinbase: z.boolean(),
  sequence: u32Schema.optional(),
  witness: z.array(z.string()).optional(),
});

/** `GET /tx/:txid`, and each element of `GET /address/:a/txs…` and `GET /block/:hash/txs`. */
export const esploraTxSchema = z.object({
  txid: txidSchema,
  version: z.number().int().optional(),
  locktime: u32Schema.optional(),
  size: z.number().int().nonnegative().optional(),
  weight: z.number().int().nonnegative().optional(),
  fee: satsSchema,
  vin: z.array(esploraInputSchema).min(1),
  vout: z.array(esploraOutputSchema).min(1),
  status: esploraStatusSchema,
});

/** One entry of `GET /tx/:txid/outspends` (aligned with vout). `status` is the spender's. */
export const esploraOutspendSchema = z.discriminatedUnion('spent', [
  z.object({ spent: z.literal(false) }),
  z.object({ spent: z.literal(true), txid: txidSchema, vin: u32Schema, status: esploraStatusSchema.optional() }),
]);

export const esploraOutspendsSchema = z.array(esploraOutspendSchema);

/** mempool.space `GET /txs/outspends?txids=a,b,…`: one outspends array per requested txid, in request order. */
export const esploraBatchedOutspendsSchema = z.array(esploraOutspendsSchema);

/** Only what paging needs from `GET /address/:a/txs/chain[/:last_seen_txid]`. */
export const esploraHistoryPageSchema = z.array(z.object({ txid: txidSchema, status: esploraStatusSchema.optional() }));

const esploraAddressStatsPartSchema = z.object({
  funded_txo_count: z.number().int().nonnegative(),
  funded_txo_sum: satsSchema,
  spent_txo_count: z.number().int().nonnegative(),
  spent_txo_sum: satsSchema,
  tx_count: z.number().int().nonnegative(),
});

/** `GET /address/:a`. */
export const esploraAddressStatsSchema = z.object({
  address: z.string(),
  chain_stats: esploraAddressStatsPartSchema,
  mempool_stats: esploraAddressStatsPartSchema,
});

export type EsploraStatus = z.infer<typeof esploraStatusSchema>;
export type EsploraOutput = z.infer<typeof esploraOutputSchema>;
export type EsploraInput = z.infer<typeof esploraInputSchema>;
export type EsploraTx = z.infer<typeof esploraTxSchema>;
export type EsploraOutspend = z.infer<typeof esploraOutspendSchema>;
export type EsploraAddressStats = z.infer<typeof esploraAddressStatsSchema>;
