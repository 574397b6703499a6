import { z } from 'zod';

// NIS1 wire types (what a node answers), validated with zod. They stay inside this package: only core domain types
// leave it. Unknown fields are ignored; NIS adds fields between versions.

const int = z.number().int();
const hex = z.string().regex(/^[0-9a-fA-F]*$/, 'not hex');
const hash = z.string().regex(/^[0-9a-fA-F]{64}$/, 'not a 64-hex-digit hash');
const publicKey = z.string().regex(/^[0-9a-fA-F]{64}$/, 'not a 64-hex-digit public key');

export const NIS_TRANSFER = 257;
export const NIS_MULTISIG = 4100;

export const nisMosaicIdSchema = z.object({ namespaceId: z.string().min(1), name: z.string().min(1) });

export const nisMosaicSchema = z.object({ mosaicId: nisMosaicIdSchema, quantity: int.nonnegative() });

/** `message`: `{}` when empty; type 1 plain (payload = hex of UTF-8), type 2 encrypted. */
export const nisMessageSchema = z.object({ payload: hex.optional(), type: int.optional() });

const baseTransaction = {
  timeStamp: int,
  fee: int.nonnegative(),
  type: int,
  version: int,
  signer: publicKey,
  deadline: int.optional(),
  signature: hex.optional(),
};

/** A transaction that can sit inside a multisig wrapper (the inner `otherTrans`). */
export const nisInnerTransactionSchema = z.object({
  ...baseTransaction,
  amount: int.nonnegative().optional(),
  recipient: z.string().optional(),
  message: nisMessageSchema.optional(),
  mosaics: z.array(nisMosaicSchema).optional(),
});

/** A cosignature (4098) inside a multisig wrapper's `signatures`; its fee is paid by the multisig account. */
export const nisCosignatureSchema = z.object({
  timeStamp: int.optional(),
  otherHash: z.object({ data: hash }).optional(),
  otherAccount: z.string().optional(),
  signature: hex.optional(),
  fee: int.nonnegative(),
  type: int.optional(),
  deadline: int.optional(),
  version: int.optional(),
  signer: publicKey.optional(),
});

export const nisTransactionSchema = nisInnerTransactionSchema.extend({
  otherTrans: nisInnerTransactionSchema.optional(),
  signatures: z.array(nisCosignatureSchema).optional(),
});

export const nisTransactionMetaDataPairSchema = z.object({
  meta: z.object({
    height: int.nonnegative(),
    id: int.positive(),
    hash: z.object({ data: hash }),
    innerHash: z.object({ data: hash.optional() }).optional(),
  }),
  transaction: nisTransactionSchema,
});

/** `GET /account/transfers/outgoing|incoming|all` → `{ data: [...] }`, descending `meta.id`. */
export const nisTransferPageSchema = z.object({ data: z.array(nisTransactionMetaDataPairSchema) });

/** `GET /account/mosaic/owned` → `{ data: [{ mosaicId, quantity }] }`. */
export const nisOwnedMosaicsSchema = z.object({ data: z.array(nisMosaicSchema) });

/** NIS error body: `{ timeStamp, error, message, status }` (Spring's error JSON). */
export const nisErrorSchema = z.object({
  timeStamp: int.optional(),
  error: z.string(),
  message: z.string().nullable().optional(),
  status: int,
});

export type NisMosaic = z.infer<typeof nisMosaicSchema>;
export type NisMessage = z.infer<typeof nisMessageSchema>;
export type NisInnerTransaction = z.infer<typeof nisInnerTransactionSchema>;
export type NisTransaction = z.infer<typeof nisTransactionSchema>;
export type NisTransactionMetaDataPair = z.infer<typeof nisTransactionMetaDataPairSchema>;
export type NisError = z.infer<typeof nisErrorSchema>;
