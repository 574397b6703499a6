import type { PolicyName, TraceFile } from '@fundflow/core';

/** One row of the per-hop flow table; amounts are decimal strings of base units. */
export interface HopFlowRow {
  hop: number;
  /** Tainted transfers at this hop and the distinct addresses they reached. */
  transfers: number;
  addresses: number;
  /** Value that arrived at this hop. */
  received: string;
  /** Fees paid by the transactions that made this hop's transfers. */
  fee: string;
  /** Stopped here: still sitting (`unspent`), cashed out (`cash-out`), other stop reasons (dust, max-hops, …). */
  held: string;
  cashedOut: string;
  otherStops: string;
  /** received − held − cashedOut − otherStops: what moved on to later hops. */
  movedOn: string;
}

/**
 * Per-hop flow table of one policy: value in, held, cashed out, fee and moved on, hop by hop.
 * Under fifo and haircut the held + cashed-out + other + fee columns add up to the stolen total.
 * @example flowByHop(trace, 'fifo')[0] // { hop: 1, received: '1479800344', … }
 */
export function flowByHop(trace: TraceFile, policy: PolicyName): HopFlowRow[] {
  const result = trace.results[policy];
  if (result === undefined) return [];
  const to = new Map<string, string>();
  for (const t of trace.transfers) to.set(t.id, t.to);
  const rows = new Map<
    number,
    {
      transfers: number;
      addresses: Set<string>;
      received: bigint;
      fee: bigint;
      held: bigint;
      cashedOut: bigint;
      other: bigint;
    }
  >();
  const row = (hop: number) => {
    let r = rows.get(hop);
    if (r === undefined) {
      r = { transfers: 0, addresses: new Set(), received: 0n, fee: 0n, held: 0n, cashedOut: 0n, other: 0n };
      rows.set(hop, r);
    }
    return r;
  };
  for (const e of result.edges) {
    const r = row(e.hop);
    r.transfers++;
    r.received += BigInt(e.amount);
    const address = to.get(e.transfer);
    if (address !== undefined) r.addresses.add(address);
  }
  for (const s of result.stops) {
    const r = row(s.hop);
    const v = BigInt(s.amount);
    if (s.reason === 'fee') r.fee += v;
    else if (s.reason === 'unspent') r.held += v;
    else if (s.reason === 'cash-out') r.cashedOut += v;
    else r.other += v;
  }
  return [...rows.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([hop, r]) => ({
      hop,
      transfers: r.transfers,
      addresses: r.addresses.size,
      received: r.received.toString(),
      fee: r.fee.toString(),
      held: r.held.toString(),
      cashedOut: r.cashedOut.toString(),
      otherStops: r.other.toString(),
      movedOn: (r.received - r.held - r.cashedOut - r.other).toString(),
    }));
}
