import { z } from 'zod';

// Blockscout REST API v2 wire types, validated with zod; they stay inside this package. Unknown fields are ignored
// (Blockscout adds fields often). What this relies on, read from blockscout/blockscout's server source
// (apps/block_scout_web/lib/block_scout_web/views/api/v2/: transaction_view.ex `prepare_transaction`,
// internal_transaction_view.ex `prepare_internal_transaction`, token_transfer_view.ex `prepare_token_transfer`,
// token_view.ex "token.json", helper.ex `address_with_info`; controllers/api/v2/address_controller.ex):
// - every list answer is `{ items: [...], next_page_params: {...} | null }`, newest first; next_page_params go back as
//   query parameters verbatim; an address unknown to the instance answers 200 with no items.
// - address objects: `{ hash, is_contract, name, … }` (checksummed `hash`), or null (`to` of a contract creation).
// - Wei and Decimal values (value, fee.value, gas_used, gas_price, token decimals) are decimal strings; block numbers,
//   `position`, `index`, `transaction_index`, `log_index` are integers; timestamps ISO 8601 (`…T19:10:11.000000Z`).
// - transaction: hash, block_number (older servers: `block`; null when pending), timestamp, from, to, created_contract,
//   value, fee {type: "actual"|"maximum", value}, gas_used, gas_price, status "ok"|"error"|null, result, position.
// - internal transaction: transaction_hash, transaction_index (newer servers), index (the trace's position in its
//   transaction, depth-first, 0 = the top call), block_number (older: `block`), timestamp, from, to,
//   created_contract, value, success, error, type (call, delegatecall, staticcall, create, create2, selfdestruct…).
// - token transfer: transaction_hash, log_index (block-wide), block_number, timestamp (older: block_timestamp), from,
//   to, total {value, decimals} for ERC-20, token {address_hash (older: address), symbol, decimals, type}.

const uint = z.string().regex(/^\d+$/, 'not a decimal integer string');
const int = z.number().int().nonnegative();
const hash = z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'not a 32-byte hash');
const addressHash = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'not an address');

export const blockscoutAddressSchema = z.object({ hash: addressHash });

export const blockscoutTransactionSchema = z.object({
  hash,
  block_number: int.nullable().optional(),
  block: int.nullable().optional(),
  timestamp: z.string().nullable(),
  from: blockscoutAddressSchema,
  to: blockscoutAddressSchema.nullable(),
  created_contract: blockscoutAddressSchema.nullable().optional(),
  value: uint,
  fee: z.object({ type: z.string(), value: uint.nullable() }).nullable().optional(),
  gas_used: uint.nullable().optional(),
  gas_price: uint.nullable().optional(),
  status: z.string().nullable().optional(),
  result: z.string().nullable().optional(),
  position: int.nullable().optional(),
});

export const blockscoutInternalTransactionSchema = z.object({
  transaction_hash: hash,
  transaction_index: int.nullable().optional(),
  index: int,
  block_number: int.nullable().optional(),
  block: int.nullable().optional(),
  timestamp: z.string().nullable(),
  from: blockscoutAddressSchema,
  to: blockscoutAddressSchema.nullable(),
  created_contract: blockscoutAddressSchema.nullable().optional(),
  value: uint,
  success: z.boolean().optional(),
  error: z.string().nullable().optional(),
  type: z.string().nullable().optional(),
});

export const blockscoutTokenSchema = z.object({
  address_hash: addressHash.optional(),
  address: addressHash.optional(),
  symbol: z.string().nullable().optional(),
  name: z.string().nullable().optional(),
  decimals: uint.nullable().optional(),
  type: z.string().nullable().optional(),
});

export const blockscoutTokenTransferSchema = z.object({
  transaction_hash: hash,
  log_index: int,
  block_number: int,
  timestamp: z.string().nullable().optional(),
  block_timestamp: z.string().nullable().optional(),
  from: blockscoutAddressSchema,
  to: blockscoutAddressSchema,
  // ERC-721 totals carry `token_id` and no `value`: only ERC-20 items need `value`.
  total: z.object({ value: uint.nullable().optional(), decimals: uint.nullable().optional() }).nullable(),
  token: blockscoutTokenSchema,
});

const pageParam = z.union([z.string(), z.number(), z.boolean(), z.null()]);
/** `next_page_params`: flat scalars, passed back as query parameters. */
export const blockscoutPageParamsSchema = z.record(z.string(), pageParam);

export function blockscoutPageSchema<T extends z.ZodTypeAny>(item: T) {
  return z.object({ items: z.array(item), next_page_params: blockscoutPageParamsSchema.nullable() });
}

/** Error bodies: `{ message }` (404 "Not found", 422 "Invalid parameter(s)") or `{ errors: [...] }`. */
export const blockscoutErrorSchema = z.object({ message: z.string().optional(), errors: z.unknown().optional() });

export type BlockscoutTransaction = z.infer<typeof blockscoutTransactionSchema>;
export type BlockscoutInternalTransaction = z.infer<typeof blockscoutInternalTransactionSchema>;
export type BlockscoutTokenTransfer = z.infer<typeof blockscoutTokenTransferSchema>;
export type BlockscoutPageParams = z.infer<typeof blockscoutPageParamsSchema>;
