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

// ---- fast checks -----------------------------------------------------------------------------------------------------
// A trace reads tens of thousands of transactions and outspends lists, and a zod parse copies every object of each
// (half the time of a replay went there). These predicates test the same shapes as the schemas above in place, without
// allocating; a value they accept is used as it is (unknown keys stay on it but nothing reads them). When one says no,
// the caller runs the schema, whose error names the path and the problem. esplora-wire.test.ts checks that both agree,
// field by field, on real samples and on their mutations.

const TXID_RE = /^[0-9a-fA-F]{64}$/;
const HEX_RE = /^(?:[0-9a-fA-F]{2})*$/;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isTxid(v: unknown): boolean {
  return typeof v === 'string' && TXID_RE.test(v);
}

function isSats(v: unknown): boolean {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function isU32(v: unknown): boolean {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v <= 0xffffffff;
}

function isNonNegativeInt(v: unknown): boolean {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function isStatus(v: unknown): v is EsploraStatus {
  if (!isRecord(v)) return false;
  if (v.confirmed === false) return true;
  return (
    v.confirmed === true &&
    isNonNegativeInt(v.block_height) &&
    (v.block_hash === undefined || typeof v.block_hash === 'string') &&
    isNonNegativeInt(v.block_time)
  );
}

function isOutput(v: unknown): v is EsploraOutput {
  return (
    isRecord(v) &&
    typeof v.scriptpubkey === 'string' &&
    HEX_RE.test(v.scriptpubkey) &&
    typeof v.scriptpubkey_type === 'string' &&
    (v.scriptpubkey_address === undefined || typeof v.scriptpubkey_address === 'string') &&
    isSats(v.value)
  );
}

function isInput(v: unknown): v is EsploraInput {
  if (!isRecord(v) || !isTxid(v.txid) || !isU32(v.vout) || typeof v.is_coinbase !== 'boolean') return false;
  if (v.prevout !== undefined && v.prevout !== null && !isOutput(v.prevout)) return false;
  if (v.sequence !== undefined && !isU32(v.sequence)) return false;
  const w = v.witness;
  if (w === undefined) return true;
  if (!Array.isArray(w)) return false;
  for (const item of w) if (typeof item !== 'string') return false;
  return true;
}

/**
 * Whether `v` has the shape of {@link esploraTxSchema} (`GET /tx/:txid`), checked in place.
 * @example const wire = isEsploraTx(json) ? json : parseWire(esploraTxSchema, json, url)
 */
export function isEsploraTx(v: unknown): v is EsploraTx {
  if (!isRecord(v) || !isTxid(v.txid) || !isSats(v.fee) || !isStatus(v.status)) return false;
  if (v.version !== undefined && !(typeof v.version === 'number' && Number.isSafeInteger(v.version))) return false;
  if (v.locktime !== undefined && !isU32(v.locktime)) return false;
  if (v.size !== undefined && !isNonNegativeInt(v.size)) return false;
  if (v.weight !== undefined && !isNonNegativeInt(v.weight)) return false;
  const { vin, vout } = v;
  if (!Array.isArray(vin) || vin.length === 0 || !Array.isArray(vout) || vout.length === 0) return false;
  for (const input of vin) if (!isInput(input)) return false;
  for (const output of vout) if (!isOutput(output)) return false;
  return true;
}

/**
 * Whether `v` has the shape of {@link esploraOutspendsSchema} (`GET /tx/:txid/outspends`), checked in place.
 * @example const list = isEsploraOutspends(json) ? json : parseWire(esploraOutspendsSchema, json, url)
 */
export function isEsploraOutspends(v: unknown): v is EsploraOutspend[] {
  if (!Array.isArray(v)) return false;
  for (const o of v) {
    if (!isRecord(o)) return false;
    if (o.spent === false) continue;
    if (o.spent !== true || !isTxid(o.txid) || !isU32(o.vin)) return false;
    if (o.status !== undefined && !isStatus(o.status)) return false;
  }
  return true;
}
