import { z } from 'zod';
import { POLICIES, STOP_REASONS } from '../tracer/types';
import { LABEL_CATEGORIES } from '../types';

/** Format id of the trace file this version writes and reads. */
export const TRACE_FORMAT = 'fundflow.trace/1';

const amount = z.string().regex(/^(0|[1-9][0-9]*)$/, 'an amount is a non-negative integer in base units, as a string');
const sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const category = z.enum(LABEL_CATEGORIES);
const policy = z.enum(POLICIES);
const stopReason = z.enum(STOP_REASONS);

export const assetSchema = z.object({
  id: z.string(),
  chain: z.string(),
  symbol: z.string(),
  decimals: z.number().int().min(0),
  contract: z.string().optional(),
  decimalsKnown: z.boolean().optional(),
});

export const transferRecordSchema = z.object({
  id: z.string(),
  txid: z.string(),
  from: z.string(),
  to: z.string(),
  asset: z.string(),
  amount,
  fee: amount.optional(),
  time: z.number().int(),
  height: z.number().int(),
  kind: z.enum(['utxo', 'native', 'internal', 'token', 'mosaic']),
  memo: z.string().optional(),
  evidence: z.array(sha256),
});

export const transactionRecordSchema = z.object({
  txid: z.string(),
  time: z.number().int(),
  height: z.number().int(),
  confirmed: z.boolean(),
  fee: amount,
  inputs: z.array(
    z.object({ outpoint: z.string().optional(), address: z.string().optional(), value: amount, coinbase: z.boolean() }),
  ),
  outputs: z.array(
    z.object({
      vout: z.number().int(),
      address: z.string(),
      value: amount,
      scriptType: z.string(),
      hasAddress: z.boolean(),
    }),
  ),
  evidence: z.array(sha256),
});

export const labelRecordSchema = z.object({
  address: z.string(),
  chain: z.string(),
  name: z.string(),
  category,
  pack: z.string(),
  source: z.string(),
  asOf: z.string(),
  confidence: z.enum(['high', 'medium', 'low']),
});

export const edgeRecordSchema = z.object({
  /** Transfer id (UTXO: the output `txid:vout`). */
  transfer: z.string(),
  /** Stolen amount this transfer carried under the policy. */
  amount,
  hop: z.number().int().min(1),
  /** The rule that produced the edge, e.g. `seed.outflow`, `utxo.spend/fifo`, `account.outflow/haircut`. */
  rule: z.string(),
  confidence: z.number().min(0).max(1),
  /** Heuristic findings about this output from the chain package (e.g. `change:direct`), with confidences. */
  heuristics: z.array(z.object({ rule: z.string(), confidence: z.number().min(0).max(1) })).optional(),
  /** Set when the transaction looks like a CoinJoin: the hop is mixed (e.g. `whirlpool 1000000 ×5`). */
  mixed: z.string().optional(),
});

export const stopRecordSchema = z.object({
  /** Outpoint, address or txid where the branch stopped. */
  location: z.string(),
  address: z.string(),
  amount,
  hop: z.number().int().min(0),
  reason: stopReason,
  /** Asset id of `amount`; only in all-asset traces (otherwise the trace's `asset`). */
  asset: z.string().optional(),
  label: z.string().optional(),
  category: category.optional(),
  detail: z.string().optional(),
});

export const policyResultSchema = z.object({
  edges: z.array(edgeRecordSchema),
  stops: z.array(stopRecordSchema),
  summary: z.object({
    /** Value taken from the seeds (hop-1 transfers). */
    stolen: amount,
    /** Stopped value per reason; under fifo and haircut these add up to `stolen` exactly. */
    byReason: z.record(z.string(), amount),
    cashOuts: z.array(
      z.object({
        address: z.string(),
        label: z.string(),
        category,
        amount,
        /** Asset id of `amount`; only in all-asset traces. */
        asset: z.string().optional(),
      }),
    ),
    maxHop: z.number().int().min(0),
    /**
     * All-asset traces: the totals per asset id (`stolen`, `byReason` above are the native asset's). `swappedIn` is
     * the stolen value that arrived in this asset through swaps; stolen + swappedIn = Σ byReason under fifo/haircut.
     */
    byAsset: z
      .record(z.string(), z.object({ stolen: amount, swappedIn: amount, byReason: z.record(z.string(), amount) }))
      .optional(),
  }),
});

/** A trace's parameters as files hold them (trace files, case.json): amounts as decimal strings. */
export const traceParamsRecordSchema = z.object({
  seeds: z.array(z.string()).min(1),
  since: z.number().int().optional(),
  until: z.number().int().optional(),
  followUntil: z.number().int().optional(),
  policies: z.array(policy).min(1),
  maxHops: z.number().int().min(1),
  minAmount: amount,
  fanOutCap: z.number().int().min(1),
  stopCategories: z.array(category),
  /** Account chains: the followed asset id when not the native one, or `all`. */
  asset: z.string().optional(),
});

export const traceFileSchema = z.object({
  format: z.literal(TRACE_FORMAT),
  engine: z.object({ name: z.string(), version: z.string() }),
  /** Only present when the caller passed it in: the file is otherwise free of wall-clock time. */
  createdAt: z.string().optional(),
  chain: z.string(),
  model: z.enum(['utxo', 'account']),
  /** The traced asset (the native one in all-asset traces). */
  asset: assetSchema,
  /** All-asset traces: every asset the trace's transfers are in, by id. */
  assets: z.array(assetSchema).optional(),
  params: traceParamsRecordSchema,
  sources: z.array(
    z.object({ chain: z.string(), kind: z.string(), endpoint: z.string(), network: z.string().optional() }),
  ),
  labelPacks: z.array(
    z.object({
      name: z.string(),
      title: z.string().optional(),
      source: z.string(),
      asOf: z.string(),
      sha256: z.string(),
      count: z.number().int(),
      license: z.string().optional(),
    }),
  ),
  labels: z.array(labelRecordSchema),
  transfers: z.array(transferRecordSchema),
  transactions: z.array(transactionRecordSchema),
  results: z.partialRecord(policy, policyResultSchema),
});

export type TraceFile = z.infer<typeof traceFileSchema>;
export type TransferRecord = z.infer<typeof transferRecordSchema>;
export type TransactionRecord = z.infer<typeof transactionRecordSchema>;
export type EdgeRecord = z.infer<typeof edgeRecordSchema>;
export type StopRecord = z.infer<typeof stopRecordSchema>;
export type PolicyResult = z.infer<typeof policyResultSchema>;
export type AssetRecord = z.infer<typeof assetSchema>;
export type TraceParamsRecord = z.infer<typeof traceParamsRecordSchema>;
